// Compares two captures: request line, query parameters, headers and body. Pure and universal:
// the dashboard runs it in a Web Worker (compare.worker.ts) so a 1 MiB body never blocks the tab,
// and node:test runs it directly. The result is plain data (structured-clone safe).
import type { TCapture } from "../validation/captures";
import { diffBytes, type TByteDiff } from "./bytes";
import { diffJson, type TJsonDiff } from "./json-diff";
import { parseJsonLossless, type TJsonValue } from "./json-parse";
import { diffText, type TLineDiff } from "./lines";
import { diffPairs, parseQuery, type TPairRow } from "./pairs";

export type TCompareInput = Pick<TCapture, "method" | "path" | "query" | "headers" | "httpVersion" | "body">;

export type TBodyDiff = { sizeA: number; sizeB: number } & (
  | { mode: "identical"; text: boolean }
  /** Both bodies are JSON: changed paths, key order and whitespace ignored. */
  | { mode: "json"; json: TJsonDiff }
  /** Both are UTF-8 text (at least one not JSON): lines. */
  | { mode: "text"; lines: TLineDiff; note: string | null }
  /** At least one is not valid UTF-8: sizes and the first differing byte. */
  | { mode: "binary"; bytes: TByteDiff }
);

export interface TCaptureComparison {
  request: TPairRow[];
  query: TPairRow[];
  headers: TPairRow[];
  body: TBodyDiff;
}

export function decodeBase64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function tryJson(text: string): TJsonValue | undefined {
  // Cheap test first: most non-JSON text fails on its first character.
  if (!/^[\s\uFEFF]*[[{"\-0-9tfn]/.test(text.slice(0, 64))) return undefined;
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}

export function compareBodies(a: TCompareInput["body"], b: TCompareInput["body"], opts: { timeoutMs?: number } = {}): TBodyDiff {
  const bytesA = decodeBase64(a.base64);
  const bytesB = decodeBase64(b.base64);
  const sizes = { sizeA: bytesA.length, sizeB: bytesB.length };
  if (a.base64 === b.base64) return { ...sizes, mode: "identical", text: a.text !== null };
  if (a.text !== null && b.text !== null) {
    const ja = tryJson(a.text);
    const jb = ja === undefined ? undefined : tryJson(b.text);
    if (ja !== undefined && jb !== undefined) return { ...sizes, mode: "json", json: diffJson(ja, jb) };
    const note = ja !== undefined ? "A is JSON and B is not, so they are compared as text." : null;
    const noteB = ja === undefined && tryJson(b.text) !== undefined ? "B is JSON and A is not, so they are compared as text." : null;
    return { ...sizes, mode: "text", lines: diffText(a.text, b.text, opts), note: note ?? noteB };
  }
  return { ...sizes, mode: "binary", bytes: diffBytes(bytesA, bytesB) };
}

export function compareCaptures(a: TCompareInput, b: TCompareInput, opts: { timeoutMs?: number } = {}): TCaptureComparison {
  const line = (c: TCompareInput): [string, string][] => [
    ["Method", c.method],
    ["Path", c.path],
    ["Query string", c.query ?? ""],
    ["HTTP version", c.httpVersion],
  ];
  return {
    request: diffPairs(line(a), line(b), { caseInsensitiveNames: false }),
    query: diffPairs(parseQuery(a.query), parseQuery(b.query), { caseInsensitiveNames: false }),
    headers: diffPairs(a.headers, b.headers, { caseInsensitiveNames: true }),
    body: compareBodies(a.body, b.body, opts),
  };
}

/** How many rows differ: what the summary line counts. */
export function changedCount(rows: readonly TPairRow[]): number {
  return rows.reduce((n, r) => n + (r.kind === "same" ? 0 : 1), 0);
}
