import assert from "node:assert/strict";
import zlib from "node:zlib";
import { describe, test } from "node:test";
import { decodeBodyCapped } from "./decode-body";

describe("decodeBodyCapped", () => {
  test("brotli, gzip, zlib and raw deflate decode exactly", async () => {
    const text = "hello ".repeat(5000);
    for (const [enc, bytes] of [
      ["br", zlib.brotliCompressSync(text)],
      ["gzip", zlib.gzipSync(text)],
      ["deflate", zlib.deflateSync(text)],
      ["deflate", zlib.deflateRawSync(text)],
    ] as const) {
      const r = await decodeBodyCapped(bytes, [enc], 1024 * 1024);
      assert.equal(r.bytes.toString(), text, enc);
      assert.equal(r.truncated, false);
    }
  });
  test("a brotli bomb (50 MiB of zeros) stops at the cap with bounded memory", async () => {
    const bomb = zlib.brotliCompressSync(Buffer.alloc(50 * 1024 * 1024));
    assert.ok(bomb.length < 1024);
    const before = process.memoryUsage().rss;
    const r = await decodeBodyCapped(bomb, ["br"], 1024 * 1024);
    assert.equal(r.bytes.length, 1024 * 1024);
    assert.equal(r.truncated, true);
    assert.ok(process.memoryUsage().rss - before < 40 * 1024 * 1024, "memory stayed bounded");
  });
  test("chains are undone last first; garbage throws", async () => {
    const r = await decodeBodyCapped(zlib.brotliCompressSync(zlib.gzipSync("chained")), ["gzip", "br"], 1024);
    assert.equal(r.bytes.toString(), "chained");
    await assert.rejects(decodeBodyCapped(Buffer.from([1, 2, 3]), ["br"], 1024));
  });
});
