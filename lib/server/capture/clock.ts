// Wall-clock time with microseconds: Date.now() anchored once, then advanced by hrtime.
const ANCHOR_US = BigInt(Date.now()) * 1000n;
const ANCHOR_HR = process.hrtime.bigint();

/** Microseconds since the Unix epoch. */
export function nowMicros(): bigint {
  return ANCHOR_US + (process.hrtime.bigint() - ANCHOR_HR) / 1000n;
}

/** ISO 8601 UTC with six fractional digits, e.g. 2026-11-28T17:42:02.123456Z. */
export function isoMicros(micros: bigint): string {
  // Exact as a double until the year 2255 (2^53 µs); a bigint division allocates on every call.
  const us = Number(micros);
  const frac = String(us % 1_000_000).padStart(6, "0");
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${frac}Z`;
}

/** duration_us is an int column: 2^31 − 1 µs, about 35.8 minutes. */
export const MAX_DURATION_US = 2_147_483_647;

/**
 * Microseconds from `startHr` (process.hrtime.bigint()) to `nowHr`, at most MAX_DURATION_US. A
 * request can take longer (a slow body under a long REQUEST_TIMEOUT_SECONDS, or one pipelined
 * behind many delayed answers), and one value past the column would fail its whole group commit.
 */
export function elapsedMicros(startHr: bigint, nowHr: bigint = process.hrtime.bigint()): number {
  const us = Number((nowHr - startHr) / 1000n);
  return us > MAX_DURATION_US ? MAX_DURATION_US : us;
}
