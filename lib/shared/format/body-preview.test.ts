import assert from "node:assert/strict";
import { test } from "node:test";
import { BODY_PREVIEW_BYTES, bodyPreviewBytes, bodyPreviewText, makeBodyPreview } from "./body-preview";

test("a whole UTF-8 body is its own preview, as text, not truncated", () => {
  const bytes = new TextEncoder().encode('{"héllo":"wörld"}');
  const p = makeBodyPreview(bytes, bytes.length);
  assert.deepEqual(p, { encoding: "utf8", data: '{"héllo":"wörld"}', truncated: false });
  assert.deepEqual(bodyPreviewBytes(p), bytes);
});

test("bytes that are not UTF-8 go as base64, once", () => {
  const bytes = Uint8Array.from([0, 1, 0xff, 0xfe]);
  const p = makeBodyPreview(bytes, bytes.length);
  assert.deepEqual(p, { encoding: "base64", data: "AAH//g==", truncated: false });
  assert.equal(bodyPreviewText(p), null);
  assert.deepEqual(bodyPreviewBytes(p), bytes);
});

test("a cut inside a UTF-8 character drops its lead bytes and stays text; a whole body is never trimmed", () => {
  const full = new TextEncoder().encode("aaaé€"); // é = 2 bytes, € = 3 bytes
  const head = full.subarray(0, 6); // "aaaé" + the first byte of €
  const p = makeBodyPreview(head, full.length);
  assert.deepEqual(p, { encoding: "utf8", data: "aaaé", truncated: true });
  // The same bytes as a whole body are not UTF-8: base64, nothing dropped.
  assert.deepEqual(makeBodyPreview(head, head.length), {
    encoding: "base64",
    data: Buffer.from(head).toString("base64"),
    truncated: false,
  });
});

test("a truncated binary preview keeps every byte it has", () => {
  const head = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]);
  const p = makeBodyPreview(head, 10);
  assert.equal(p.encoding, "base64");
  assert.equal(p.truncated, true);
  assert.equal(bodyPreviewBytes(p).length, 5);
});

test("a full preview of text JSON would mostly escape goes as base64: never more than 4/3 of the preview in the answer", () => {
  const quotes = new TextEncoder().encode('"'.repeat(BODY_PREVIEW_BYTES));
  const controls = new Uint8Array(BODY_PREVIEW_BYTES).fill(0x01);
  for (const bytes of [quotes, controls]) {
    const p = makeBodyPreview(bytes, 10 * BODY_PREVIEW_BYTES);
    assert.equal(p.encoding, "base64");
    assert.ok(JSON.stringify(p.data).length <= 4 * Math.ceil(BODY_PREVIEW_BYTES / 3) + 2);
    assert.deepEqual(bodyPreviewBytes(p), bytes);
  }
  // Small bodies and ordinary JSON stay text, quotes and all.
  assert.equal(makeBodyPreview(new TextEncoder().encode('{"a":"b"}'), 9).encoding, "utf8");
  assert.equal(makeBodyPreview(new TextEncoder().encode('"'.repeat(1000)), 1000).encoding, "utf8");
});
