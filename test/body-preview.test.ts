// Big bodies stay cheap to look at (issue 18 item 3), over real sockets: the capture detail carries
// the body once, as a preview of its first 256 KiB with bodySize, bodyTruncated and bodyUrl, so a
// 10 MiB capture's detail stays under 400 KiB; the body URL gives the exact bytes as an inert
// download; a share link's detail points at its own token-scoped body URL, which a revoked or
// missing token does not open; a small body comes whole. The body URL sends a chunk per query as the
// client reads (slow readers hold little in the server), and a capture deleted meanwhile ends it
// as a failed download.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { BODY_PREVIEW_BYTES, bodyPreviewBytes } from "@/lib/shared/format/body-preview";
import { ZCapture } from "@/lib/shared/validation/captures";
import { ZCreatedShareLink, ZSharedCapture } from "@/lib/shared/validation/shares";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";

let app: RunningApp;
let db: { name: string; url: string };
type Endpoint = Awaited<ReturnType<typeof createEndpoint>>;

before(async () => {
  db = await createTestDatabase("body_preview");
  // Room for a body bigger than what socket buffers between the server and a client can hold.
  app = await startApp({ databaseUrl: db.url, env: { MAX_BODY_BYTES: String(32 * 1024 * 1024) } });
  ep = await createEndpoint(app.baseUrl);
  big = bigJson(TEN_MIB);
  bigId = await capture(ep, big, "application/json");
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

const call = (p: string, init: RequestInit = {}) => fetch(`${app.baseUrl}${p}`, { ...init, signal: AbortSignal.timeout(60_000) });
const auth = (ep: Endpoint) => ({ authorization: `Bearer ${ep.managementKey}` });

async function capture(ep: Endpoint, body: Buffer, contentType: string): Promise<string> {
  const r = await fetch(`${ep.captureUrl}/big`, { method: "POST", body: new Uint8Array(body), headers: { "content-type": contentType } });
  assert.equal(r.status, 200, await r.clone().text());
  return r.headers.get("x-hookscope-capture-id")!;
}

/** A 10 MiB JSON body whose text has two- and three-byte characters, so the preview's cut can fall inside one. */
function bigJson(size: number): Buffer {
  const unit = Buffer.from('{"n":"é€ abc"},', "utf8");
  const out = Buffer.alloc(size, 0x20);
  for (let at = 1; at + unit.length < size - 1; at += unit.length) unit.copy(out, at);
  out[0] = 0x5b; // [
  out[size - 1] = 0x5d; // ]
  return out;
}

function assertInertDownload(r: Response, contentType: string) {
  assert.equal(r.headers.get("content-type"), contentType);
  assert.match(r.headers.get("content-disposition") ?? "", /^attachment;/);
  assert.equal(r.headers.get("x-content-type-options"), "nosniff");
  const csp = r.headers.get("content-security-policy") ?? "";
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /sandbox/);
}

const TEN_MIB = 10 * 1024 * 1024;
let ep: Endpoint;
let bigId: string;
let big: Buffer;

test("a 10 MiB capture's detail is under 400 KiB: the body's first 256 KiB once, with its size, truncated flag and URL", async () => {
  const r = await call(`/api/captures/${bigId}`, { headers: auth(ep) });
  assert.equal(r.status, 200);
  const raw = Buffer.from(await r.arrayBuffer());
  console.log(`detail answer for a 10 MiB capture: ${raw.length} bytes`);
  assert.ok(raw.length < 400 * 1024, `the detail is ${raw.length} bytes`);
  const c = ZCapture.parse(JSON.parse(raw.toString("utf8")));
  assert.equal(c.size, TEN_MIB);
  assert.equal(c.bodySize, TEN_MIB);
  assert.equal(c.bodyTruncated, true);
  assert.equal(c.bodyUrl, `/api/captures/${bigId}/body`);
  assert.equal(c.body.encoding, "utf8", "a UTF-8 body's preview is text, cut at a character boundary");
  const preview = Buffer.from(bodyPreviewBytes(c.body));
  assert.ok(preview.length <= BODY_PREVIEW_BYTES && preview.length > BODY_PREVIEW_BYTES - 4, `preview of ${preview.length} bytes`);
  assert.ok(preview.equals(big.subarray(0, preview.length)), "the preview is the body's first bytes");
  assert.ok(!("base64" in c.body) && !("text" in c.body), "one representation, not two");
});

test("the detail's body URL answers the exact 10 MiB as an inert download", async () => {
  const c = ZCapture.parse(await (await call(`/api/captures/${bigId}`, { headers: auth(ep) })).json());
  const r = await call(c.bodyUrl, { headers: auth(ep) });
  assert.equal(r.status, 200);
  assertInertDownload(r, "application/json");
  assert.ok(Buffer.from(await r.arrayBuffer()).equals(big));
  assert.equal((await call(c.bodyUrl)).status, 401, "the management key is needed");
});

/** The server process's resident set in MiB (Linux). */
const serverRssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${app.pid}/status`, "utf8"))![1]) / 1024;

test("the body is sent a chunk at a time as it is read: 24 slow readers of the 10 MiB body add under 150 MiB to the server", async () => {
  // Read whole, each download held the body and two copies in the server: about +300 MiB here.
  const url = `${app.baseUrl}/api/captures/${bigId}/body`;
  const before = serverRssMiB();
  const stop = new AbortController();
  const readers = await Promise.all(
    Array.from({ length: 24 }, async () => {
      // identity: the bytes as stored (asked for gzip, Next compresses a JSON body on the way).
      const r = await fetch(url, { headers: { ...auth(ep), "accept-encoding": "identity" }, signal: stop.signal });
      assert.equal(r.status, 200);
      const reader = r.body!.getReader();
      assert.ok(((await reader.read()).value?.length ?? 0) > 0);
      return reader;
    }),
  );
  const grown = serverRssMiB() - before;
  stop.abort();
  await Promise.all(readers.map((r) => r.cancel().catch(() => {})));
  assert.ok(grown < 150, `the server grew by ${grown.toFixed(0)} MiB with 24 downloads each one chunk in`);
});

test("a capture deleted while its body downloads ends the download as an error, never as a complete-looking body", async () => {
  // Bigger than the socket buffers on the way, so the server is still reading it when it is deleted.
  const bytes = crypto.randomBytes(24 * 1024 * 1024);
  const id = await capture(ep, bytes, "application/octet-stream");
  const r = await call(`/api/captures/${id}/body`, { headers: auth(ep) });
  assert.equal(r.status, 200);
  const reader = r.body!.getReader();
  let got = (await reader.read()).value?.length ?? 0;
  assert.equal((await call(`/api/captures/${id}`, { method: "DELETE", headers: auth(ep) })).status, 204);
  await assert.rejects(async () => {
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      got += next.value.length;
    }
  }, "the download fails");
  assert.ok(got < bytes.length, `${got} of ${bytes.length} bytes arrived`);
});

test("a share link's detail points at its own body URL, which gives the exact bytes until the link is revoked", async () => {
  const created = await call(`/api/endpoints/${ep.id}/shares`, {
    method: "POST",
    headers: { ...auth(ep), "content-type": "application/json" },
    body: JSON.stringify({ captureId: bigId }),
  });
  assert.equal(created.status, 201);
  const link = ZCreatedShareLink.parse(await created.json());

  const r = await call(`/api/s/${link.token}/captures/${bigId}`);
  assert.equal(r.status, 200);
  const raw = Buffer.from(await r.arrayBuffer());
  assert.ok(raw.length < 400 * 1024, `the shared detail is ${raw.length} bytes`);
  const c = ZSharedCapture.parse(JSON.parse(raw.toString("utf8")));
  assert.equal(c.bodyTruncated, true);
  assert.ok(!raw.toString("utf8").includes(link.token), "the answer never holds the token");
  const bodyPath = new URL(c.bodyUrl, `${app.baseUrl}/api/s/${link.token}/captures/${bigId}`).pathname;
  assert.equal(bodyPath, `/api/s/${link.token}/captures/${bigId}/body`, "relative to the capture's URL");

  const body = await call(bodyPath);
  assert.equal(body.status, 200);
  assertInertDownload(body, "application/json");
  assert.ok(Buffer.from(await body.arrayBuffer()).equals(big));

  // Without a token that opens the share, no bytes.
  assert.equal((await call(`/api/s/hss_not-a-real-token/captures/${bigId}/body`)).status, 404);
  const revoked = await call(`/api/endpoints/${ep.id}/shares/${link.id}`, { method: "DELETE", headers: auth(ep) });
  assert.equal(revoked.status, 200);
  const gone = await call(bodyPath);
  assert.equal(gone.status, 410);
  assert.equal(((await gone.json()) as { error: { code: string } }).error.code, "GONE");
});

test("a small body comes whole in the detail, once: text for UTF-8, base64 for other bytes", async () => {
  const textId = await capture(ep, Buffer.from('{"small":"héllo"}'), "application/json");
  const t = ZCapture.parse(await (await call(`/api/captures/${textId}`, { headers: auth(ep) })).json());
  assert.deepEqual(t.body, { encoding: "utf8", data: '{"small":"héllo"}' });
  assert.equal(t.bodyTruncated, false);
  assert.equal(t.bodySize, Buffer.byteLength('{"small":"héllo"}'));

  const bytes = crypto.randomBytes(300);
  bytes[0] = 0xff; // never UTF-8
  const binId = await capture(ep, bytes, "application/octet-stream");
  const b = ZCapture.parse(await (await call(`/api/captures/${binId}`, { headers: auth(ep) })).json());
  assert.deepEqual(b.body, { encoding: "base64", data: bytes.toString("base64") });
  assert.equal(b.bodyTruncated, false);
});
