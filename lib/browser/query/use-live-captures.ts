"use client";
// Keeps an endpoint's capture list current: an EventSource on /api/endpoints/:id/events that
// resumes after the newest loaded seq, events patched into the list cache in small batches, a
// reload on `reset`, the newest pages read again after a `coalesced` burst (at most once a second,
// down to what the list had), and polling every 2 s when the stream keeps failing while the server
// answers (a proxy that buffers or blocks event streams) or when the browser has no EventSource.
// The status is honest: after a failed reconnect the server is asked directly, and when it does
// not answer the state is "disconnected" with the time of the next try (the UI counts down).
// Back from a failure, every query that failed meanwhile is fetched again.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { z } from "zod";
import {
  MAX_PAGE_SIZE,
  ZCapturePage,
  ZCaptureSummary,
  ZDriftChange,
  type TCapturePage,
  type TCaptureSummary,
} from "@/lib/shared/validation/captures";
import { ApiError, apiJson } from "./api";
import { firstPageOnly, flattenCaptures, mergeCaptures, setCaptureDrift, topSeq, type TCaptureListData } from "./capture-cache";
import { announceArrivals, markArrived } from "./live-arrivals";
import { endpointCaptureSource, type TCaptureSource } from "./use-captures";

export type TLiveStatus = "connecting" | "live" | "reconnecting" | "polling" | "disconnected";
/** The status, and while disconnected when the next attempt starts (epoch ms). */
export interface TLiveState {
  status: TLiveStatus;
  retryAt: number | null;
}

/** A `drift` frame: the schema worker marked a capture the stream already sent (lib/server/live/frames.ts). */
const ZDriftEvent = z.object({ id: z.string(), seq: z.number().int(), drift: z.array(ZDriftChange) });

/**
 * A `coalesced` frame: more captures came in one server tick than the list shows, so the stream
 * names the newest seq instead of sending each (lib/server/live/frames.ts).
 */
const ZCoalescedEvent = z.object({ latestSeq: z.number().int(), afterSeq: z.number().int(), count: z.number().int() });
/** After a coalesced burst the newest page is read at most this often; bursts meanwhile fold into the next read. */
const BURST_RELOAD_MS = 1000;
/**
 * A burst bigger than the newest page is read down to what the list had, in pages of the API's
 * largest size, up to this many captures in all, so a reader scrolled down keeps their place and
 * every capture is counted. Past it what was read replaces the list (older pages come back by
 * scrolling), as after a `reset`.
 */
const BURST_FILL_MAX = 2000;

/** Stream errors in a row (without a `ready` between them) before polling takes over. */
export const FAILURES_BEFORE_POLLING = 3;
export const POLL_INTERVAL_MS = 2000;
/** Rows one poll asks for; when all of them are new the list is reloaded instead, so nothing is skipped. */
const POLL_LIMIT = 100;
/** Events are applied in batches: one cache write (and render) per burst instead of one per capture. */
const FLUSH_MS = 50;
const MAX_RECONNECT_DELAY_MS = 30_000;
/** While the server does not answer at all, tries come at most this far apart (it is usually a restart). */
const MAX_DISCONNECTED_DELAY_MS = 10_000;
/** The first reconnect after a dropped stream, before the server is asked whether it is there. */
const FIRST_RECONNECT_MS = 500;

/** A frame's JSON data as `schema` has it, or null for anything else (a frame is never trusted to parse). */
function frameData<T>(ev: Event, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse((ev as MessageEvent<string>).data));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Refetches every query that failed (or never loaded) while the connection was down. */
function reloadFailed(qc: ReturnType<typeof useQueryClient>): void {
  void qc.refetchQueries({ predicate: (q) => q.state.status === "error", type: "active" });
}

export function useLiveCaptures(endpointId: string, opts: { enabled: boolean }): TLiveState {
  const source = useMemo(() => endpointCaptureSource(endpointId), [endpointId]);
  return useLiveCaptureSource(source, opts);
}

/**
 * The same for any capture source (a share link's stream, for one); pass a memoized source.
 * `onStreamError` hears every stream failure (a share view uses it to re-check its link at once).
 */
