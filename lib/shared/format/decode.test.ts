import assert from "node:assert/strict";
import zlib from "node:zlib";
import { describe, test } from "node:test";
import { bodyEncodings, decodeBody } from "./decode";

const u8 = (b: Buffer) => new Uint8Array(b);

describe("bodyEncodings", () => {
  test("from Content-Encoding, in order; gzip by magic bytes when no header", () => {
    assert.deepEqual(bodyEncodings([["Content-Encoding", "gzip"]], new Uint8Array(0)), ["gzip"]);
    assert.deepEqual(bodyEncodings([["content-encoding", "deflate, br"]], new Uint8Array(0)), ["deflate", "br"]);
    assert.deepEqual(bodyEncodings([["Content-Encoding", "x-gzip"]], new Uint8Array(0)), ["gzip"]);
    assert.deepEqual(bodyEncodings([["Content-Encoding", "zstd"]], new Uint8Array(0)), []);
    assert.deepEqual(bodyEncodings([], u8(zlib.gzipSync("x"))), ["gzip"]);
    assert.deepEqual(bodyEncodings([["Content-Encoding", { redacted: true }]], new Uint8Array(0)), []);
  });
});

describe("decodeBody", () => {
  test("gzip, zlib deflate and raw deflate decode exactly", async () => {
    const text = "hello ".repeat(1000);
    for (const [enc, bytes] of [
      ["gzip", zlib.gzipSync(text)],
      ["deflate", zlib.deflateSync(text)],
      ["deflate", zlib.deflateRawSync(text)],
    ] as const) {
      const r = await decodeBody(u8(bytes), [enc]);
      assert.ok(r.ok, `${enc}: ${JSON.stringify(r)}`);
      assert.equal(Buffer.from(r.bytes).toString(), text);
      assert.equal(r.truncated, false);
    }
  });
  test("a gzip bomb stops at the cap", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 });
    assert.ok(bomb.length < 100 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    const r = await decodeBody(u8(bomb), ["gzip"], { cap: 1024 * 1024 });
    assert.ok(r.ok);
    assert.equal(r.bytes.length, 1024 * 1024);
    assert.equal(r.truncated, true);
    assert.ok(process.memoryUsage().arrayBuffers - before < 40 * 1024 * 1024, "memory stayed bounded");
  });
  test("a chain with brotli goes to the remote decoder whole; without one it says why", async () => {
    const seen: string[][] = [];
    const r = await decodeBody(Uint8Array.of(1), ["gzip", "br"], {
      remote: async (encs) => {
        seen.push([...encs]);
        return { ok: true, bytes: Uint8Array.of(42), truncated: true };
      },
    });
    assert.deepEqual(seen, [["gzip", "br"]]);
    assert.deepEqual(r, { ok: true, bytes: Uint8Array.of(42), truncated: true });
    const failed = await decodeBody(Uint8Array.of(1), ["br"], { remote: () => Promise.reject(new Error("400 not brotli")) });
    assert.deepEqual(failed, { ok: false, error: "Could not decode br: 400 not brotli" });
    const none = await decodeBody(Uint8Array.of(1), ["br"]);
    assert.equal(none.ok, false);
  });
  test("chained encodings are undone last first; garbage gives an error, not a throw", async () => {
    const r = await decodeBody(u8(zlib.deflateSync(zlib.gzipSync("chained"))), ["gzip", "deflate"]);
    assert.ok(r.ok);
    assert.equal(Buffer.from(r.bytes).toString(), "chained");
    const bad = await decodeBody(Uint8Array.of(1, 2, 3, 4), ["gzip"]);
    assert.equal(bad.ok, false);
    assert.match((bad as { error: string }).error, /Could not decode gzip/);
  });
});
