// Header values as people read them. Capture stores each value as node's latin1 reading of the
// wire bytes (lossless); when those bytes are valid UTF-8, the UTF-8 reading is what the sender meant.
import { decodeUtf8, latin1ToBytes } from "./bytes";

/** node's rawHeaders (or rawTrailers), a flat name, value, name, value… list, as [name, value] pairs: original case, order and repeats. */
export function headerPairs(raw: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/**
 * The value to show: the UTF-8 reading when the bytes are valid UTF-8, else the latin1 reading.
 * Also used for paths and query strings, which node hands over the same way.
 */
export function headerDisplayValue(value: string): string {
  const bytes = latin1ToBytes(value);
  if (!bytes) return value;
  for (const b of bytes) {
    if (b >= 0x80) return decodeUtf8(bytes) ?? value;
  }
  return value;
}

/** Whether a header value's bytes are not valid UTF-8 (shown as latin1, flagged in the table). */
export function isLatin1Only(value: string): boolean {
  const bytes = latin1ToBytes(value);
  return bytes !== null && bytes.some((b) => b >= 0x80) && decodeUtf8(bytes) === null;
}
