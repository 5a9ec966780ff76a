// Reads back what capture stored, through the public API with the endpoint's management key,
// and validates every answer against the same zod schemas the API promises.
import assert from "node:assert/strict";
import { bodyPreviewBytes, bodyPreviewText } from "@/lib/shared/format/body-preview";
import { ZCapture, ZCapturePage, type TCapture, type TCaptureSummary } from "@/lib/shared/validation/captures";
import { ZEndpoint, type TEndpoint, type TUpdateEndpointRequest } from "@/lib/shared/validation/endpoints";

export interface EndpointRef {
  id: string;
  slug: string;
  managementKey: string;
}

function auth(ep: EndpointRef): Record<string, string> {
  return { authorization: `Bearer ${ep.managementKey}` };
}

/** GET /api/captures/:id, asserting 200. */
export async function getCapture(baseUrl: string, ep: EndpointRef, id: string): Promise<TCapture> {
  const r = await fetch(`${baseUrl}/api/captures/${id}`, { headers: auth(ep) });
  assert.equal(r.status, 200, `GET /api/captures/${id}: ${r.status} ${await r.clone().text()}`);
  return ZCapture.parse(await r.json());
}

/** The whole body from a detail that carries it whole (asserts bodyTruncated is false): its bytes. */
export function wholeBody(c: Pick<TCapture, "body" | "bodyTruncated">): Buffer {
  assert.equal(c.bodyTruncated, false, "the detail carries only a preview of this body");
  return Buffer.from(bodyPreviewBytes(c.body));
}

/** The whole body's text from a detail that carries it whole, or null when it is not UTF-8. */
export function wholeBodyText(c: Pick<TCapture, "body" | "bodyTruncated">): string | null {
  assert.equal(c.bodyTruncated, false, "the detail carries only a preview of this body");
  return bodyPreviewText(c.body);
}

/** GET /api/captures/:id/body, asserting 200: the raw bytes and the response headers. */
export async function getCaptureBody(baseUrl: string, ep: EndpointRef, id: string): Promise<{ bytes: Buffer; headers: Headers }> {
  const r = await fetch(`${baseUrl}/api/captures/${id}/body`, { headers: auth(ep) });
  assert.equal(r.status, 200, `GET /api/captures/${id}/body: ${r.status}`);
  return { bytes: Buffer.from(await r.arrayBuffer()), headers: r.headers };
}

/** Every capture summary of an endpoint, newest first (follows the cursor). */
export async function listCaptures(baseUrl: string, ep: EndpointRef): Promise<TCaptureSummary[]> {
  const out: TCaptureSummary[] = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${cursor}` : "";
    const r = await fetch(`${baseUrl}/api/endpoints/${ep.id}/captures?limit=500${q}`, { headers: auth(ep) });
    assert.equal(r.status, 200);
    const page = ZCapturePage.parse(await r.json());
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

export async function getEndpoint(baseUrl: string, ep: EndpointRef): Promise<TEndpoint> {
  const r = await fetch(`${baseUrl}/api/endpoints/${ep.id}`, { headers: auth(ep) });
  assert.equal(r.status, 200);
  return ZEndpoint.parse(await r.json());
}

/** PATCH /api/endpoints/:id, asserting 200. */
export async function updateEndpoint(baseUrl: string, ep: EndpointRef, body: TUpdateEndpointRequest): Promise<TEndpoint> {
  const r = await fetch(`${baseUrl}/api/endpoints/${ep.id}`, {
    method: "PATCH",
    headers: { ...auth(ep), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(r.status, 200, `PATCH endpoint: ${r.status} ${await r.clone().text()}`);
  return ZEndpoint.parse(await r.json());
}

/** The id capture put in its default answer `{"ok":true,"id":"…"}`. */
export function ackId(body: Buffer | string): string {
  const parsed = JSON.parse(body.toString()) as { ok?: unknown; id?: unknown };
  assert.equal(parsed.ok, true);
  assert.equal(typeof parsed.id, "string");
  return parsed.id as string;
}
