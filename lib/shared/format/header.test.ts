import assert from "node:assert/strict";
import { test } from "node:test";
import { headerDisplayValue, headerPairs, isLatin1Only } from "./header";

/** How capture stores a value: node's latin1 reading of the wire bytes, one character per byte. */
const stored = (bytes: number[]) => String.fromCharCode(...bytes);

test("ASCII values are shown as they are, not flagged", () => {
  assert.equal(headerDisplayValue("t=1,v1=abc"), "t=1,v1=abc");
  assert.equal(isLatin1Only("t=1,v1=abc"), false);
});

test("bytes that are valid UTF-8 (é sent as C3 A9) are shown as the UTF-8 text they encode", () => {
  const value = stored([0x63, 0x61, 0x66, 0xc3, 0xa9]);
  assert.equal(headerDisplayValue(value), "café");
  assert.equal(isLatin1Only(value), false);
});

test("bytes 0xE9 and 0xFF (not UTF-8) are shown one character per byte and flagged", () => {
  const value = stored([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff]);
  assert.equal(headerDisplayValue(value), "caf\u00e9 \u00ff");
  assert.equal(isLatin1Only(value), true);
});

test("a string that is not a byte string (already decoded text) is shown untouched", () => {
  assert.equal(headerDisplayValue("日本"), "日本");
  assert.equal(isLatin1Only("日本"), false);
});

test("headerPairs keeps rawHeaders' case, order and repeats, and drops a name without a value", () => {
  assert.deepEqual(headerPairs(["X-A", "1", "x-a", "2", "Host", "h"]), [
    ["X-A", "1"],
    ["x-a", "2"],
    ["Host", "h"],
  ]);
  assert.deepEqual(headerPairs(["Dangling"]), []);
});
