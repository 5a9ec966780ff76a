import assert from "node:assert/strict";
import crypto from "node:crypto";
import { test } from "node:test";
import { BodyBuffer, COPY_FROM_BYTES, MIN_CAPACITY_BYTES } from "./body-buffer";

const MiB = 1024 * 1024;

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

test("a body declared 1 MiB long is copied into one buffer: 256 KiB at its first bytes, then exactly its length", () => {
  const bytes = crypto.randomBytes(MiB);
  const { b, capacities } = read(bytes.length, bytes);
  assert.deepEqual(capacities, [0, MIN_CAPACITY_BYTES, MiB]);
  assert.ok(b.body().equals(bytes));
  assert.equal(b.length, bytes.length);
});

test("a body declared 10 MiB long grows fourfold, then straight to its length", () => {
  const bytes = crypto.randomBytes(10 * MiB);
  const { b, capacities } = read(bytes.length, bytes);
  assert.deepEqual(capacities, [0, MIN_CAPACITY_BYTES, MiB, 4 * MiB, 10 * MiB]);
  assert.ok(b.body().equals(bytes));
});

test("a declared length reserves nothing until bytes come, then at most max(256 KiB, 3 × what came) ahead", () => {
  const b = new BodyBuffer(10 * MiB);
  assert.equal(b.capacity, 0);
  b.push(Buffer.from("x"));
  assert.equal(b.capacity, MIN_CAPACITY_BYTES);
  assert.equal(b.body().toString(), "x");
  // A first read bigger than the minimum: four times it.
  const c = new BodyBuffer(10 * MiB);
  c.push(Buffer.alloc(100 * 1024));
  assert.equal(c.capacity, 400 * 1024);
});

test("whatever the reads' sizes, the room set aside ahead of the bytes stays within max(256 KiB, 3 × what came)", () => {
  for (const [declared, chunk] of [
    [1280 * 1024, 1000],
    [1280 * 1024, 16 * 1024],
    [20 * MiB, 16 * 1024],
    [3 * MiB + 7, 65_536],
  ] as const) {
    const bytes = crypto.randomBytes(declared);
    const b = new BodyBuffer(declared);
    for (let at = 0; at < bytes.length; at += chunk) {
      b.push(bytes.subarray(at, at + chunk));
      const ahead = b.capacity - b.length;
      assert.ok(ahead <= Math.max(MIN_CAPACITY_BYTES, 3 * b.length), `${declared}/${chunk}: ${ahead} ahead of ${b.length}`);
    }
    assert.ok(b.body().equals(bytes));
  }
});

test("when no bigger buffer can be had, the body goes on in chunks without losing a byte", (t) => {
  const bytes = crypto.randomBytes(3 * MiB);
  const b = new BodyBuffer(bytes.length);
  b.push(bytes.subarray(0, 64 * 1024));
  assert.equal(b.capacity, MIN_CAPACITY_BYTES);
  t.mock.method(Buffer, "allocUnsafeSlow", () => {
    throw new RangeError("Array buffer allocation failed");
  });
  for (let at = 64 * 1024; at < bytes.length; at += 64 * 1024) b.push(bytes.subarray(at, at + 64 * 1024));
  assert.equal(b.capacity, 0);
  assert.ok(b.body().equals(bytes));
});

test("small and chunked bodies are kept as chunks, byte for byte", () => {
  const small = crypto.randomBytes(COPY_FROM_BYTES - 1);
  const r1 = read(small.length, small, 1000);
  assert.deepEqual(r1.capacities, [0], "under COPY_FROM_BYTES");
  assert.ok(r1.b.body().equals(small));

  const chunked = crypto.randomBytes(MiB + 300 * 1024);
  const r2 = read(null, chunked, 7000);
  assert.deepEqual(r2.capacities, [0]);
  assert.ok(r2.b.body().equals(chunked));
});

test("a body longer than declared goes on in chunks without losing a byte", () => {
  // node's parser ends a body at its Content-Length; this guards the buffer, not the parser.
  const longer = crypto.randomBytes(MiB);
  const r = read(COPY_FROM_BYTES + 100, longer, 50_000);
  assert.equal(r.b.capacity, 0);
  assert.ok(r.b.body().equals(longer));
});

test("drop forgets what was held", () => {
  const b = new BodyBuffer(512 * 1024);
  b.push(crypto.randomBytes(100_000));
  b.drop();
  assert.equal(b.capacity, 0);
  assert.equal(b.length, 0);
  assert.equal(b.body().length, 0);
});
