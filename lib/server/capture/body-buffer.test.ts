import assert from "node:assert/strict";
import crypto from "node:crypto";
import { test } from "node:test";
import { BodyBuffer, FIRST_BYTES, PREALLOCATE_BYTES } from "./body-buffer";

/** Feeds `bytes` in chunks of `chunk` bytes; returns the buffer and the capacities it went through. */
function read(declared: number | null, bytes: Buffer, chunk = 64 * 1024) {
  const b = new BodyBuffer(declared);
  const capacities = [b.capacity];
  for (let at = 0; at < bytes.length; at += chunk) {
    b.push(bytes.subarray(at, at + chunk));
    if (b.capacity !== capacities.at(-1)) capacities.push(b.capacity);
  }
  return { b, capacities };
}

test("a body declared 5 MiB long is copied into one buffer that grows fourfold, to exactly its length", () => {
  const bytes = crypto.randomBytes(5 * 1024 * 1024);
  const { b, capacities } = read(bytes.length, bytes);
  assert.deepEqual(capacities, [FIRST_BYTES, 4 * FIRST_BYTES, bytes.length]);
  assert.ok(b.body().equals(bytes));
  assert.equal(b.length, bytes.length);
});

test("a declared length that never comes reserves at most the first allocation", () => {
  const b = new BodyBuffer(10 * 1024 * 1024);
  b.push(Buffer.from("x"));
  assert.equal(b.capacity, FIRST_BYTES);
  assert.equal(b.body().toString(), "x");
});

test("small, chunked and lying bodies are kept byte for byte", () => {
  const small = crypto.randomBytes(PREALLOCATE_BYTES - 1);
  const r1 = read(small.length, small, 1000);
  assert.equal(r1.b.capacity, 0, "under PREALLOCATE_BYTES: kept as chunks");
  assert.ok(r1.b.body().equals(small));

  const chunked = crypto.randomBytes(FIRST_BYTES + 300 * 1024);
  const r2 = read(null, chunked, 7000);
  assert.deepEqual(r2.capacities, [0]);
  assert.ok(r2.b.body().equals(chunked));

  // Longer than declared (cannot come from node's parser, but must not lose a byte).
  const longer = crypto.randomBytes(FIRST_BYTES + 700 * 1024);
  const r3 = read(FIRST_BYTES + 100, longer, 50_000);
  assert.equal(r3.b.capacity, 0, "went on in chunks past the declared length");
  assert.ok(r3.b.body().equals(longer));

  // Declared between two growth steps: the last step stops at the declared length.
  const odd = crypto.randomBytes(FIRST_BYTES + 12_345);
  const r4 = read(odd.length, odd, 65_000);
  assert.deepEqual(r4.capacities, [FIRST_BYTES, odd.length]);
  assert.ok(r4.b.body().equals(odd));
});

test("drop forgets what was held", () => {
  const b = new BodyBuffer(512 * 1024);
  b.push(crypto.randomBytes(100_000));
  b.drop();
  assert.equal(b.capacity, 0);
  assert.equal(b.length, 0);
  assert.equal(b.body().length, 0);
});
