"use client";
// "3 min ago" that stays true: every RelativeTime on the page re-renders off one shared clock.
import { useSyncExternalStore } from "react";

const TICK_MS = 15_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(l: () => void) {
  listeners.add(l);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((f) => f());
    }, TICK_MS);
  }
  return () => {
    listeners.delete(l);
    if (!listeners.size) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => 0,
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86400],
  ["month", 30 * 86400],
  ["day", 86400],
  ["hour", 3600],
  ["minute", 60],
];
const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto", style: "short" });

export function formatRelative(iso: string, nowMs: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "";
  const secs = Math.round((nowMs - t) / 1000);
  if (secs < 45) return "just now";
  for (const [unit, size] of UNITS) if (secs >= size) return rtf.format(-Math.floor(secs / size), unit);
  return rtf.format(-secs, "second");
}

export function RelativeTime({ iso, className }: { iso: string; className?: string }) {
  const nowMs = useNow();
  // The server render (nowMs 0) shows nothing rather than a time that would differ on hydration.
  const current = nowMs;
  return (
    <time dateTime={iso} title={new Date(iso).toLocaleString()} className={className} suppressHydrationWarning>
      {current ? formatRelative(iso, current) : ""}
    </time>
  );
}
