// Binary bodies: sizes, the first offset where the bytes differ, and a hex window around it.

export interface TByteWindow {
  /** Offset of the first byte shown. */
  start: number;
  /** Hex of the bytes from `start`, two digits each. */
  hexA: string[];
  hexB: string[];
}

export interface TByteDiff {
  sizeA: number;
  sizeB: number;
  /** First offset at which the bodies differ (the shorter length when one is a prefix of the other), or null when identical. */
  firstDifference: number | null;
  /** Bytes around the first difference (16-byte aligned), for a side-by-side hex dump. */
  window: TByteWindow | null;
}

/** First differing offset of two byte arrays, or null when they are identical. */
export function firstDifferingOffset(a: Uint8Array, b: Uint8Array): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? null : n;
}

const hex = (bytes: Uint8Array, from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = from; i < Math.min(to, bytes.length); i++) out.push(bytes[i]!.toString(16).padStart(2, "0"));
  return out;
};

export function diffBytes(a: Uint8Array, b: Uint8Array, windowBytes = 64): TByteDiff {
  const first = firstDifferingOffset(a, b);
  let window: TByteWindow | null = null;
  if (first !== null) {
    const start = Math.max(0, Math.floor(first / 16) * 16 - 16);
    window = { start, hexA: hex(a, start, start + windowBytes), hexB: hex(b, start, start + windowBytes) };
  }
  return { sizeA: a.length, sizeB: b.length, firstDifference: first, window };
}
