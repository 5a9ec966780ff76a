"use client";
// The endpoint's replay runs, newest first: verdict, what was sent where, progress; tick two to compare.
import type { UseQueryResult } from "@tanstack/react-query";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { RelativeTime } from "@/components/ui/relative-time";
import { describeError } from "@/lib/browser/query/api";
import type { TReplayRun } from "@/lib/shared/validation/replay";
import type { TReplayView } from "./replay-dialog";
import { RunProgress, selectionLabel, VerdictBadge } from "./run-parts";

export function RunList({ runs, onView }: { endpointId: string; runs: UseQueryResult<TReplayRun[]>; onView: (v: TReplayView) => void }) {
  const [ticked, setTicked] = useState<string[]>([]);
  const toggle = (id: string) => setTicked((t) => (t.includes(id) ? t.filter((x) => x !== id) : [...t.slice(-1), id]));
  const items = runs.data ?? [];
  return (
    <div>
      <div className="mb-3 flex items-center justify-between gap-2">
        <p className="text-zinc-600 dark:text-zinc-400">
          Send a chosen set of captures to a target, check every answer, and compare runs. Tick two runs to compare them.
        </p>
        <div className="flex shrink-0 gap-2">
          <button
            type="button"
            className={buttonClass("secondary")}
            disabled={ticked.length !== 2}
            data-testid="compare-runs"
            // Older run first: A is before, B after.
            onClick={() => {
              const [x, y] = [...ticked].sort((p, q) => items.findIndex((r) => r.id === q) - items.findIndex((r) => r.id === p));
              onView({ kind: "compare", a: x!, b: y! });
            }}
          >
            Compare
          </button>
          <button type="button" className={buttonClass("primary")} onClick={() => onView({ kind: "new" })} data-testid="new-run">
            New run
          </button>
        </div>
      </div>
      {runs.isError && <p className="text-red-600">{describeError(runs.error)}</p>}
      {runs.isPending && <p className="text-zinc-500">Loading runs…</p>}
      <ul
        className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        data-testid="run-list"
      >
        {items.map((r) => (
          <li key={r.id} data-testid="run-row" className="flex items-center gap-3 px-3 py-2">
            <input type="checkbox" aria-label="Compare this run" checked={ticked.includes(r.id)} onChange={() => toggle(r.id)} />
            <button
              type="button"
              className="flex min-w-0 flex-1 items-center gap-3 text-left"
              onClick={() => onView({ kind: "run", id: r.id })}
            >
              <VerdictBadge verdict={r.verdict} />
              <span className="min-w-0 flex-1">
                <span className="block truncate font-mono text-xs">{r.targetUrl}</span>
                <span className="block truncate text-xs text-zinc-500">
                  {selectionLabel(r.selection)} · {r.sent.toLocaleString("en")}/{r.total.toLocaleString("en")} sent
                  {r.failed > 0 && <span className="text-red-600 dark:text-red-400"> · {r.failed.toLocaleString("en")} failed</span>}
                </span>
              </span>
              <span className="w-28 shrink-0">
                <RunProgress run={r} compact />
              </span>
              <RelativeTime iso={r.createdAt} className="w-20 shrink-0 text-right text-xs text-zinc-500" />
            </button>
          </li>
        ))}
        {runs.isSuccess && items.length === 0 && <li className="px-3 py-4 text-zinc-500">No runs yet.</li>}
      </ul>
    </div>
  );
}
