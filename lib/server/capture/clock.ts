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
