"use client";
// A capture's body bytes and text: inline in the capture when it came with it, else fetched once from its body URL.
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { base64ToBytes } from "@/lib/shared/format/bytes";
import type { TCaptureView } from "@/lib/shared/validation/captures";

export function useBodyBytes(capture: TCaptureView, bodyUrl: string) {
  const inline = capture.body;
  const fetched = useQuery({
    queryKey: ["capture-body", bodyUrl],
    queryFn: async ({ signal }) => {
      const res = await fetch(bodyUrl, { signal, cache: "no-store" });
      if (!res.ok) throw new Error(`The body could not be loaded (${res.status}).`);
      return new Uint8Array(await res.arrayBuffer());
    },
    enabled: inline === null,
    staleTime: Infinity,
  });
  const bytes = useMemo(() => (inline ? base64ToBytes(inline.base64) : (fetched.data ?? null)), [inline, fetched.data]);
  const text = useMemo(() => {
    if (inline) return inline.text;
    if (!bytes) return null;
    try {
      return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      return null;
    }
  }, [inline, bytes]);
  return { bytes, text, error: fetched.error };
}
