import assert from "node:assert/strict";
import { test } from "node:test";
import { parseProxyHeader } from "./proxy-protocol";

const SIG = Buffer.from("0d0a0d0a000d0a515549540a", "hex");

function v2(cmd: number, family: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head[0] = 0x20 | cmd;
  head[1] = (family << 4) | 1;
  head.writeUInt16BE(body.length, 2);
  return Buffer.concat([SIG, head, body]);
}

test("parseProxyHeader: v2 PROXY over TCP4 and TCP6 gives the client's address and port and the header's length", () => {
  const v4 = Buffer.from([203, 0, 113, 7, 127, 0, 0, 1, 0xc3, 0x50, 0x0b, 0xb8]);
  const h4 = v2(1, 1, v4);
  assert.deepEqual(parseProxyHeader(Buffer.concat([h4, Buffer.from("GET / HTTP/1.1\r\n")])), {
    kind: "ok",
    length: 28,
    address: "203.0.113.7",
    port: 50000,
  });
  const v6 = Buffer.alloc(36);
  Buffer.from("20010db8000000000000000000000001", "hex").copy(v6, 0);
  v6.writeUInt16BE(1, 31);
  v6.writeUInt16BE(443, 32);
  assert.deepEqual(parseProxyHeader(v2(1, 2, v6)), { kind: "ok", length: 52, address: "2001:db8::1", port: 443 });
  // TLVs after the addresses (HAProxy may add some) are part of the header and skipped.
  const withTlv = v2(1, 1, Buffer.concat([v4, Buffer.from([0x04, 0x00, 0x01, 0x00])]));
  assert.equal((parseProxyHeader(withTlv) as { length: number }).length, 32);
});

test("parseProxyHeader: v2 LOCAL (the balancer's health check) keeps the socket's own address", () => {
  assert.deepEqual(parseProxyHeader(v2(0, 0, Buffer.alloc(0))), { kind: "ok", length: 16, address: null, port: null });
});

test("parseProxyHeader: v1 lines", () => {
  assert.deepEqual(parseProxyHeader(Buffer.from("PROXY TCP4 198.51.100.2 127.0.0.1 40000 3000\r\nGET")), {
    kind: "ok",
    length: 46,
    address: "198.51.100.2",
    port: 40000,
  });
  assert.deepEqual(parseProxyHeader(Buffer.from("PROXY UNKNOWN\r\n")), { kind: "ok", length: 15, address: null, port: null });
  assert.equal(parseProxyHeader(Buffer.from("PROXY TCP4 1.2.3.4\r\n")).kind, "bad");
  assert.equal(parseProxyHeader(Buffer.from(`PROXY TCP4 ${"1".repeat(120)}`)).kind, "bad");
});

test("parseProxyHeader: waits for a header cut anywhere; refuses a plain HTTP request", () => {
  const full = v2(1, 1, Buffer.from([10, 0, 0, 1, 10, 0, 0, 2, 0, 1, 0, 2]));
  for (let n = 1; n < full.length; n++) assert.equal(parseProxyHeader(full.subarray(0, n)).kind, "wait", `${n} bytes`);
  assert.equal(parseProxyHeader(Buffer.from("PROXY TCP4 1.2")).kind, "wait");
  assert.deepEqual(parseProxyHeader(Buffer.from("GET / HTTP/1.1\r\n")), { kind: "bad", reason: "no PROXY protocol header" });
  assert.equal(parseProxyHeader(Buffer.from("POST /h/x")).kind, "bad");
  assert.equal(parseProxyHeader(Buffer.from("\r\n\r\nX")).kind, "bad");
});
