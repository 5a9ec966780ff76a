"use client";
// One capture in full (headers and body), fetched when it is selected, and its deletion.
import { useMutation, useQuery } from "@tanstack/react-query";
import { ZCapture } from "@/lib/shared/validation/captures";
import { apiCall, apiJson } from "./api";
import { captureKeys } from "./capture-keys";

export function capturePath(captureId: string): string {
  return `/api/captures/${encodeURIComponent(captureId)}`;
}

export function captureBodyPath(captureId: string): string {
  return `${capturePath(captureId)}/body`;
}

/** `enabled: false` (e.g. a compare side not chosen yet) fetches nothing. */
export function useCapture(captureId: string, opts: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: captureKeys.detail(captureId),
    queryFn: ({ signal }) => apiJson(capturePath(captureId), ZCapture, { signal }),
    enabled: opts.enabled ?? true,
    // A stored capture never changes; only deletion ends it.
    staleTime: Infinity,
    retry: (n, e) => n < 2 && !(e instanceof Error && "status" in e && (e.status === 404 || e.status === 401)),
  });
}

/** Deletes one capture; the caller takes it out of the list (useForgetCapture) on success. */
export function useDeleteCapture(captureId: string) {
  return useMutation({
    mutationFn: () => apiCall(capturePath(captureId), { method: "DELETE" }),
  });
}
