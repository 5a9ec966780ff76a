"use client";
// The capture list of one endpoint: newest first, older pages through infinite scroll, newer
// rows patched in by the live stream (use-live-captures.ts) rather than refetched.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { ZCapturePage } from "@/lib/shared/validation/captures";
import { apiCall, apiJson } from "./api";
import { emptyCaptureList, flattenCaptures, removeCapture, type TCaptureListData } from "./capture-cache";
import { captureKeys } from "./capture-keys";
import { endpointKeys } from "./endpoint-keys";

/** Rows per page: the server allows 500; 200 keeps each request quick while scrolling through tens of thousands. */
export const CAPTURE_PAGE_SIZE = 200;

/**
 * Capture events a list's stream takes per server tick (?coalesce=): more than this come as one
 * `coalesced` event, and the list reloads its newest page instead (use-live-captures.ts). A
 * screenful and more: under a faster burst rows scroll past quicker than anyone reads them.
 */
export const LIVE_COALESCE_ABOVE = 50;

/** The query string of a list's live stream that resumes after `after`. */
export function liveEventsQuery(after: number): string {
  return `after=${after}&coalesce=${LIVE_COALESCE_ABOVE}`;
}

export function capturePagePath(endpointId: string, cursor: string | null, limit = CAPTURE_PAGE_SIZE): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set("cursor", cursor);
  return `/api/endpoints/${encodeURIComponent(endpointId)}/captures?${q}`;
}

/**
 * Where a capture list comes from: its cache key, its pages and its live stream. The dashboard
 * reads an endpoint (management key); a share link reads /api/s/<token> with the same shapes.
 */
export interface TCaptureSource {
  key: readonly unknown[];
  /** Who hears this source's arrivals (live-arrivals.ts): the endpoint id, so its searches update too. */
  arrivalsId: string;
  pagePath: (cursor: string | null, limit?: number) => string;
  /** The SSE stream of captures after `after`; null when the source has none (one shared capture). */
  eventsPath: ((after: number) => string) | null;
  /** The cache key of one capture's detail (refetched when a live event changes that capture). */
  detailKey: (captureId: string) => readonly unknown[];
  /** The prefix of every detailKey: a retry's arrival refetches the details of its earlier deliveries. */
  detailsKey: readonly unknown[];
}

export function endpointCaptureSource(endpointId: string): TCaptureSource {
  return {
    key: captureKeys.list(endpointId),
    arrivalsId: endpointId,
    pagePath: (cursor, limit) => capturePagePath(endpointId, cursor, limit),
    eventsPath: (after) => `/api/endpoints/${encodeURIComponent(endpointId)}/events?${liveEventsQuery(after)}`,
    detailKey: captureKeys.detail,
    detailsKey: captureKeys.details(),
  };
}

export function useCaptures(endpointId: string, opts: { enabled?: boolean } = {}) {
  const source = useMemo(() => endpointCaptureSource(endpointId), [endpointId]);
  return useCaptureList(source, opts);
}

export function useCaptureList(source: TCaptureSource, opts: { enabled?: boolean } = {}) {
  const query = useInfiniteQuery({
    queryKey: source.key,
    queryFn: ({ pageParam, signal }) => apiJson(source.pagePath(pageParam), ZCapturePage, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: opts.enabled ?? true,
    // Live events keep the list current; a refetch would re-read every loaded page for nothing.
    staleTime: Infinity,
  });
  const captures = useMemo(() => flattenCaptures(query.data), [query.data]);
  return { ...query, captures };
}

/** Deletes every capture of the endpoint and empties the list in place. */
export function useClearCaptures(endpointId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => apiCall(`/api/endpoints/${encodeURIComponent(endpointId)}/captures`, { method: "DELETE" }),
    onSuccess: () => {
      qc.setQueryData<TCaptureListData>(captureKeys.list(endpointId), emptyCaptureList());
      void qc.resetQueries({ queryKey: captureKeys.searches(endpointId) });
      qc.removeQueries({ queryKey: captureKeys.details() });
      void qc.invalidateQueries({ queryKey: endpointKeys.all });
    },
  });
}

/** Takes a capture (deleted elsewhere, e.g. by the detail view) out of the list. */
export function useForgetCapture(endpointId: string) {
  const qc = useQueryClient();
  return (captureId: string) => {
    qc.setQueryData<TCaptureListData>(captureKeys.list(endpointId), (d) => removeCapture(d, captureId));
    qc.setQueriesData<TCaptureListData>({ queryKey: captureKeys.searches(endpointId) }, (d) => removeCapture(d, captureId));
    qc.removeQueries({ queryKey: captureKeys.detail(captureId) });
  };
}
