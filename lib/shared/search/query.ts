// The capture search language, parsed into terms that are ANDed together. Pure and universal: the
// dashboard's search box, its chips and its live filtering use it in the browser, and the list API
// (lib/shared/search/params.ts → lib/server/db/capture-search.ts) runs the same terms as SQL.
//
//   method:POST  method:get,put        method (any of a comma list, case-insensitive)
//   path:/stripe                       path prefix; with * or ? a glob over the whole path
//   path:/stripe/*/events
//   header:stripe-signature            a header by name (case-insensitive)
//   header:"x-github-event:push"       by name and value (value case-insensitive, * wildcards)
//   type:payment_intent.succeeded      event type (lib/shared/events/event-type.ts), exact and case-sensitive
//   type:invoice.*                     with * a glob over the whole type
//   event:evt_123                      every delivery of one event: the event key (lib/shared/events/event-key.ts), exact
//   content:json                       content type contains (case-insensitive)
//   drift:true  drift:false            differs (or not) from its event type's inferred schema (lib/shared/schema/infer.ts)
//   size:>10kb  size:<=1mb  size:1kb..1mb  size:512          body size in bytes (k/m/g = 1024-based)
//   after:1h  after:2026-11-01  before:2026-11-28T12:00Z      received time (relative or ISO, UTC)
//   anything else, or "a quoted phrase"                     body text (case-insensitive)

import { eventTypeMatches } from "../events/event-type";
import { wildcardMatch } from "./wildcard";
import { formatBytes } from "../format/bytes";

export const FILTER_KEYS = ["method", "path", "header", "type", "event", "content", "drift", "size", "after", "before"] as const;
export type TFilterKey = (typeof FILTER_KEYS)[number];

export type TSearchTerm =
  | { kind: "method"; raw: string; methods: string[] }
  /** `glob` false: a prefix. `pattern` always starts with "/" (or "*"). */
  | { kind: "path"; raw: string; pattern: string; glob: boolean }
  /** `name` lower-cased; `value` null matches any value. */
  | { kind: "header"; raw: string; name: string; value: string | null }
  /** The event type: `glob` false is an exact match; true, `*` stands for any run of characters. */
  | { kind: "type"; raw: string; pattern: string; glob: boolean }
  /** The event key, exactly (case-sensitive): every delivery of one event. */
  | { kind: "event"; raw: string; key: string }
  /** Content type contains `type` (lower-cased). */
  | { kind: "content"; raw: string; type: string }
  /** Marked (true) or not (false) with drift from the inferred schema. */
  | { kind: "drift"; raw: string; drift: boolean }
  /** Inclusive byte bounds. */
  | { kind: "size"; raw: string; min: number | null; max: number | null }
  /** `at` ISO 8601 UTC; after is inclusive, before exclusive. */
  | { kind: "after"; raw: string; at: string }
  | { kind: "before"; raw: string; at: string }
  | { kind: "text"; raw: string; text: string };

export class SearchQueryError extends Error {
  override name = "SearchQueryError";
}

/** Longest query accepted; a search box needs far less, and each term costs SQL. */
export const MAX_QUERY_LENGTH = 1000;
export const MAX_TERMS = 20;
/** Body text search looks at this many leading bytes of text bodies (the index's expression). */
export const BODY_SEARCH_BYTES = 8192;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };
const RELATIVE_UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

interface Token {
  key: string | null;
  value: string;
  /** The value was (partly) quoted: never read as a filter, and a quoted free token is a phrase. */
  quoted: boolean;
  at: number;
}

