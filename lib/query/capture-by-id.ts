"use client";
// One capture in full (headers and body) by id, for the compare view and the resend editor. A
// stored capture never changes, so it is fetched once per id.
import { useQuery } from "@tanstack/react-query";
import { ZCapture } from "@/lib/validation/captures";
import { ApiError, apiJson } from "./api";
import { captureKeys } from "./capture-keys";

export function useCaptureById(id: string | null) {
  return useQuery({
    queryKey: captureKeys.detail(id ?? ""),
    queryFn: ({ signal }) => apiJson(`/api/captures/${encodeURIComponent(id!)}`, ZCapture, { signal }),
    enabled: Boolean(id),
    staleTime: Infinity,
    retry: (n, e) => n < 2 && !(e instanceof ApiError && (e.status === 404 || e.status === 401)),
  });
}
