// The capture detail's body preview: the first BODY_PREVIEW_BYTES of a body, sent once, as UTF-8
// text when those bytes are valid UTF-8 (and not so full of characters JSON escapes that base64
// is shorter), as base64 otherwise. The exact bytes are always one GET
// of the detail's `bodyUrl` away. Universal: the server builds it, the dashboard and CLI read it.
import { base64ToBytes, bytesToBase64, decodeUtf8, encodeUtf8 } from "./bytes";

/** Bytes of a body the capture detail carries inline (256 KiB); the rest loads from its body URL. */
export const BODY_PREVIEW_BYTES = 256 * 1024;

export type TBodyPreviewData = { encoding: "utf8" | "base64"; data: string };

/**
 * The preview of a body from its first bytes (`head`, at most BODY_PREVIEW_BYTES; the whole body
 * when it is that small) and its full size. A cut inside a UTF-8 character drops that character's
 * leading bytes (at most 3), so a text body stays text; the preview is then a little shorter.
 */
export function makeBodyPreview(head: Uint8Array, size: number): TBodyPreviewData & { truncated: boolean } {
  const truncated = size > head.length;
  for (let drop = 0; drop <= (truncated ? 3 : 0) && drop < Math.max(head.length, 1); drop++) {
    const bytes = drop ? head.subarray(0, head.length - drop) : head;
    const text = decodeUtf8(bytes);
    if (text === null) continue;
    // Text full of what JSON escapes (quotes, control bytes: up to 6x) goes as base64 when its JSON
    // would pass what base64 of a whole preview costs, so the preview's share of the answer stays
    // under BODY_PREVIEW_BYTES * 4/3 whatever the body.
    if (jsonStringBytes(bytes) <= base64Length(BODY_PREVIEW_BYTES)) return { encoding: "utf8", data: text, truncated };
    break;
  }
  return { encoding: "base64", data: bytesToBase64(head), truncated };
}

const base64Length = (n: number) => 4 * Math.ceil(n / 3);

/** Bytes of UTF-8 text inside a JSON string (JSON.stringify's escapes: \" \\ \n …, \u00XX for other control bytes). */
function jsonStringBytes(utf8: Uint8Array): number {
  let n = utf8.length;
  for (const b of utf8) {
    if (b === 0x22 || b === 0x5c || b === 0x08 || b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d) n += 1;
    else if (b < 0x20 || b === 0x7f) n += b === 0x7f ? 0 : 5;
  }
  return n;
}

/** The preview's bytes (the whole body when it was not truncated). */
export function bodyPreviewBytes(p: TBodyPreviewData): Uint8Array {
  return p.encoding === "utf8" ? encodeUtf8(p.data) : base64ToBytes(p.data);
}

/** The preview as text, or null when its bytes are not UTF-8. */
export function bodyPreviewText(p: TBodyPreviewData): string | null {
  return p.encoding === "utf8" ? p.data : null;
}
