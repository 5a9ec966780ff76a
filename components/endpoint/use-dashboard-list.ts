"use client";
// What the dashboard's list shows: every capture, kept current by the live stream, or, while a
// search is typed, the server's matches for it (debounced; a bad query shows its error instead).
import { useEffect, useMemo, useState } from "react";
import { useCaptureSearch } from "@/lib/browser/query/use-capture-search";
import { useCaptures } from "@/lib/browser/query/use-captures";
import { useLiveCaptures } from "@/lib/browser/query/use-live-captures";
import { formatSearchQuery, parseSearchQuery, SearchQueryError, type TSearchTerm } from "@/lib/shared/search/query";

/** Pause after the last keystroke before a search goes to the server. */
const SEARCH_DEBOUNCE_MS = 250;

function parseSearch(text: string): { terms: TSearchTerm[]; error: string | null } {
  try {
    return { terms: parseSearchQuery(text), error: null };
  } catch (e) {
    if (e instanceof SearchQueryError) return { terms: [], error: e.message };
    throw e;
  }
}

/** `value` once it has stopped changing for `ms`; an emptied value at once (Escape, last chip removed). */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return value.trim() === "" ? "" : settled;
}

export function useDashboardList(endpointId: string) {
  const list = useCaptures(endpointId);
  const live = useLiveCaptures(endpointId, { enabled: list.isSuccess });
  const [search, setSearch] = useState("");
  const searchText = useDebounced(search, SEARCH_DEBOUNCE_MS);
  const parsed = useMemo(() => parseSearch(searchText), [searchText]);
  const searchKey = formatSearchQuery(parsed.terms);
  const searching = parsed.terms.length > 0;
  const found = useCaptureSearch(endpointId, searchKey, parsed.terms);
  // What the list shows: every capture, or the server's matches for the search.
  const shown = searching ? found : list;
  return {
    /** Every capture loaded, whatever the search. */
    all: list.captures,
    /** The live stream's state (and, while disconnected, when it tries again). */
    live,
    /** The search box's text, as typed. */
    search,
    setSearch,
    /** The settled search, parsed, and its canonical text ("" when not searching). */
    parsed,
    searchKey,
    searching,
    /** The search's query, for its own success state (the match count). */
    found,
    shown,
  };
}

export type TDashboardList = ReturnType<typeof useDashboardList>;