export function useLiveCaptureSource(source: TCaptureSource, opts: { enabled: boolean; onStreamError?: () => void }): TLiveState {
  const qc = useQueryClient();
  const [state, setState] = useState<TLiveState>({ status: "connecting", retryAt: null });
  const { enabled } = opts;
  const onStreamError = useRef(opts.onStreamError);
  useEffect(() => {
    onStreamError.current = opts.onStreamError;
  });

  useEffect(() => {
    if (!enabled) return;
    const { key, pagePath, eventsPath, detailKey, detailsKey, arrivalsId: endpointId } = source;
    let disposed = false;
    let es: EventSource | null = null;
    let failures = 0;
    let resyncing = false;
    let pending: TCaptureSummary[] = [];
    let pendingDrift = new Map<string, NonNullable<TCaptureSummary["drift"]>>();
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    let pollTimer: ReturnType<typeof setInterval> | undefined;
    let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
    let burstTimer: ReturnType<typeof setTimeout> | undefined;
    let burstLoading = false;
    let burstAgain = false;
    let lastBurstAt = -Infinity;
    // The lowest afterSeq of the coalesced frames the next read of the newest page answers.
    let burstFloor: number | null = null;
    // Something failed since the last time the stream (or a poll) worked.
    let troubled = false;
    const setStatus = (status: TLiveStatus, retryAt: number | null = null) => {
      if (disposed) return;
      if (status === "live" || status === "polling") {
        if (troubled) reloadFailed(qc);
        troubled = false;
      } else if (status !== "connecting") troubled = true;
      setState((s) => (s.status === status && s.retryAt === retryAt ? s : { status, retryAt }));
    };

    // New rows reach the list, then whoever listens (an active search). A retry or redelivery also
    // changes the details of its event's earlier deliveries ("delivered 3 times", the links), which
    // are cached for good (a stored capture never changes otherwise): those refetch.
    const arrive = (captures: readonly TCaptureSummary[]) => {
      announceArrivals({ endpointId, kind: "captures", captures });
      const retried = new Set(captures.flatMap((c) => (c.eventKey && (c.deliveryNumber ?? 0) > 1 ? [c.eventKey] : [])));
      if (!retried.size) return;
      void qc.invalidateQueries({
        queryKey: detailsKey,
        predicate: (q) => retried.has((q.state.data as Pick<TCaptureSummary, "eventKey"> | undefined)?.eventKey ?? ""),
      });
    };
    const flush = () => {
      clearTimeout(flushTimer);
      flushTimer = undefined;
      const batch = pending;
      const drift = pendingDrift;
      pending = [];
      pendingDrift = new Map();
      if (batch.length) {
        markArrived(batch.map((c) => c.id));
        qc.setQueryData<TCaptureListData>(key, (d) => mergeCaptures(d, batch));
        arrive(batch);
      }
      if (drift.size) {
        // The list and, under its key, any search of it (type:order.created, say), so a row marks wherever it is shown.
        qc.setQueriesData<TCaptureListData>({ queryKey: key }, (d) => setCaptureDrift(d, drift));
        for (const id of drift.keys()) void qc.invalidateQueries({ queryKey: detailKey(id), exact: true });
      }
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
      burstFloor = null;
      pending = [];
      pendingDrift = new Map();
      qc.setQueryData<TCaptureListData>(key, (d) => firstPageOnly(d));
      try {
        await qc.refetchQueries({ queryKey: key, exact: true });
      } finally {
        resyncing = false;
      }
      announceArrivals({ endpointId, kind: "reset" });
      if (!disposed) connect();
    };

    // The newest page, and older pages after it until one reaches `floor` or BURST_FILL_MAX is read.
    const readDownTo = async (floor: number): Promise<TCapturePage> => {
      const page = await apiJson(pagePath(null), ZCapturePage);
      const items = [...page.items];
      let next = page.nextCursor;
      while (next !== null && items.length < BURST_FILL_MAX && (items[items.length - 1]?.seq ?? 0) > floor + 1) {
        const more = await apiJson(pagePath(next, Math.min(MAX_PAGE_SIZE, BURST_FILL_MAX - items.length)), ZCapturePage);
        if (disposed || resyncing) break;
        items.push(...more.items);
        next = more.nextCursor;
      }
      return { ...page, items, nextCursor: next };
    };
    // The newest pages after a coalesced burst (readDownTo). When they reach down to what the list
    // had before the burst (`floor`, the frames' afterSeq), the rows they have that the list lacks
    // are merged like live events; when more came than BURST_FILL_MAX, what was read replaces the
    // list (older pages come back by scrolling), since merging it would leave a hole of captures
    // never shown. The list's own top is no guide: a capture streamed in the tick after the burst
    // sits above the hole the pages fill.
    const applyNewest = (page: TCapturePage, floor: number) => {
      const before = qc.getQueryData<TCaptureListData>(key);
      if (!before) return;
      const loaded = flattenCaptures(before);
      const known = new Set(loaded.map((c) => c.id));
      const fresh = page.items.filter((c) => !known.has(c.id));
      const oldest = page.items[page.items.length - 1];
      const gap = page.nextCursor !== null && oldest !== undefined && oldest.seq > floor + 1;
      if (gap) {
        const pageTop = page.items[0]?.seq ?? 0;
        // Rows the stream added while the page was read stay.
        const newer = loaded.filter((c) => c.seq > pageTop);
        qc.setQueryData<TCaptureListData>(key, mergeCaptures({ pages: [page], pageParams: [null] }, newer));
      } else if (fresh.length) {
        qc.setQueryData<TCaptureListData>(key, (d) => mergeCaptures(d, fresh));
      }
      if (fresh.length) {
        markArrived(fresh.map((c) => c.id));
        arrive(fresh);
      }
      if (gap) announceArrivals({ endpointId, kind: "reset" });
    };
    const loadNewest = async () => {
      burstLoading = true;
      burstAgain = false;
      lastBurstAt = Date.now();
      const floor = burstFloor ?? loadedTop();
      burstFloor = null;
      try {
        const page = await readDownTo(floor);
        if (disposed || resyncing) return;
        flush();
        applyNewest(page, floor);
      } catch {
        // Not read: reload the list and stream from its top, so nothing the burst brought is skipped.
        if (!disposed) void resync();
      } finally {
        burstLoading = false;
        if (burstAgain && !disposed) onBurst();
      }
    };
    const onBurst = () => {
      if (burstLoading) {
        burstAgain = true;
        return;
      }
      if (burstTimer !== undefined || resyncing) return;
      burstTimer = setTimeout(
        () => {
          burstTimer = undefined;
          void loadNewest();
        },
        Math.max(0, lastBurstAt + BURST_RELOAD_MS - Date.now()),
      );
    };

    const poll = async () => {
      if (resyncing) return;
      const top = loadedTop();
      try {
        const page = await apiJson(pagePath(null, POLL_LIMIT), ZCapturePage);
        if (disposed || resyncing) return;
        const oldest = page.items[page.items.length - 1];
        if (page.nextCursor !== null && oldest && oldest.seq > top) return void resync();
        setStatus("polling");
        const fresh = page.items.filter((c) => c.seq > top);
        if (!fresh.length) return;
        qc.setQueryData<TCaptureListData>(key, (d) => mergeCaptures(d, fresh));
        arrive(fresh);
      } catch {
        // The server did not answer: say so; the next tick tries again.
        if (!disposed && pollTimer) setStatus("disconnected", Date.now() + POLL_INTERVAL_MS);
      }
    };
    const startPolling = () => {
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
        const c = frameData(ev, ZCaptureSummary);
        if (c) enqueue(c);
      });
      source.addEventListener("drift", (ev) => {
        const d = frameData(ev, ZDriftEvent);
        if (!d) return;
        pendingDrift.set(d.id, d.drift);
        flushTimer ??= setTimeout(flush, FLUSH_MS);
      });
      source.addEventListener("ready", () => {
        failures = 0;
        stopPolling();
        setStatus("live");
      });
      source.addEventListener("reset", () => void resync());
      source.addEventListener("coalesced", (ev) => {
        const f = frameData(ev, ZCoalescedEvent);
        if (!f) return;
        burstFloor = Math.min(burstFloor ?? Infinity, f.afterSeq);
        onBurst();
      });
      source.onerror = () => {
        if (es !== source) return;
        onStreamError.current?.();
        if (disposed) return;
        failures++;
        // The retries are ours (not the browser's), so the status can say what is going on.
        closeStream();
        if (failures === 1 && !pollTimer) {
          setStatus("reconnecting");
          reconnectTimer = setTimeout(connect, FIRST_RECONNECT_MS);
          return;
        }
        void afterFailure();
      };
    }

    // Is the server there? If not: disconnected, the next try in a growing pause. If it answers
    // while the stream keeps failing, something between blocks streams: poll meanwhile.
    async function afterFailure() {
      let answers = true;
      try {
        await apiJson(pagePath(null, 1), ZCapturePage);
      } catch (e) {
        answers = e instanceof ApiError && e.status !== 0 && e.status < 500;
      }
      if (disposed || es) return;
      if (!answers) {
        stopPolling();
        const delay = Math.min(MAX_DISCONNECTED_DELAY_MS, 1000 * 2 ** (failures - 1));
        setStatus("disconnected", Date.now() + delay);
        reconnectTimer = setTimeout(connect, delay);
        return;
      }
      if (failures >= FAILURES_BEFORE_POLLING) startPolling();
      else setStatus("reconnecting");
      reconnectTimer = setTimeout(connect, Math.min(MAX_RECONNECT_DELAY_MS, 1000 * 2 ** failures));
    }

    connect();
    return () => {
      disposed = true;
      closeStream();
      stopPolling();
      clearTimeout(flushTimer);
      clearTimeout(burstTimer);
    };
  }, [source, enabled, qc]);

  return state;
}
