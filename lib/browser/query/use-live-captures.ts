"use client";
// Keeps an endpoint's capture list current: an EventSource on /api/endpoints/:id/events that
// resumes after the newest loaded seq, events patched into the list cache in small batches, a
// reload on `reset`, and polling every 2 s when the stream keeps failing (a proxy that buffers
// or blocks event streams) or when the browser has no EventSource at all.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { ZCapturePage, ZCaptureSummary, type TCaptureSummary } from "@/lib/shared/validation/captures";
import { apiJson } from "./api";
import { firstPageOnly, mergeCaptures, topSeq, type TCaptureListData } from "./capture-cache";
import { announceArrivals, markArrived } from "./live-arrivals";
import { endpointCaptureSource, type TCaptureSource } from "./use-captures";

export type TLiveStatus = "connecting" | "live" | "reconnecting" | "polling";

/** Stream errors in a row (without a `ready` between them) before polling takes over. */
export const FAILURES_BEFORE_POLLING = 3;
export const POLL_INTERVAL_MS = 2000;
/** Rows one poll asks for; when all of them are new the list is reloaded instead, so nothing is skipped. */
const POLL_LIMIT = 100;
/** Events are applied in batches: one cache write (and render) per burst instead of one per capture. */
const FLUSH_MS = 50;
const MAX_RECONNECT_DELAY_MS = 30_000;

export function useLiveCaptures(endpointId: string, opts: { enabled: boolean }): TLiveStatus {
  const source = useMemo(() => endpointCaptureSource(endpointId), [endpointId]);
  return useLiveCaptureSource(source, opts);
}

/**
 * The same for any capture source (a share link's stream, for one); pass a memoized source.
 * `onStreamError` hears every stream failure (a share view uses it to re-check its link at once).
 */
export function useLiveCaptureSource(source: TCaptureSource, opts: { enabled: boolean; onStreamError?: () => void }): TLiveStatus {
  const qc = useQueryClient();
  const [status, setStatus] = useState<TLiveStatus>("connecting");
  const { enabled } = opts;
  const onStreamError = useRef(opts.onStreamError);
  useEffect(() => {
    onStreamError.current = opts.onStreamError;
  });

  useEffect(() => {
    if (!enabled) return;
    const { key, pagePath, eventsPath, arrivalsId: endpointId } = source;
    let disposed = false;
    let es: EventSource | null = null;
    let failures = 0;
    let resyncing = false;
    let pending: TCaptureSummary[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

    const flush = () => {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      if (!pending.length) return;
      const batch = pending;
      pending = [];
      markArrived(batch.map((c) => c.id));
      qc.setQueryData<TCaptureListData>(key, (d) => mergeCaptures(d, batch));
      announceArrivals({ endpointId, kind: "captures", captures: batch });
    };
    const enqueue = (c: TCaptureSummary) => {
      pending.push(c);
      flushTimer ??= setTimeout(flush, FLUSH_MS);
    };
    const loadedTop = () => {
      flush();
      return topSeq(qc.getQueryData<TCaptureListData>(key)) ?? 0;
    };

    const closeStream = () => {
      es?.close();
      es = null;
      clearTimeout(reconnectTimer);
    };

    // Reload the newest page, then stream from its top: nothing in between can be skipped.
    const resync = async () => {
      if (resyncing) return;
      resyncing = true;
      closeStream();
      pending = [];
      qc.setQueryData<TCaptureListData>(key, (d) => firstPageOnly(d));
      try {
        await qc.refetchQueries({ queryKey: key, exact: true });
      } finally {
        resyncing = false;
      }
      announceArrivals({ endpointId, kind: "reset" });
      if (!disposed) connect();
    };

    const poll = async () => {
      if (resyncing) return;
      const top = loadedTop();
      try {
        const page = await apiJson(pagePath(null, POLL_LIMIT), ZCapturePage);
        if (disposed || resyncing) return;
        const oldest = page.items[page.items.length - 1];
        if (page.nextCursor !== null && oldest && oldest.seq > top) return void resync();
        qc.setQueryData<TCaptureListData>(key, (d) => mergeCaptures(d, page.items));
        announceArrivals({ endpointId, kind: "captures", captures: page.items });
      } catch {
        // the next tick tries again; the status already says we are not live
      }
    };
    const startPolling = () => {
      setStatus("polling");
      if (pollTimer) return;
      pollTimer = setInterval(() => void poll(), POLL_INTERVAL_MS);
      void poll();
    };
    const stopPolling = () => {
      clearInterval(pollTimer);
      pollTimer = undefined;
    };

    function connect() {
      if (disposed) return;
      if (typeof EventSource === "undefined" || !eventsPath) return startPolling();
      const source = new EventSource(eventsPath(loadedTop()));
      es = source;
      source.addEventListener("capture", (ev) => {
        let parsed;
        try {
          parsed = ZCaptureSummary.safeParse(JSON.parse((ev as MessageEvent<string>).data));
        } catch {
          return;
        }
        if (parsed.success) enqueue(parsed.data);
      });
      source.addEventListener("ready", () => {
        failures = 0;
        stopPolling();
        setStatus("live");
      });
      source.addEventListener("reset", () => void resync());
      source.onerror = () => {
        if (es !== source) return;
        onStreamError.current?.();
        if (disposed) return;
        failures++;
        if (failures >= FAILURES_BEFORE_POLLING) startPolling();
        else if (!pollTimer) setStatus("reconnecting");
        // CONNECTING: the browser retries by itself with Last-Event-ID. CLOSED (an HTTP error or a
        // non-stream answer): it gave up, so a new stream is opened after a growing pause.
        if (source.readyState === EventSource.CLOSED) {
          es = null;
          const delay = Math.min(MAX_RECONNECT_DELAY_MS, 1000 * 2 ** failures);
          reconnectTimer = setTimeout(connect, delay);
        }
      };
    }

    connect();
    return () => {
      disposed = true;
      closeStream();
      stopPolling();
      clearTimeout(flushTimer);
    };
  }, [source, enabled, qc]);

  return status;
}
