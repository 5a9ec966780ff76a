// Capture filters as URL query parameters, one zod schema for every route that filters captures
// (the list, and export and wait): `q` takes the whole search language, and each filter also has a
// parameter of its own taking what follows its "key:" (`method=POST`, `path=/stripe/*`,
// `header=x-github-event:push`, `type=invoice.*`, `event=evt_123`, `content=json`, `drift=true`, `size=>10kb`, `after=1h`, `before=2026-11-01`,
// `text=refund`). All of them are ANDed. The output is the parsed terms, ready for
// lib/server/db/capture-search.ts (SQL) or summaryMatches() (browser).
import { z } from "zod";
import { FILTER_KEYS, MAX_QUERY_LENGTH, SearchQueryError, filterTerm, parseSearchQuery, type TFilterKey, type TSearchTerm } from "./query";

const param = z.string().max(MAX_QUERY_LENGTH, `at most ${MAX_QUERY_LENGTH} characters`).optional();

/** The raw parameters, for routes that extend them (z.object({...CAPTURE_FILTER_PARAMS, ...})). */
export const CAPTURE_FILTER_PARAMS = {
  q: param,
  method: param,
  path: param,
  header: param,
  type: param,
  event: param,
  content: param,
  drift: param,
  size: param,
  after: param,
  before: param,
  text: param,
} as const;

export const ZCaptureFilterParams = z.object(CAPTURE_FILTER_PARAMS);
export type TCaptureFilterParams = z.infer<typeof ZCaptureFilterParams>;

/** Terms for the parameters; throws SearchQueryError (a worded message) on a bad one. */
export function captureFilterTerms(p: TCaptureFilterParams, now: Date = new Date()): TSearchTerm[] {
  const terms = p.q ? parseSearchQuery(p.q, now) : [];
  for (const key of FILTER_KEYS) {
    const v = p[key as TFilterKey];
    if (v !== undefined && v !== "") terms.push(filterTerm(key, v, now));
  }
  if (p.text?.trim()) terms.push({ kind: "text", raw: `"${p.text.replaceAll('"', "")}"`, text: p.text });
  return terms;
}

/** Query parameters → terms; a bad filter is a validation issue whose message says what is wrong (400). */
export const ZCaptureFilter = ZCaptureFilterParams.transform(toFilterTerms);

/** captureFilterTerms as a zod transform: a SearchQueryError becomes the validation issue's message. */
export function toFilterTerms(p: TCaptureFilterParams, ctx: z.RefinementCtx): TSearchTerm[] {
  try {
    return captureFilterTerms(p);
  } catch (e) {
    if (!(e instanceof SearchQueryError)) throw e;
    ctx.addIssue({ code: "custom", message: e.message, input: p });
    return z.NEVER;
  }
}

/** Parameters for a search query string (what the dashboard sends): `q` only, empty when blank. */
export function captureFilterSearchParams(query: string): URLSearchParams {
  const q = new URLSearchParams();
  if (query.trim()) q.set("q", query.trim());
  return q;
}
