// The capture body budget (CAPTURE_BODY_BUDGET_BYTES, lib/server/capture/body-budget.ts) against the
// real server: many concurrent uploads, with Content-Length and chunked, are all acknowledged and
// stored byte for byte while the bytes held at once stay near the budget, because bodies past it
// are paused (not refused); a body bigger than the whole budget still goes through.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { ackId, getCaptureBody } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";

const KIB = 1024;
const BUDGET = 1024 * KIB;
let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("budget");
  app = await startApp({ databaseUrl: db.url, env: { CAPTURE_BODY_BUDGET_BYTES: String(BUDGET) } });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

/** POSTs `body` on its own connection: with Content-Length, or chunked in 64 KiB writes. */
function upload(url: string, body: Buffer, chunked: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { "content-type": "application/octet-stream" };
    if (!chunked) headers["content-length"] = body.length;
    const req = http.request(url, { method: "POST", headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
    });
    req.on("error", reject);
    if (!chunked) return void req.end(body);
    for (let at = 0; at < body.length; at += 64 * KIB) req.write(body.subarray(at, at + 64 * KIB));
    req.end();
  });
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${app.baseUrl}/api/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  assert.ok(m, `${name} is exposed`);
  return Number(m[1]);
}

test("48 concurrent 512 KiB uploads over a 1 MiB budget: every one stored byte for byte, bodies paused rather than refused, bytes held bounded", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const pausesBefore = await metric("hookscope_capture_body_pauses");
  const bodies = Array.from({ length: 48 }, () => crypto.randomBytes(512 * KIB));
  const answers = await Promise.all(bodies.map((b, i) => upload(`${ep.captureUrl}/u/${i}`, b, i % 2 === 1)));
  for (const [i, a] of answers.entries()) assert.equal(a.status, 200, `upload ${i}: ${a.status} ${a.text}`);
  for (const [i, a] of answers.entries()) {
    const stored = await getCaptureBody(app.baseUrl, ep, ackId(a.text));
    assert.ok(stored.bytes.equals(bodies[i]!), `upload ${i} (${i % 2 ? "chunked" : "Content-Length"}) stored byte for byte`);
  }
  assert.ok((await metric("hookscope_capture_body_pauses")) > pausesBefore, "bodies past the budget were paused");
  // Budget + the oldest body (never paused) + a chunk and a stream buffer per paused connection.
  const bound = BUDGET + 512 * KIB + 48 * 128 * KIB;
  const peak = await metric("hookscope_capture_body_bytes_in_flight_max");
  assert.ok(peak <= bound, `peak ${peak} bytes held, bound ${bound}; 48 × 512 KiB would be ${48 * 512 * KIB}`);
  await waitFor(async () => (await metric("hookscope_capture_body_bytes_in_flight")) === 0, "every body released after its commit");
  assert.equal(await metric("hookscope_capture_bodies_waiting"), 0);
});

test("a body bigger than the whole budget is stored, alone if it must", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const big = crypto.randomBytes(3 * BUDGET);
  const [a, b] = await Promise.all([upload(ep.captureUrl, big, false), upload(ep.captureUrl, big, true)]);
  assert.equal(a.status, 200, a.text);
  assert.equal(b.status, 200, b.text);
  assert.ok((await getCaptureBody(app.baseUrl, ep, ackId(a.text))).bytes.equals(big));
  assert.ok((await getCaptureBody(app.baseUrl, ep, ackId(b.text))).bytes.equals(big));
});

test("a client that goes away while paused gives its bytes back; later uploads are not starved", async () => {
  const ep = await createEndpoint(app.baseUrl);
  // Sockets that send half a declared body and stop, then close: their bytes are counted, then freed.
  const stalled = await Promise.all(
    Array.from({ length: 6 }, (_, i) => {
      const req = http.request(`${ep.captureUrl}/stalled/${i}`, {
        method: "POST",
        agent: false,
        headers: { "content-length": String(512 * KIB) },
      });
      req.on("error", () => {});
      return new Promise<http.ClientRequest>((resolve) => req.write(crypto.randomBytes(256 * KIB), () => resolve(req)));
    }),
  );
  await waitFor(async () => (await metric("hookscope_capture_body_bytes_in_flight")) > 0, "the stalled bodies are counted");
  for (const req of stalled) req.destroy();
  await waitFor(async () => (await metric("hookscope_capture_body_bytes_in_flight")) === 0, "the abandoned bodies' bytes are released");
  const after = await upload(ep.captureUrl, crypto.randomBytes(256 * KIB), false);
  assert.equal(after.status, 200, after.text);
});
