// Form bodies parsed into fields and files for display. The raw bytes stay the truth (the raw
// toggle shows them); these parsers never throw on hostile input, they report what they could read.
import { decodeUtf8, looksBinary } from "./bytes";
import { contentTypeParam } from "./body";

/** Fields shown at most; a form with more says how many were left out. */
export const MAX_FORM_FIELDS = 1000;

export interface TUrlEncodedField {
  name: string;
  value: string;
  /** The percent-encoding was broken, so name/value are shown as sent. */
  malformed: boolean;
}

function decodeComponent(s: string): { text: string; ok: boolean } {
  try {
    return { text: decodeURIComponent(s.replaceAll("+", " ")), ok: true };
  } catch {
    return { text: s, ok: false };
  }
}

/** `application/x-www-form-urlencoded` (also a query string) into name/value pairs, in order, repeats kept. */
export function parseUrlEncoded(text: string, max = MAX_FORM_FIELDS): { fields: TUrlEncodedField[]; omitted: number } {
  const fields: TUrlEncodedField[] = [];
  let omitted = 0;
  for (const part of text.split("&")) {
    if (!part) continue;
    if (fields.length >= max) {
      omitted++;
      continue;
    }
    const eq = part.indexOf("=");
    const name = decodeComponent(eq === -1 ? part : part.slice(0, eq));
    const value = decodeComponent(eq === -1 ? "" : part.slice(eq + 1));
    fields.push({ name: name.text, value: value.text, malformed: !name.ok || !value.ok });
  }
  return { fields, omitted };
}

export interface TMultipartPart {
  name: string | null;
  filename: string | null;
  contentType: string | null;
  /** Part headers as sent (UTF-8 when valid, else the latin1 reading of the bytes). */
  headers: [string, string][];
  size: number;
  /** The part's content when it is UTF-8 text; null for binary content. */
  text: string | null;
  /** Byte offset of the content within the body (for a hex view of one file). */
  start: number;
}

export interface TMultipart {
  parts: TMultipartPart[];
  omitted: number;
  /** Why parsing stopped early or failed (no boundary, no closing delimiter); null when clean. */
  problem: string | null;
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  outer: for (let i = hay.indexOf(first!, from); i !== -1 && i <= hay.length - needle.length; i = hay.indexOf(first!, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function dispositionParam(disposition: string, name: string): string | null {
  // Content-Disposition params share the Content-Type syntax (quoted or token).
  return contentTypeParam(`x; ${disposition.replace(/^[^;]*;?/, "")}`, name);
}

/** `multipart/form-data` into its parts with sizes. Text previews are the caller's to cut. */
export function parseMultipart(contentType: string | null, bytes: Uint8Array, max = MAX_FORM_FIELDS): TMultipart {
  const boundary = contentTypeParam(contentType, "boundary");
  if (!boundary) return { parts: [], omitted: 0, problem: "The Content-Type names no boundary, so the parts cannot be told apart." };
  const enc = new TextEncoder();
  const delimiter = enc.encode(`--${boundary}`);
  const between = enc.encode(`\r\n--${boundary}`);
  const parts: TMultipartPart[] = [];
  let omitted = 0;
  let at = indexOf(bytes, delimiter, 0);
  if (at === -1) return { parts, omitted, problem: "The boundary never appears in the body." };
  for (;;) {
    let pos = at + delimiter.length;
    if (bytes[pos] === 0x2d && bytes[pos + 1] === 0x2d) return { parts, omitted, problem: null }; // closing "--"
    // Skip transport padding and the CRLF after the delimiter.
    while (bytes[pos] === 0x20 || bytes[pos] === 0x09) pos++;
    if (bytes[pos] === 0x0d && bytes[pos + 1] === 0x0a) pos += 2;
    else if (bytes[pos] === 0x0a) pos += 1;
    const headerEnd = indexOf(bytes, enc.encode("\r\n\r\n"), pos);
    const next = indexOf(bytes, between, pos);
    if (headerEnd === -1 || (next !== -1 && headerEnd > next)) {
      return { parts, omitted, problem: "A part has no blank line between its headers and content." };
    }
    const contentStart = headerEnd + 4;
    const contentEnd = next === -1 ? bytes.length : next;
    if (parts.length >= max) omitted++;
    else {
      const rawHeaders = bytes.subarray(pos, headerEnd);
      const headers: [string, string][] = (decodeUtf8(rawHeaders) ?? latin1(rawHeaders))
        .split("\r\n")
        .filter(Boolean)
        .map((line) => {
          const colon = line.indexOf(":");
          return colon === -1 ? [line, ""] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
        });
      const get = (n: string) => headers.find(([k]) => k.toLowerCase() === n)?.[1] ?? null;
      const disposition = get("content-disposition") ?? "";
      const content = bytes.subarray(contentStart, contentEnd);
      const text = decodeUtf8(content);
      parts.push({
        name: dispositionParam(disposition, "name"),
        filename: dispositionParam(disposition, "filename"),
        contentType: get("content-type"),
        headers,
        size: content.length,
        text: text !== null && !looksBinary(content, text) ? text : null,
        start: contentStart,
      });
    }
    if (next === -1) return { parts, omitted, problem: "The body ends without the closing boundary (it may have been cut short)." };
    at = next + 2;
  }
}
