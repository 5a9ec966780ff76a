"use client";
// Small pieces the replay views share: the verdict badge, the progress bar and the selection in words.
import type { TReplayRun, TReplaySelectionSummary, TReplayVerdict } from "@/lib/shared/validation/replay";

const VERDICT: Record<TReplayVerdict, { label: string; className: string }> = {
  running: { label: "Running", className: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200" },
  passed: { label: "Passed", className: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200" },
  failed: { label: "Failed", className: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200" },
  cancelled: { label: "Cancelled", className: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300" },
  interrupted: { label: "Interrupted", className: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200" },
};

export function VerdictBadge({ verdict }: { verdict: TReplayVerdict }) {
  const v = VERDICT[verdict];
  return (
    <span
      data-testid="run-verdict"
      data-verdict={verdict}
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${v.className}`}
    >
      {v.label}
    </span>
  );
}

export function selectionLabel(s: TReplaySelectionSummary): string {
  switch (s.kind) {
    case "query":
      return s.query ? `search ${s.query}` : "every capture";
    case "type":
      return `type ${s.type}`;
    case "ids":
      return `${s.count} marked capture${s.count === 1 ? "" : "s"}`;
    case "retry":
      return "retry of failed sends";
  }
}

/** Passed (green) and failed (red) parts of the whole; the rest is still to send. */
export function RunProgress({ run, compact = false }: { run: TReplayRun; compact?: boolean }) {
  const pct = (n: number) => (run.total === 0 ? 0 : (n / run.total) * 100);
  return (
    <div
      role="progressbar"
      aria-label="Sent"
      aria-valuemin={0}
      aria-valuemax={run.total}
      aria-valuenow={run.sent}
      data-testid="run-progress"
      className={`flex overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800 ${compact ? "h-1.5" : "h-2.5"}`}
    >
      <div className="bg-emerald-500 transition-[width]" style={{ width: `${pct(run.passed)}%` }} />
      <div className="bg-red-500 transition-[width]" style={{ width: `${pct(run.failed)}%` }} />
    </div>
  );
}
