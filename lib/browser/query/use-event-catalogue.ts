"use client";
// The event catalogue of an endpoint (GET /api/endpoints/:id/event-types), kept current while it
// is on screen: an arrival on the live stream asks again, at most once a second.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { ZEventCatalogue } from "@/lib/shared/validation/event-catalogue";
import { apiJson } from "./api";
import { onArrivals } from "./live-arrivals";

const REFRESH_MIN_MS = 1000;

export const eventCatalogueKey = (endpointId: string) => ["event-catalogue", endpointId] as const;

export function useEventCatalogue(endpointId: string, opts: { enabled: boolean }) {
  const qc = useQueryClient();
  const { enabled } = opts;
  useEffect(() => {
    if (!enabled) return;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      timer = undefined;
      last = Date.now();
      void qc.invalidateQueries({ queryKey: eventCatalogueKey(endpointId) });
    };
    const off = onArrivals((a) => {
      if (a.endpointId !== endpointId || timer) return;
      timer = setTimeout(refresh, Math.max(0, last + REFRESH_MIN_MS - Date.now()));
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [qc, endpointId, enabled]);
  return useQuery({
    queryKey: eventCatalogueKey(endpointId),
    queryFn: ({ signal }) => apiJson(`/api/endpoints/${encodeURIComponent(endpointId)}/event-types`, ZEventCatalogue, { signal }),
    enabled,
    staleTime: 0,
  });
}