/** Splits on whitespace outside double quotes; `key:"quoted value"` keeps its key. */
function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    if (/\s/.test(input[i]!)) {
      i++;
      continue;
    }
    const at = i;
    let text = "";
    let quoted = false;
    let keyEnd = -1;
    while (i < input.length && !/\s/.test(input[i]!)) {
      const ch = input[i]!;
      if (ch === '"') {
        const close = input.indexOf('"', i + 1);
        if (close === -1) throw new SearchQueryError(`Unclosed quote at character ${i + 1}: add the closing ".`);
        text += input.slice(i + 1, close);
        quoted = true;
        i = close + 1;
        continue;
      }
      if (ch === ":" && keyEnd === -1 && !quoted) keyEnd = text.length;
      text += ch;
      i++;
    }
    const key = keyEnd > 0 ? text.slice(0, keyEnd).toLowerCase() : null;
    if (key !== null && /^[a-z]+$/.test(key)) out.push({ key, value: text.slice(keyEnd + 1), quoted, at });
    else out.push({ key: null, value: text, quoted, at });
  }
  return out;
}

function quoteIfNeeded(v: string): string {
  return /[\s"]/.test(v) || v === "" ? `"${v.replaceAll('"', "")}"` : v;
}

/** Bytes in "10kb", "1.5mb", "512". */
export function parseSize(v: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?b?)$/i.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  return Number.isFinite(n) ? Math.round(n) : null;
}

/** ISO 8601 UTC for "1h" (ago), "2026-11-01" or a full date-time (no zone means UTC). */
export function parseTime(v: string, now: Date): string | null {
  const rel = /^(\d{1,6})\s*([smhdw])$/i.exec(v);
  if (rel) return new Date(now.getTime() - Number(rel[1]) * RELATIVE_UNITS[rel[2]!.toLowerCase()]!).toISOString();
  if (!ISO.test(v)) return null;
  let s = v.replace(" ", "T");
  if (s.length === 10) s += "T00:00:00Z";
  else if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(s)) s += "Z";
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function sizeTerm(value: string, raw: string): TSearchTerm {
  const bad = () =>
    new SearchQueryError(`size:${value} is not a size: use size:>10kb, size:<=1mb, size:1kb..1mb or size:512 (units b, kb, mb, gb).`);
  const v = value.trim();
  const range = /^(.*?)\.\.(.*)$/.exec(v);
  let min: number | null = null;
  let max: number | null = null;
  if (range) {
    if (range[1]) min = parseSize(range[1]);
    if (range[2]) max = parseSize(range[2]);
    if ((range[1] && min === null) || (range[2] && max === null) || (!range[1] && !range[2])) throw bad();
    if (min !== null && max !== null && min > max)
      throw new SearchQueryError(`size:${value} is empty: the lower bound is above the upper one.`);
  } else {
    const cmp = /^(>=|<=|>|<|=)?(.*)$/.exec(v)!;
    const n = parseSize(cmp[2]!);
    if (n === null) throw bad();
    switch (cmp[1]) {
      case ">":
        min = n + 1;
        break;
      case ">=":
        min = n;
        break;
      case "<":
        if (n === 0) throw new SearchQueryError(`size:${value} matches nothing: no body is smaller than 0 bytes.`);
        max = n - 1;
        break;
      case "<=":
        max = n;
        break;
      default:
        min = n;
        max = n;
    }
  }
  return { kind: "size", raw, min, max };
}

