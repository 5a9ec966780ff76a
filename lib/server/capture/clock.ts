// Wall-clock time with microseconds: Date.now() anchored once, then advanced by hrtime.
const ANCHOR_MS = Date.now();
const ANCHOR_HR = process.hrtime.bigint();

/** Microseconds since the Unix epoch. */
export function nowMicros(): bigint {
  return BigInt(ANCHOR_MS) * 1000n + (process.hrtime.bigint() - ANCHOR_HR) / 1000n;
}

/** ISO 8601 UTC with six fractional digits, e.g. 2026-11-28T17:42:02.123456Z. */
export function isoMicros(micros: bigint): string {
  const ms = Number(micros / 1000n);
  const frac = String(micros % 1_000_000n).padStart(6, "0");
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}Z`;
}
