// How a captured body is shown: which kind it is, whether it is safe to pretty-print and
// highlight, and how a big one is trimmed. Pure and universal, so the limits that keep the tab
// responsive (deep, huge or hostile JSON) are unit-tested.
import { looksBinary } from "./bytes";

export type TBodyKind = "empty" | "json" | "xml" | "html" | "urlencoded" | "multipart" | "text" | "binary";

/** Bodies longer than this (in characters, or bytes for hex) are shown head and tail only. */
export const TRIM_AT = 256 * 1024;
/** What a trimmed view keeps from the start and the end. */
export const TRIM_HEAD = 160 * 1024;
export const TRIM_TAIL = 32 * 1024;
/** JSON larger than this is not parsed for pretty-printing (shown raw, trimmed). */
export const PRETTY_MAX = 1024 * 1024;
/** JSON nested deeper than this is shown raw: JSON.stringify recurses and the highlighter's stack grows. */
export const PRETTY_MAX_DEPTH = 256;
/** Text longer than this is shown without syntax highlighting (rendering ~30,000 tokens already costs the main thread most of a second). */
export const HIGHLIGHT_MAX = 64 * 1024;
/** Bytes shown in the hex view (head and tail beyond it). */
export const HEX_MAX = 64 * 1024;

/** The media type, lower case and without parameters. */
export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** A parameter of a Content-Type value (`boundary`, `charset`), unquoted; null when absent. */
export function contentTypeParam(contentType: string | null | undefined, name: string): string | null {
  if (!contentType) return null;
  const re = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, "i");
  const m = re.exec(contentType);
  if (!m) return null;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : (m[2] ?? null);
}

/** The body's kind from its Content-Type, falling back to sniffing the text. */
export function bodyKind(contentType: string | null, bytes: Uint8Array, text: string | null): TBodyKind {
  if (bytes.length === 0) return "empty";
  const type = mediaType(contentType);
  if (type === "multipart/form-data") return "multipart";
  if (looksBinary(bytes, text)) return "binary";
  if (type === "application/json" || type.endsWith("+json") || type === "text/json") return "json";
  if (type === "application/x-www-form-urlencoded") return "urlencoded";
  if (type === "text/html" || type === "application/xhtml+xml") return "html";
  if (type === "application/xml" || type === "text/xml" || type.endsWith("+xml")) return "xml";
  const head = (text ?? "").slice(0, 512).trimStart();
  if (!type || type === "text/plain" || type === "application/octet-stream") {
    if (head.startsWith("{") || head.startsWith("[")) return "json";
    if (/^<!doctype html|^<html[\s>]/i.test(head)) return "html";
    if (head.startsWith("<?xml")) return "xml";
  }
  return "text";
}

/**
 * The deepest nesting of objects and arrays in JSON text, counted without parsing; stops
 * counting once past `limit` (a 100,000-deep document costs one pass, not a stack overflow).
 */
export function jsonDepth(text: string, limit = PRETTY_MAX_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

export type TPretty = { ok: true; text: string } | { ok: false; reason: string };

export interface TTrimmed<T> {
  head: T;
  tail: T;
  /** Characters (or bytes) left out between head and tail; 0 when nothing was trimmed. */
  omitted: number;
}

/** Head and tail of a long string, cut so no surrogate pair is split. */
export function trimText(text: string, at = TRIM_AT, head = TRIM_HEAD, tail = TRIM_TAIL): TTrimmed<string> {
  if (text.length <= at) return { head: text, tail: "", omitted: 0 };
  let h = head;
  if (isLowSurrogate(text.charCodeAt(h))) h--;
  let t = text.length - tail;
  if (isLowSurrogate(text.charCodeAt(t))) t++;
  return { head: text.slice(0, h), tail: text.slice(t), omitted: t - h };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Head and tail of long bytes, for the hex view. Tail starts on a 16-byte line. */
export function trimBytes(bytes: Uint8Array, at = HEX_MAX, head = (HEX_MAX * 3) / 4): TTrimmed<Uint8Array> & { tailOffset: number } {
  if (bytes.length <= at) return { head: bytes, tail: new Uint8Array(0), omitted: 0, tailOffset: bytes.length };
  const tailOffset = Math.max(head, (bytes.length - (at - head)) & ~15);
  return { head: bytes.subarray(0, head), tail: bytes.subarray(tailOffset), omitted: tailOffset - head, tailOffset };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * A classic hex dump, 16 bytes a line: offset, the bytes in hex (an extra space after the
 * eighth), and the printable ASCII ("." for anything else, so no captured byte acts as markup
 * or control). `offset` is the position of bytes[0] in the whole body.
 */
export function hexDump(bytes: Uint8Array, offset = 0): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    let hex = "";
    let ascii = "";
    for (let j = 0; j < 16; j++) {
      if (j === 8) hex += " ";
      if (j < row.length) {
        const b = row[j]!;
        hex += `${HEX[b]} `;
        ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".";
      } else hex += "   ";
    }
    lines.push(`${(offset + i).toString(16).padStart(8, "0")}  ${hex} |${ascii}|`);
  }
  return lines.join("\n");
}

/** The shiki language for a body kind; null when it is shown as plain text. */
export function highlightLanguage(kind: TBodyKind): "json" | "xml" | "html" | null {
  return kind === "json" || kind === "xml" || kind === "html" ? kind : null;
}
