// Sends a signed sample event for an endpoint. To a URL it goes through sendOutgoing's SSRF
// guard like any server-side send. To "self" it goes to this process's own listener over
// loopback (HOST:PORT, 127.0.0.1 when HOST is a wildcard): the one case where a loopback target
// is allowed, because the URL is built here from settings, never from input. It is signed for
// the public capture URL (what Twilio would sign), which is also what verification rebuilds.
import "server-only";
import type { z } from "zod";
import type { EndpointRecord } from "@/lib/server/db/endpoints";
import { getSigningSecretForUse } from "@/lib/server/db/signing-secrets";
import { sendOutgoing } from "@/lib/server/delivery/outgoing";
import { recordDelivery } from "@/lib/server/observability/delivery";
import { captureBaseUrl, env } from "@/lib/server/env";
import { AppError } from "@/lib/shared/errors/app-error";
import { MAX_RESPONSE_DELAY_MS } from "@/lib/shared/validation/endpoints";
import type { TSendTestEventResponse, ZSendTestEventRequest } from "@/lib/shared/validation/signatures";
import { buildSignedTestEvent, UnknownEventError } from "@/lib/shared/signatures/samples";
import { SecretFormatError } from "@/lib/shared/signatures/types";

/** Response bytes kept from the target. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/** Origin of this process's own listener, reachable over loopback. */
export function selfOrigin(): string {
  const e = env();
  const host =
    e.HOST === "0.0.0.0" || e.HOST === "localhost"
      ? "127.0.0.1"
      : e.HOST === "::"
        ? "[::1]"
        : e.HOST.includes(":")
          ? `[${e.HOST}]`
          : e.HOST;
  return `http://${host}:${e.PORT}`;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function ackId(body: string | null): string | null {
  if (!body) return null;
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

export async function sendTestEvent(
  endpoint: EndpointRecord,
  input: z.output<typeof ZSendTestEventRequest>,
): Promise<TSendTestEventResponse> {
  const secret = input.secret ?? (await getSigningSecretForUse(endpoint.id, input.secretId!)).secret;
  const self = input.target === "self";
  const publicUrl = `${captureBaseUrl()}/h/${endpoint.slug}`;
  let ev;
  try {
    ev = buildSignedTestEvent(input.provider, { event: input.event, secret, url: self ? publicUrl : input.target });
  } catch (e) {
    if (e instanceof SecretFormatError || e instanceof UnknownEventError) throw new AppError("BAD_REQUEST", e.message);
    throw e;
  }
  // Same path and query as signed; only the origin changes to reach ourselves.
  const sendUrl = self ? selfOrigin() + ev.url.slice(captureBaseUrl().length) : ev.url;
  const result = await sendOutgoing({
    method: ev.method,
    url: sendUrl,
    headers: ev.headers,
    body: ev.body,
    timeoutMs: 30_000 + (self ? Math.min(endpoint.responseDelayMs, MAX_RESPONSE_DELAY_MS) : 0),
    maxResponseBytes: MAX_RESPONSE_BYTES,
    ...(self ? { allowPrivate: true } : {}),
  });
  recordDelivery({ kind: "test_event", result, url: sendUrl, endpointId: endpoint.id });
  const request = { method: ev.method, url: ev.url, headers: ev.headers, body: ev.body };
  const base = { provider: input.provider, event: ev.event, request, durationMs: result.durationMs };
  if (!result.ok) return { ...base, ok: false, error: result.error, response: null, captureId: null };
  const r = result.response;
  const text = decode(r.body);
  return {
    ...base,
    ok: true,
    error: null,
    response: {
      status: r.status,
      statusText: r.statusText,
      headers: r.headers,
      body: { size: r.bodySize, base64: r.body.toString("base64"), text, truncated: r.truncated },
    },
    captureId: self && r.status < 300 ? ackId(text) : null,
  };
}
