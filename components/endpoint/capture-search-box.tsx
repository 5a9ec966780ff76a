"use client";
// The search box above the capture list: the query language of lib/shared/search, one chip per term
// (× removes it), and the parser's message when the query is not valid.
import { useMemo, type Ref } from "react";
import { EscapedText } from "@/components/capture/escaped-text";
import { escapeHidden } from "@/lib/shared/format/invisible";
import { describeTerm, formatSearchQuery, type TSearchTerm } from "@/lib/shared/search/query";

/** Most event-type chips offered at once. */
const MAX_TYPE_CHIPS = 6;

/** The event types among `rows`, most frequent first (ties: newest first), at most MAX_TYPE_CHIPS. */
export function frequentEventTypes(rows: readonly { eventType?: string | null }[]): { type: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.eventType) counts.set(r.eventType, (counts.get(r.eventType) ?? 0) + 1);
  return [...counts]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => b.count - a.count)
    .slice(0, MAX_TYPE_CHIPS);
}

/** A type: term's text for a type (quoted when it has spaces or quotes). */
export function typeTerm(type: string): string {
  return /[\s"]/.test(type) ? `type:"${type.replaceAll('"', "")}"` : `type:${type}`;
}

export const SEARCH_HELP =
  'Search: method:POST  path:/stripe/*  header:stripe-signature  header:"x-github-event:push"  type:payment_intent.succeeded  type:invoice.*  event:evt_123  content:json  size:>10kb  size:1kb..1mb  after:1h  before:2026-11-01  and words or "a phrase" in the body. Terms are ANDed.';

export function CaptureSearchBox({
  inputRef,
  value,
  onChange,
  terms,
  error,
  count,
  rows = [],
  onOpenCatalogue,
}: {
  inputRef: Ref<HTMLInputElement>;
  value: string;
  onChange: (value: string) => void;
  /** The parsed terms of the current query (empty while it has none or is invalid). */
  terms: readonly TSearchTerm[];
  error: string | null;
  /** Matches loaded so far, and whether more exist; null when not searching. */
  count: { loaded: number; more: boolean } | null;
  /** The loaded captures: their event types become one-click filter chips. */
  rows?: readonly { eventType?: string | null }[];
  /** Opens the event catalogue (every type the endpoint has been sent, not just those loaded). */
  onOpenCatalogue?: () => void;
}) {
  const types = useMemo(() => frequentEventTypes(rows), [rows]);
  const filteringByType = terms.some((t) => t.kind === "type");
  return (
    <div className="border-b border-zinc-200 p-2 dark:border-zinc-800">
      <div className="flex items-center gap-2">
        <div className="relative min-w-0 flex-1">
          <input
            ref={inputRef}
            type="search"
            data-testid="capture-filter"
            aria-label="Search captures"
            aria-describedby="capture-search-help"
            aria-invalid={error ? true : undefined}
            placeholder="Search: method:POST path:/stripe/* refund"
            title={SEARCH_HELP}
            spellCheck={false}
            autoComplete="off"
            value={value}
            onChange={(e) => onChange(e.target.value)}
            className="w-full rounded-md border border-zinc-200 bg-white py-1 pr-7 pl-2 font-mono text-[13px] placeholder:font-sans placeholder:text-zinc-400 aria-[invalid]:border-red-400 dark:border-zinc-700 dark:bg-zinc-900"
          />
          {!value && (
            <kbd
              aria-hidden="true"
              className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-zinc-300 px-1 font-mono text-[11px] leading-4 text-zinc-400 dark:border-zinc-700"
            >
              /
            </kbd>
          )}
        </div>
        {count && (
          <span data-testid="search-count" className="shrink-0 text-xs text-zinc-500 tabular-nums">
            {count.loaded.toLocaleString("en")}
            {count.more ? "+" : ""} {count.loaded === 1 && !count.more ? "match" : "matches"}
          </span>
        )}
      </div>
      <p id="capture-search-help" className="sr-only">
        {SEARCH_HELP}
      </p>
      {error ? (
        <p role="alert" data-testid="search-error" className="mt-1.5 text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : (
        terms.length > 0 && (
          <ul aria-label="Search filters" data-testid="search-chips" className="mt-1.5 flex flex-wrap gap-1">
            {terms.map((t, i) => {
              const { label, value: v } = describeTerm(t);
              return (
                <li
                  key={`${i}-${t.raw}`}
                  data-testid="search-chip"
                  data-kind={t.kind}
                  className="inline-flex max-w-full items-center gap-1 rounded-full border border-indigo-200 bg-indigo-50 py-0.5 pr-0.5 pl-2 text-xs text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950 dark:text-indigo-100"
                >
                  <span className="text-indigo-500 dark:text-indigo-300">{label}</span>
                  <span className="truncate font-mono">{v}</span>
                  <button
                    type="button"
                    aria-label={`Remove filter ${label} ${v}`}
                    onClick={() => onChange(formatSearchQuery(terms.filter((_, j) => j !== i)))}
                    className="grid size-4 place-items-center rounded-full text-indigo-500 hover:bg-indigo-200 hover:text-indigo-900 dark:hover:bg-indigo-800 dark:hover:text-white"
                  >
                    ×
                  </button>
                </li>
              );
            })}
          </ul>
        )
      )}
      {!error && !filteringByType && types.length > 0 && (
        // On a phone the list keeps the screen: type: in the search does the same.
        <div className="mt-1.5 flex min-w-0 items-center gap-1 overflow-hidden max-sm:hidden" data-testid="event-type-chips">
          <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400">Events</span>
          <ul aria-label="Filter by event type" className="flex min-w-0 gap-1 overflow-x-auto">
            {types.map(({ type, count }) => (
              <li key={type} className="shrink-0">
                <button
                  type="button"
                  data-testid="event-type-chip"
                  aria-label={`Show only ${escapeHidden(type)} events`}
                  title={`Show only ${escapeHidden(type)} (${count} loaded)`}
                  onClick={() => onChange([value.trim(), typeTerm(type)].filter(Boolean).join(" "))}
                  className="max-w-48 truncate rounded-full border border-zinc-200 px-2 py-0.5 font-mono text-[11px] text-zinc-700 hover:border-indigo-300 hover:bg-indigo-50 hover:text-indigo-900 dark:border-zinc-700 dark:text-zinc-300 dark:hover:border-indigo-800 dark:hover:bg-indigo-950 dark:hover:text-indigo-100"
                >
                  <EscapedText text={type} />
                </button>
              </li>
            ))}
          </ul>
          {onOpenCatalogue && (
            <button
              type="button"
              onClick={onOpenCatalogue}
              data-testid="open-event-catalogue"
              title="Every event type this endpoint has been sent, with counts and when each was first and last seen"
              className="shrink-0 rounded px-1.5 py-0.5 text-xs text-indigo-700 hover:bg-indigo-50 hover:underline dark:text-indigo-300 dark:hover:bg-indigo-950"
            >
              All types…
            </button>
          )}
        </div>
      )}
    </div>
  );
}
