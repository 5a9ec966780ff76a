"use client";
// The live stream's state in the header, honest about failure: amber while reconnecting, red with
// a countdown to the next try when the server does not answer, and "Polling" only while the
// server answers but its event stream does not get through.
import { useEffect, useState } from "react";
import type { TLiveState, TLiveStatus } from "@/lib/browser/query/use-live-captures";

const LOOK: Record<TLiveStatus, { label: string; dot: string; box: string; title: string }> = {
  connecting: { label: "Connecting", dot: "bg-zinc-400 animate-pulse", box: "", title: "Opening the live stream…" },
  live: { label: "Live", dot: "bg-emerald-500", box: "", title: "New captures appear as they arrive." },
  reconnecting: {
    label: "Reconnecting",
    dot: "bg-amber-500 animate-pulse",
    box: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200",
    title: "The live stream dropped; reconnecting. Nothing is lost: missed captures are fetched on reconnect.",
  },
  polling: {
    label: "Polling",
    dot: "bg-amber-500",
    box: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950/60 dark:text-amber-200",
    title:
      "The server answers but its live stream does not get through (something between may block event streams), so the list is refreshed every 2 seconds instead.",
  },
  disconnected: {
    label: "Disconnected",
    dot: "bg-red-600",
    box: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950/60 dark:text-red-200",
    title:
      "The Hookscope server does not answer. Captures sent meanwhile are not lost if it is still receiving them; the list catches up when the connection is back.",
  },
};

/** Whole seconds until `at`, ticking once a second; null without a time. */
function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const t = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(t);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

export function LiveIndicator({ live }: { live: TLiveState }) {
  const look = LOOK[live.status];
  const seconds = useSecondsUntil(live.status === "disconnected" ? live.retryAt : null);
  return (
    <span
      data-testid="live-indicator"
      data-status={live.status}
      title={look.title}
      role="status"
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs ${
        look.box || "border-zinc-200 text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
      }`}
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${look.dot}`} />
      {look.label}
      {seconds !== null && (
        // The leading space keeps "Disconnected · retrying…" one sentence for screen readers.
        <span data-testid="live-retry" className="tabular-nums">
          {seconds > 0 ? ` · retrying in ${seconds} s` : " · retrying…"}
        </span>
      )}
    </span>
  );
}
