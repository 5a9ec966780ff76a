import assert from "node:assert/strict";
import { test } from "node:test";
import { elapsedMicros, isoMicros, MAX_DURATION_US, nowMicros } from "./clock";

const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

test("isoMicros prints UTC with exactly six fractional digits", () => {
  assert.equal(isoMicros(0n), "1970-01-01T00:00:00.000000Z");
  assert.equal(isoMicros(1n), "1970-01-01T00:00:00.000001Z");
  assert.equal(isoMicros(999_999n), "1970-01-01T00:00:00.999999Z");
  assert.equal(isoMicros(1_000_000n), "1970-01-01T00:00:01.000000Z");
  assert.equal(isoMicros(1_795_887_722_123_456n), "2026-11-28T17:42:02.123456Z");
});

test("isoMicros keeps the microseconds that a Date would drop", () => {
  const ms = Date.parse("2031-02-03T04:05:06.789Z");
  assert.equal(isoMicros(BigInt(ms) * 1000n + 12n), "2031-02-03T04:05:06.789012Z");
  // Leap-year day and end of year roll over like Date does.
  assert.equal(isoMicros(BigInt(Date.parse("2028-02-29T23:59:59.999Z")) * 1000n + 999n), "2028-02-29T23:59:59.999999Z");
  assert.equal(isoMicros(BigInt(Date.parse("2029-12-31T23:59:59.999Z")) * 1000n + 1000n), "2030-01-01T00:00:00.000000Z");
});

test("isoMicros round-trips through Date at millisecond precision", () => {
  for (let i = 0; i < 1000; i++) {
    const micros = BigInt(Math.floor(Math.random() * 4_000_000_000_000)) * 1000n + BigInt(Math.floor(Math.random() * 1000));
    const s = isoMicros(micros);
    assert.match(s, ISO_MICROS);
    assert.equal(BigInt(Date.parse(s)), micros / 1000n, s);
    assert.equal(s.slice(20, 26), String(micros % 1_000_000n).padStart(6, "0"));
  }
});

test("nowMicros tracks the wall clock", () => {
  const before = BigInt(Date.now()) * 1000n;
  const now = nowMicros();
  const after = BigInt(Date.now()) * 1000n;
  // Anchored once at load, so allow a little drift between the two clocks.
  assert.ok(now >= before - 50_000n && now <= after + 1_050_000n, `${now} not within [${before}, ${after}]`);
  assert.match(isoMicros(now), ISO_MICROS);
});

test("nowMicros never goes backwards and advances", () => {
  let prev = nowMicros();
  const first = prev;
  for (let i = 0; i < 100_000; i++) {
    const t = nowMicros();
    assert.ok(t >= prev, `went backwards: ${t} < ${prev}`);
    prev = t;
  }
  const deadline = Date.now() + 1000;
  while (nowMicros() === first && Date.now() < deadline) {
    // spin: a microsecond clock must move within a second
  }
  assert.ok(nowMicros() > first);
});

test("elapsedMicros counts whole microseconds and stops at what duration_us (an int) holds", () => {
  assert.equal(elapsedMicros(1_000n, 1_000n), 0);
  assert.equal(elapsedMicros(1_000n, 5_999n), 4);
  assert.equal(elapsedMicros(0n, 2_147_483_647_000n), MAX_DURATION_US);
  // 40 minutes: a request pipelined behind 80 answers that each wait 30 s.
  assert.equal(elapsedMicros(0n, 40n * 60n * 1_000_000_000n), MAX_DURATION_US);
  assert.equal(MAX_DURATION_US, 2 ** 31 - 1);
});
