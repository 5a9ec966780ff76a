"use client";
// The capture list of one endpoint: newest first, older pages through infinite scroll, newer
// rows patched in by the live stream (use-live-captures.ts) rather than refetched.
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { ZCapturePage } from "@/lib/validation/captures";
import { apiCall, apiJson } from "./api";
import { emptyCaptureList, flattenCaptures, removeCapture, type TCaptureListData } from "./capture-cache";
import { captureKeys } from "./capture-keys";
import { endpointKeys } from "./endpoint-keys";

/** Rows per page: the server allows 500; 200 keeps each request quick while scrolling through tens of thousands. */
export const CAPTURE_PAGE_SIZE = 200;

export function capturePagePath(endpointId: string, cursor: string | null, limit = CAPTURE_PAGE_SIZE): string {
  const q = new URLSearchParams({ limit: String(limit) });
  if (cursor) q.set("cursor", cursor);
  return `/api/endpoints/${encodeURIComponent(endpointId)}/captures?${q}`;
}

export function useCaptures(endpointId: string, opts: { enabled?: boolean } = {}) {
  const query = useInfiniteQuery({
    queryKey: captureKeys.list(endpointId),
    queryFn: ({ pageParam, signal }) => apiJson(capturePagePath(endpointId, pageParam), ZCapturePage, { signal }),
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
