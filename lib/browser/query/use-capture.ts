"use client";
// One capture (headers and a body preview), fetched when it is selected; its exact body bytes,
// fetched only when asked (Load all, compare, resend); and its deletion.
import { queryOptions, useMutation, useQuery } from "@tanstack/react-query";
import { ZCapture } from "@/lib/shared/validation/captures";
import { apiCall, apiJson } from "./api";
import { captureKeys } from "./capture-keys";

export function capturePath(captureId: string): string {
  return `/api/captures/${encodeURIComponent(captureId)}`;
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

/**
 * A body's exact bytes from its body URL (the detail's `bodyUrl`: the dashboard's or a share link's).
 * One cache entry per URL, so a body loaded by one view (detail, compare, resend) is there for the others.
 */
export function captureBodyQuery(bodyUrl: string) {
  return queryOptions({
    queryKey: captureKeys.body(bodyUrl),
    queryFn: async ({ signal }) => {
      const res = await fetch(bodyUrl, { signal, cache: "no-store" });
      if (!res.ok) throw new Error(`The body could not be loaded (${res.status}).`);
      return new Uint8Array(await res.arrayBuffer());
    },
    staleTime: Infinity,
    // Bodies are big: do not keep one around long after nothing shows it.
    gcTime: 60_000,
  });
}

/** Deletes one capture; the caller takes it out of the list (useForgetCapture) on success. */
export function useDeleteCapture(captureId: string) {
  return useMutation({
    mutationFn: () => apiCall(capturePath(captureId), { method: "DELETE" }),
  });
}
