// Property tests against the real server (fast-check, bounded runs so `npm test` stays quick):
// 1. any body bytes and any list of legal header pairs, sent over a raw socket with either
//    framing, come back exactly: headers in order and case from the API, bytes from the API's
//    base64 and from the raw download;
// 2. any sequence of captures, deletes and clears over two endpoints keeps each endpoint's
//    sequence numbers counting up from 1 without reuse, and its capture count right.
import assert from "node:assert/strict";
import fc from "fast-check";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { getCapture, getCaptureBody, getEndpoint, listCaptures, type EndpointRef, wholeBody } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { chunk, LAST_CHUNK, rawRequest, requestBytes } from "./support/raw-http";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("props");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

/** Header names that frame or route the request; the test sets those itself. */
const FRAMING = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "expect",
  "upgrade",
  "te",
  "trailer",
  "keep-alive",
  "proxy-connection",
  "http2-settings",
]);
const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

const headerName = fc
  .string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 24 })
  .filter((n) => !FRAMING.has(n.toLowerCase()));
/** RFC 9110 field-value: visible ASCII and obs-text (0x80–0xFF), inner spaces and tabs, nothing to trim. */
const valueChar = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x21, max: 0x7e }) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.constantFrom(0x20, 0x09) },
);
const headerValue = fc.array(valueChar, { maxLength: 120 }).map((codes) => String.fromCharCode(...codes).replace(/^[ \t]+|[ \t]+$/g, ""));

test("property: any body bytes and legal headers round-trip exactly through capture, the API and the raw download", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(headerName, headerValue), { maxLength: 30 }),
      fc.uint8Array({ maxLength: 64 * 1024 }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 4 }),
      async (pairs, bodyBytes, chunked, cuts) => {
        const body = Buffer.from(bodyBytes);
        const framing: [string, string][] = chunked ? [["Transfer-Encoding", "chunked"]] : [["Content-Length", String(body.length)]];
        const sent: [string, string][] = [["Host", `127.0.0.1:${app.port}`], ...pairs, ...framing, ["Connection", "close"]];
        let payload: Buffer = body;
        if (chunked) {
          // The body split at arbitrary points into chunks (empty pieces dropped: a 0 chunk ends the body).
          const points = [...new Set(cuts.map((c) => (body.length ? c % body.length : 0)))].sort((a, b) => a - b);
          const pieces: Buffer[] = [];
          let from = 0;
          for (const p of [...points, body.length]) {
            if (p > from) pieces.push(chunk(body.subarray(from, p)));
            from = Math.max(from, p);
          }
          payload = Buffer.concat([...pieces, LAST_CHUNK]);
        }
        const res = await rawRequest(app.port, requestBytes(`POST /h/${ep.slug}/prop HTTP/1.1`, sent, payload));
        assert.equal(res.status, 200, res.body.toString());
        const id = res.header("x-hookscope-capture-id");
        assert.ok(id);
        const c = await getCapture(app.baseUrl, ep, id);
        assert.deepEqual(c.headers, sent, "headers: names, case, order, duplicates and value bytes");
        assert.equal(c.size, body.length);
        assert.ok(wholeBody(c).equals(body), "body through the API");
        assert.ok((await getCaptureBody(app.baseUrl, ep, id)).bytes.equals(body), "body through the raw download");
      },
    ),
    { numRuns: 60 },
  );
});

type Op = { kind: "capture"; ep: 0 | 1; n: number } | { kind: "delete"; ep: 0 | 1; pick: number } | { kind: "clear"; ep: 0 | 1 };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("capture" as const),
      ep: fc.constantFrom(0 as const, 1 as const),
      n: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("delete" as const), ep: fc.constantFrom(0 as const, 1 as const), pick: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("clear" as const), ep: fc.constantFrom(0 as const, 1 as const) }) },
);

const auth = (ep: EndpointRef) => ({ authorization: `Bearer ${ep.managementKey}` });

test("property: any sequence of capture, delete and clear keeps per-endpoint seq increasing from 1 and the counts right", async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
      const eps = [await createEndpoint(app.baseUrl), await createEndpoint(app.baseUrl)];
      // The model: ids alive per endpoint (with their seq), and how many captures each was ever sent.
      const alive: Map<string, number>[] = [new Map(), new Map()];
      const issued = [0, 0];
      for (const o of ops) {
        const ep = eps[o.ep]!;
        if (o.kind === "capture") {
          // Sent at once: they may share a batch or not; seq must still be handed out without gaps.
          const ids = await Promise.all(
            Array.from({ length: o.n }, async (_, i) => {
              const r = await fetch(`${ep.captureUrl}/op/${i}`, { method: "POST", body: String(i) });
              assert.equal(r.status, 200);
              await r.arrayBuffer();
              return r.headers.get("x-hookscope-capture-id")!;
            }),
          );
          const seqs = await Promise.all(ids.map(async (id) => (await getCapture(app.baseUrl, ep, id)).seq));
          assert.deepEqual(
            [...seqs].sort((a, b) => a - b),
            Array.from({ length: o.n }, (_, i) => issued[o.ep]! + 1 + i),
            "new captures continue the endpoint's own numbering, never reusing a number",
          );
          ids.forEach((id, i) => alive[o.ep]!.set(id, seqs[i]!));
          issued[o.ep]! += o.n;
        } else if (o.kind === "delete") {
          const ids = [...alive[o.ep]!.keys()];
          if (ids.length === 0) continue;
          const id = ids[o.pick % ids.length]!;
          const r = await fetch(`${app.baseUrl}/api/captures/${id}`, { method: "DELETE", headers: auth(ep) });
          assert.ok(r.status === 200 || r.status === 204, `delete: ${r.status}`);
          await r.arrayBuffer();
          alive[o.ep]!.delete(id);
        } else {
          const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures`, { method: "DELETE", headers: auth(ep) });
          assert.ok(r.status === 200 || r.status === 204, `clear: ${r.status}`);
          await r.arrayBuffer();
          alive[o.ep]!.clear();
        }
        for (const k of [0, 1] as const) {
          const e = eps[k]!;
          const list = await listCaptures(app.baseUrl, e);
          assert.deepEqual(
            list.map((s) => [s.id, s.seq]),
            [...alive[k]!].sort((a, b) => b[1] - a[1]),
            `endpoint ${k}: the list is exactly the live captures, newest (highest seq) first`,
          );
          assert.equal((await getEndpoint(app.baseUrl, e)).captureCount, alive[k]!.size, `endpoint ${k}: captureCount`);
        }
      }
    }),
    { numRuns: 30 },
  );
});