/** One `key:value` filter (value unquoted) as a term. */
export function filterTerm(key: TFilterKey, value: string, now: Date = new Date()): TSearchTerm {
  const raw = `${key}:${quoteIfNeeded(value)}`;
  if (!value.trim()) throw new SearchQueryError(`${key}: needs a value, e.g. ${EXAMPLES[key]}.`);
  switch (key) {
    case "method": {
      const methods = value.split(",").map((m) => m.trim().toUpperCase());
      for (const m of methods) {
        if (!TOKEN.test(m)) throw new SearchQueryError(`method:${value} is not a method list: use method:POST or method:get,put.`);
      }
      return { kind: "method", raw, methods: [...new Set(methods)] };
    }
    case "path": {
      const v = value.trim();
      const pattern = v.startsWith("/") || v.startsWith("*") ? v : `/${v}`;
      return { kind: "path", raw, pattern, glob: /[*?]/.test(pattern) };
    }
    case "header": {
      const colon = value.indexOf(":");
      const name = (colon === -1 ? value : value.slice(0, colon)).trim().toLowerCase();
      if (!TOKEN.test(name)) {
        throw new SearchQueryError(`header:${value}: "${name}" is not a header name; use header:name or header:"name:value".`);
      }
      return { kind: "header", raw, name, value: colon === -1 ? null : value.slice(colon + 1).trim() };
    }
    case "type": {
      const pattern = value.trim();
      if (pattern.length > 200) throw new SearchQueryError("type: takes an event type of at most 200 characters.");
      return { kind: "type", raw, pattern, glob: pattern.includes("*") };
    }
    case "event": {
      const key = value.trim();
      if (key.length > 200) throw new SearchQueryError("event: takes an event key of at most 200 characters.");
      return { kind: "event", raw, key };
    }
    case "content":
      return { kind: "content", raw, type: value.trim().toLowerCase() };
    case "drift": {
      const v = value.trim().toLowerCase();
      if (v !== "true" && v !== "false") throw new SearchQueryError(`drift:${value}: use drift:true or drift:false.`);
      return { kind: "drift", raw, drift: v === "true" };
    }
    case "size":
      return sizeTerm(value, raw);
    case "after":
    case "before": {
      const at = parseTime(value.trim(), now);
      if (at === null) {
        throw new SearchQueryError(
          `${key}:${value} is not a time: use a relative age (30m, 1h, 2d, 1w) or an ISO date (2026-11-01, 2026-11-01T12:00Z).`,
        );
      }
      return { kind: key, raw, at };
    }
  }
}

const EXAMPLES: Record<TFilterKey, string> = {
  method: "method:POST",
  path: "path:/stripe/*",
  header: 'header:stripe-signature or header:"x-github-event:push"',
  type: "type:payment_intent.succeeded or type:invoice.*",
  event: "event:evt_1NqK",
  content: "content:json",
  drift: "drift:true",
  size: "size:>10kb",
  after: "after:1h",
  before: "before:2026-11-01",
};

export function isFilterKey(k: string): k is TFilterKey {
  return (FILTER_KEYS as readonly string[]).includes(k);
}

/**
 * Parses a search box query into terms (ANDed). Relative times are resolved against `now`.
 * Throws SearchQueryError with a sentence that says what is wrong and how to write it.
 */
export function parseSearchQuery(input: string, now: Date = new Date()): TSearchTerm[] {
  if (input.length > MAX_QUERY_LENGTH) throw new SearchQueryError(`The search is too long: at most ${MAX_QUERY_LENGTH} characters.`);
  const terms: TSearchTerm[] = [];
  for (const t of tokenize(input)) {
    if (t.key !== null) {
      if (!isFilterKey(t.key)) {
        throw new SearchQueryError(
          `Unknown filter "${t.key}:". Filters are ${FILTER_KEYS.map((k) => `${k}:`).join(", ")}; to search bodies for "${t.key}:${t.value}", put it in quotes.`,
        );
      }
      terms.push(filterTerm(t.key, t.value, now));
    } else if (t.value !== "") {
      terms.push({ kind: "text", raw: t.quoted ? `"${t.value.replaceAll('"', "")}"` : t.value, text: t.value });
    }
  }
  if (terms.length > MAX_TERMS) throw new SearchQueryError(`Too many search terms: at most ${MAX_TERMS}.`);
  return terms;
}

/** The query text for `terms` (what the box shows after a chip is removed). */
export function formatSearchQuery(terms: readonly TSearchTerm[]): string {
  return terms.map((t) => t.raw).join(" ");
}

