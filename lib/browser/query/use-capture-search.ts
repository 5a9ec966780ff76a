"use client";
// Server-side search of an endpoint's captures (lib/shared/search): the list API filters every page, and
// the results stay live. Each batch the live stream adds to the endpoint's list is checked here:
// a search made only of what summaries carry (method, path, size, type, time) takes the matching
// captures straight into its results; a search with header or body terms refetches its first page
// (at most once per REFETCH_MS while captures arrive), since only the server can judge those.
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo } from "react";
import { captureFilterSearchParams } from "@/lib/shared/search/params";
import { summaryCanDecide, summaryMatches, type TSearchTerm } from "@/lib/shared/search/query";
import { ZCapturePage } from "@/lib/shared/validation/captures";
import { apiJson } from "./api";
import { firstPageOnly, flattenCaptures, mergeCaptures, type TCaptureListData } from "./capture-cache";
import { captureKeys } from "./capture-keys";
import { onArrivals } from "./live-arrivals";
import { CAPTURE_PAGE_SIZE } from "./use-captures";

export const REFETCH_MS = 500;

export function captureSearchPath(endpointId: string, query: string, cursor: string | null): string {
  const q = captureFilterSearchParams(query);
  q.set("limit", String(CAPTURE_PAGE_SIZE));
  if (cursor) q.set("cursor", cursor);
  return `/api/endpoints/${encodeURIComponent(endpointId)}/captures?${q}`;
}

/** `query` is the normalized search text (the key); `terms` its parse. Disabled when there are no terms. */
export function useCaptureSearch(endpointId: string, query: string, terms: readonly TSearchTerm[]) {
  const qc = useQueryClient();
  const enabled = terms.length > 0;
  const result = useInfiniteQuery({
    queryKey: captureKeys.search(endpointId, query),
    queryFn: ({ pageParam, signal }) => apiJson(captureSearchPath(endpointId, query, pageParam), ZCapturePage, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
    staleTime: Infinity,
    // A search typed once is not worth keeping long after the box changes.
    gcTime: 60_000,
  });

  useEffect(() => {
    if (!enabled) return;
    const key = captureKeys.search(endpointId, query);
    const decidable = summaryCanDecide(terms);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refetch = () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        qc.setQueryData<TCaptureListData>(key, (d) => firstPageOnly(d));
        void qc.refetchQueries({ queryKey: key, exact: true });
      }, REFETCH_MS);
    };
    const off = onArrivals((a) => {
      if (a.endpointId !== endpointId) return;
      if (a.kind === "reset") return refetch();
      const candidates = a.captures.filter((c) => summaryMatches(terms, c));
      if (candidates.length === 0) return;
      if (decidable) qc.setQueryData<TCaptureListData>(key, (d) => mergeCaptures(d, candidates));
      else refetch();
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [enabled, endpointId, query, terms, qc]);

  const captures = useMemo(() => flattenCaptures(result.data), [result.data]);
  return { ...result, captures };
}
