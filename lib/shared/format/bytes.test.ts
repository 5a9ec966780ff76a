import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { base64ToBytes, bytesToBase64, bytesToLatin1, decodeUtf8, formatBytes, latin1ToBytes, looksBinary } from "./bytes";
import { headerDisplayValue, isLatin1Only } from "./header";

describe("bytes", () => {
  test("base64 round-trips every byte value, in chunks past the argument limit", () => {
    const all = Uint8Array.from({ length: 200_000 }, (_, i) => i % 256);
    assert.deepEqual(base64ToBytes(bytesToBase64(all)), all);
    assert.equal(bytesToBase64(all), Buffer.from(all).toString("base64"));
  });
  test("latin1 byte strings", () => {
    assert.deepEqual(latin1ToBytes("\u00e9\u00ff"), Uint8Array.of(0xe9, 0xff));
    assert.equal(latin1ToBytes("\u2028"), null);
    assert.equal(bytesToLatin1(Uint8Array.of(0x41, 0xe9)), "A\u00e9");
  });
  test("strict UTF-8 and binary sniffing", () => {
    assert.equal(decodeUtf8(Uint8Array.of(0xc3, 0xa9)), "é");
    assert.equal(decodeUtf8(Uint8Array.of(0xe9)), null);
    assert.equal(looksBinary(new TextEncoder().encode("plain\ttext\n"), "plain\ttext\n"), false);
    const nuls = new Uint8Array(100);
    assert.equal(looksBinary(nuls, "\u0000".repeat(100)), true);
  });
  test("header values: the UTF-8 reading when valid, else latin1", () => {
    assert.equal(headerDisplayValue("caf\u00c3\u00a9"), "café");
    assert.equal(headerDisplayValue("\u00e2\u0080\u00ae"), "\u202E");
    assert.equal(headerDisplayValue("caf\u00e9"), "caf\u00e9");
    assert.equal(isLatin1Only("caf\u00e9"), true);
    assert.equal(isLatin1Only("plain"), false);
  });
});

test("formatBytes: one size format for the whole UI, in powers of 1024", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1024 * 1024), "1 MiB");
  assert.equal(formatBytes(1536), "1.5 KiB");
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(1023), "1023 B");
  assert.equal(formatBytes(300 * 1024), "300 KiB");
  assert.equal(formatBytes(10 * 1024 * 1024), "10 MiB");
});
