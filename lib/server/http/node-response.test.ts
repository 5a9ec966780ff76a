import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { rawErrorEnvelope, writeErrorEnvelope } from "./node-response";

test("the raw answer is a whole HTTP/1.1 response: status line, JSON headers, Connection: close, the envelope", () => {
  const raw = rawErrorEnvelope(503, "RATE_LIMITED", "Slow down.", { "Retry-After": "1" });
  const [head, body] = raw.split("\r\n\r\n");
  const lines = head!.split("\r\n");
  assert.equal(lines[0], "HTTP/1.1 503 Service Unavailable");
  assert.deepEqual(lines.slice(1).sort(), [
    "Connection: close",
    `Content-Length: ${Buffer.byteLength(body!)}`,
    "Content-Type: application/json; charset=utf-8",
    "Retry-After: 1",
  ]);
  assert.deepEqual(JSON.parse(body!), { error: { code: "RATE_LIMITED", message: "Slow down." } });
});

test("on a ServerResponse the envelope goes out with its length and the caller's headers, and no body for HEAD", async () => {
  const server = http.createServer((_req, res) => writeErrorEnvelope(res, 404, "NOT_FOUND", "No such thing: é.", { "X-Extra": "1" }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const res = await fetch(url);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("content-type"), "application/json; charset=utf-8");
    assert.equal(res.headers.get("x-extra"), "1");
    const text = await res.text();
    assert.equal(Number(res.headers.get("content-length")), Buffer.byteLength(text));
    assert.deepEqual(JSON.parse(text), { error: { code: "NOT_FOUND", message: "No such thing: é." } });
    const head = await fetch(url, { method: "HEAD" });
    assert.equal(head.status, 404);
    assert.equal(await head.text(), "");
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
