"use client";
// A capture's body as the views use it: the detail's preview (the whole body unless it was
// truncated), or the exact bytes once loaded from its body URL ("Load all", or another view such as
// compare or resend that already loaded them into the shared cache).
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { captureBodyQuery } from "@/lib/browser/query/use-capture";
import { decodeUtf8 } from "@/lib/shared/format/bytes";
import { bodyPreviewBytes, bodyPreviewText } from "@/lib/shared/format/body-preview";
import type { TCaptureView } from "@/lib/shared/validation/captures";

export interface TBodyBytes {
  bytes: Uint8Array;
  text: string | null;
  /** True when `bytes` is the whole body (not a preview). */
  complete: boolean;
  loading: boolean;
  error: Error | null;
  /** Fetches the exact bytes (no-op when complete). */
  loadAll: () => void;
}

export function useBodyBytes(capture: Pick<TCaptureView, "id" | "body" | "bodyTruncated" | "bodyUrl">): TBodyBytes {
  const [wanted, setWanted] = useState<string | null>(null);
  // Disabled, the query still answers from the cache when another view loaded the same body.
  const full = useQuery({ ...captureBodyQuery(capture.bodyUrl), enabled: capture.bodyTruncated && wanted === capture.bodyUrl });
  const preview = useMemo(() => bodyPreviewBytes(capture.body), [capture.body]);
  const loaded = capture.bodyTruncated ? (full.data ?? null) : null;
  const fullText = useMemo(() => (loaded ? decodeUtf8(loaded) : null), [loaded]);
  return {
    bytes: loaded ?? preview,
    text: loaded ? fullText : bodyPreviewText(capture.body),
    complete: !capture.bodyTruncated || loaded !== null,
    loading: full.isFetching,
    error: full.error,
    loadAll: () => setWanted(capture.bodyUrl),
  };
}
