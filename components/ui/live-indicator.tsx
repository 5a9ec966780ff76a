import type { TLiveStatus } from "@/lib/browser/query/use-live-captures";

const LOOK: Record<TLiveStatus, { label: string; dot: string; title: string }> = {
  connecting: { label: "Connecting", dot: "bg-zinc-400 animate-pulse", title: "Opening the live stream…" },
  live: { label: "Live", dot: "bg-emerald-500", title: "New captures appear as they arrive." },
  reconnecting: {
    label: "Reconnecting",
    dot: "bg-amber-500 animate-pulse",
    title: "The live stream dropped; reconnecting. Nothing is lost: missed captures are fetched on reconnect.",
  },
  polling: {
    label: "Polling",
    dot: "bg-sky-500",
    title: "The live stream keeps failing (a proxy may block it), so the list is refreshed every 2 seconds instead.",
  },
};

export function LiveIndicator({ status }: { status: TLiveStatus }) {
  const look = LOOK[status];
  return (
    <span
      data-testid="live-indicator"
      data-status={status}
      title={look.title}
      role="status"
      className="inline-flex shrink-0 items-center gap-1.5 rounded-full border border-zinc-200 px-2 py-0.5 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
    >
      <span aria-hidden="true" className={`size-2 rounded-full ${look.dot}`} />
      {look.label}
    </span>
  );
}