/** Chip label: "method POST", "body “refund”". */
export function describeTerm(t: TSearchTerm): { label: string; value: string } {
  switch (t.kind) {
    case "method":
      return { label: "method", value: t.methods.join(" or ") };
    case "path":
      return { label: t.glob ? "path" : "path starts", value: t.pattern };
    case "header":
      return { label: "header", value: t.value === null ? t.name : `${t.name}: ${t.value}` };
    case "type":
      return { label: "event", value: t.pattern };
    case "event":
      return { label: "deliveries of", value: t.key };
    case "content":
      return { label: "content type", value: t.type };
    case "drift":
      return { label: "drift", value: t.drift ? "yes" : "no" };
    case "size":
      return {
        label: "size",
        value:
          t.min !== null && t.max !== null
            ? t.min === t.max
              ? `${t.min} B`
              : `${formatBytes(t.min)}–${formatBytes(t.max)}`
            : t.min !== null
              ? `≥ ${formatBytes(t.min)}`
              : `≤ ${formatBytes(t.max ?? 0)}`,
      };
    case "after":
    case "before":
      return { label: t.kind, value: t.at.replace(".000Z", "Z").replace("T", " ") };
    case "text":
      return { label: "body", value: t.text };
  }
}

// --- matching summaries (live updates in the browser) ---------------------------------------------

/** What a summary carries; the header and body terms need the server. */
export interface TSummaryFields {
  method: string;
  path: string;
  size: number;
  contentType: string | null;
  receivedAt: string;
  eventType?: string | null;
  eventKey?: string | null;
  drift?: readonly unknown[] | null;
}

/**
 * True when every term can be judged from a summary (no header or body text terms; no drift term:
 * drift lands after the capture's live event, when the schema worker merges it).
 */
export function summaryCanDecide(terms: readonly TSearchTerm[]): boolean {
  return terms.every((t) => t.kind !== "header" && t.kind !== "text" && t.kind !== "drift");
}

/**
 * Whether a summary matches every term a summary can decide; header and body text terms are
 * passed (the caller asks the server when summaryCanDecide() is false).
 */
export function summaryMatches(terms: readonly TSearchTerm[], c: TSummaryFields): boolean {
  return terms.every((t) => {
    switch (t.kind) {
      case "method":
        return t.methods.includes(c.method.toUpperCase());
      case "path":
        return t.glob ? wildcardMatch(t.pattern, c.path) : c.path.startsWith(t.pattern);
      case "type":
        return eventTypeMatches(t.pattern, c.eventType);
      case "event":
        return c.eventKey === t.key;
      case "content":
        return (c.contentType ?? "").toLowerCase().includes(t.type);
      case "drift":
        return (c.drift?.length ?? 0) > 0 === t.drift;
      case "size":
        return (t.min === null || c.size >= t.min) && (t.max === null || c.size <= t.max);
      case "after":
        return Date.parse(c.receivedAt) >= Date.parse(t.at);
      case "before":
        return Date.parse(c.receivedAt) < Date.parse(t.at);
      case "header":
      case "text":
        return true;
    }
  });
}

// --- SQL pattern helpers (pure, so they are unit-tested here; lib/server/db/capture-search.ts uses them) --

/** Escapes LIKE's metacharacters (backslash is LIKE's default escape). */
export function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, "\\$&");
}

/** A glob (* any run, ? one character) as a LIKE pattern over the whole value. */
export function globToLike(glob: string): string {
  let out = "";
  for (const ch of glob) out += ch === "*" ? "%" : ch === "?" ? "_" : likeEscape(ch);
  return out;
}

/**
 * Text as Postgres' encode(bytes, 'escape') writes its UTF-8 bytes: 0x00 and 0x80–0xFF as \ooo,
 * a backslash doubled, everything else as is. hookscope_body_text() stores bodies that way.
 */
export function pgEscapeEncode(text: string): string {
  let out = "";
  for (const b of new TextEncoder().encode(text)) {
    if (b === 0 || b >= 0x80) out += `\\${b.toString(8).padStart(3, "0")}`;
    else if (b === 0x5c) out += "\\\\";
    else out += String.fromCharCode(b);
  }
  return out;
}
