// Compares two captures: request line, query parameters, headers and body. Pure and universal:
// the dashboard runs it in a Web Worker (compare.worker.ts) so a 1 MiB body never blocks the tab,
// and node:test runs it directly. The result is plain data (structured-clone safe).
import type { TCapture } from "../validation/captures";
import { diffBytes, firstDifferingOffset, type TByteDiff } from "./bytes";
import { diffJson, type TJsonDiff } from "./json-diff";
import { parseJsonLossless, type TJsonValue } from "./json-parse";
import { diffText, type TLineDiff } from "./lines";
import { diffPairs, parseQuery, type TPairRow } from "./pairs";

/** A body to compare: its exact bytes (the whole body, never a preview) and their UTF-8 text, or null when not UTF-8. */
export interface TCompareBody {
  bytes: Uint8Array;
  text: string | null;
}

export type TCompareInput = Pick<TCapture, "method" | "path" | "query" | "headers" | "httpVersion"> & { body: TCompareBody };

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

function tryJson(text: string): TJsonValue | undefined {
  // Cheap test first: most non-JSON text fails on its first character.
  if (!/^[\s\uFEFF]*[[{"\-0-9tfn]/.test(text.slice(0, 64))) return undefined;
  try {
    return parseJsonLossless(text);
  } catch {
    return undefined;
  }
}

export function compareBodies(a: TCompareBody, b: TCompareBody, opts: { timeoutMs?: number } = {}): TBodyDiff {
  const bytesA = a.bytes;
  const bytesB = b.bytes;
  const sizes = { sizeA: bytesA.length, sizeB: bytesB.length };
  if (firstDifferingOffset(bytesA, bytesB) === null) return { ...sizes, mode: "identical", text: a.text !== null };
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
