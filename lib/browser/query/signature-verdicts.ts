"use client";
// Verdicts: the full explanation for one capture, and badge summaries for list rows that came
// without one (live rows, large bodies). Summaries are batched: rows that mount in the same
// moment share one GET /api/endpoints/:id/signatures?ids=… request.
import { useQuery } from "@tanstack/react-query";
import { MAX_BATCH_IDS, ZSignatureBatch, ZSignatureVerdict, type TSignatureSummary } from "@/lib/shared/validation/signatures";
import { endpointPath, signatureApi } from "./signature-api";
import { signatureKeys } from "./signature-keys";

export function useSignatureVerdict(captureId: string | null) {
  return useQuery({
    queryKey: signatureKeys.verdict(captureId ?? ""),
    queryFn: ({ signal }) => signatureApi(`/api/captures/${encodeURIComponent(captureId!)}/signature`, ZSignatureVerdict, { signal }),
    enabled: Boolean(captureId),
  });
}

interface Pending {
  ids: Map<string, { resolve: (s: TSignatureSummary | null) => void; reject: (e: unknown) => void }[]>;
  timer: ReturnType<typeof setTimeout>;
}

const pending = new Map<string, Pending>();
/** How long requests gather before one batch goes out. */
const BATCH_WINDOW_MS = 15;

async function flush(endpointId: string): Promise<void> {
  const batch = pending.get(endpointId);
  pending.delete(endpointId);
  if (!batch) return;
  const ids = [...batch.ids.keys()];
  for (let i = 0; i < ids.length; i += MAX_BATCH_IDS) {
    const chunk = ids.slice(i, i + MAX_BATCH_IDS);
    try {
      const r = await signatureApi(endpointPath(endpointId, `/signatures?ids=${chunk.join(",")}`), ZSignatureBatch);
      for (const id of chunk) for (const w of batch.ids.get(id)!) w.resolve(r.items[id] ?? null);
    } catch (e) {
      for (const id of chunk) for (const w of batch.ids.get(id)!) w.reject(e);
    }
  }
}

/** The summary for one capture through the shared batch; null when the server has none for it. */
export function loadSignatureSummary(endpointId: string, captureId: string): Promise<TSignatureSummary | null> {
  return new Promise((resolve, reject) => {
    let batch = pending.get(endpointId);
    if (!batch) {
      batch = { ids: new Map(), timer: setTimeout(() => void flush(endpointId), BATCH_WINDOW_MS) };
      pending.set(endpointId, batch);
    }
    const waiters = batch.ids.get(captureId) ?? [];
    waiters.push({ resolve, reject });
    batch.ids.set(captureId, waiters);
  });
}

/** A row's badge summary: `known` (from the list) when given, else fetched in a batch. */
export function useSignatureSummary(endpointId: string, captureId: string, known: TSignatureSummary | undefined) {
  return useQuery({
    queryKey: signatureKeys.summary(endpointId, captureId),
    queryFn: () => loadSignatureSummary(endpointId, captureId),
    enabled: known === undefined,
    staleTime: 60_000,
  });
}
