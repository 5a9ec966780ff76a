// Byte helpers shared by the body viewer and the request generators. Universal: no Buffer, so the
// same code runs in the browser and in node:test.

/** Decodes standard base64 (what the capture API sends) to bytes. */
export function base64ToBytes(base64: string): Uint8Array {
  const bin = atob(base64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Standard base64 of bytes. Chunked so a 10 MiB body does not overflow String.fromCharCode's argument list. */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin);
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The bytes read as UTF-8, or null when they are not valid UTF-8. A leading BOM is kept as U+FEFF. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Each code unit as one byte; null when a code unit is above 0xFF (the string is not a byte string). */
export function latin1ToBytes(s: string): Uint8Array | null {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) return null;
    out[i] = c;
  }
  return out;
}

/** Each byte as the code point of the same value (a "byte string"). */
export function bytesToLatin1(bytes: Uint8Array): string {
  let s = "";
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) s += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return s;
}

const utf8Encoder = new TextEncoder();

export function encodeUtf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/**
 * Whether bytes should be shown as a hex dump rather than as text: not valid UTF-8, or valid but
 * full of NULs and other control bytes (UTF-16, images that happen to decode, protobuf).
 * Tab, LF, CR, FF and ESC (ANSI colours in logs) count as text.
 */
export function looksBinary(bytes: Uint8Array, text: string | null): boolean {
  if (bytes.length === 0) return false;
  if (text === null) return true;
  const sample = bytes.length > 64 * 1024 ? bytes.subarray(0, 64 * 1024) : bytes;
  let nul = 0;
  let control = 0;
  for (const b of sample) {
    if (b === 0) nul++;
    else if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return nul > sample.length / 100 || nul + control > sample.length / 10;
}

/** Bytes in words, powers of 1024 as the limits are: "512 B", "1.5 KiB", "10 MiB". The one size format of the UI. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}
