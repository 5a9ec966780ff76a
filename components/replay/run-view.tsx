"use client";
// One run: its verdict and live progress (polled every second while it runs), counts, cancel,
// retry failed, compare with another run of the same set; and its sends, failures first, each
// opening to what was sent and what came back.
import { useState } from "react";
import { HeaderTable } from "@/components/capture/header-table";
import { buttonClass } from "@/components/ui/button-styles";
import { RelativeTime } from "@/components/ui/relative-time";
import { showToast } from "@/components/ui/toaster";
import { describeError } from "@/lib/browser/query/api";
import { useCancelReplayRun, useReplayRun, useRetryFailedRun } from "@/lib/browser/query/replay-runs";
import { formatBytes } from "@/lib/shared/format/bytes";
import type { TReplayRun, TReplaySend } from "@/lib/shared/validation/replay";
import type { TReplayView } from "./replay-dialog";
import { RunProgress, selectionLabel, VerdictBadge } from "./run-parts";

const PAGE = 50;

export function RunView({
  endpointId,
  runId,
  runs,
  onView,
}: {
  endpointId: string;
  runId: string;
  runs: TReplayRun[];
  onView: (v: TReplayView) => void;
}) {
  const [limit, setLimit] = useState(PAGE);
  const [only, setOnly] = useState<"all" | "failed">("all");
  const detail = useReplayRun(endpointId, runId, { only, limit });
  const cancel = useCancelReplayRun(endpointId);
  const retry = useRetryFailedRun(endpointId);
  if (detail.isError) return <p className="text-red-600">{describeError(detail.error)}</p>;
  if (!detail.data) return <p className="text-zinc-500">Loading the run…</p>;
  const { run, sends, nextOffset } = detail.data;
  const unsent = run.total - run.sent;
  const others = runs.filter((r) => r.id !== run.id && r.state !== "running");
  return (
    <div data-testid="run-view" data-state={run.state}>
      <div className="mb-2 flex flex-wrap items-center gap-2">
        <VerdictBadge verdict={run.verdict} />
        <span className="min-w-0 truncate font-mono text-xs" title={run.targetUrl}>
          {run.targetUrl}
        </span>
        <span className="text-xs text-zinc-500">
          · {selectionLabel(run.selection)} · <RelativeTime iso={run.createdAt} />
        </span>
        <span className="ml-auto flex gap-2">
          {run.state === "running" && (
            <button
              type="button"
              className={buttonClass("secondary", "", "sm")}
              disabled={cancel.isPending}
              data-testid="run-cancel"
              onClick={() => cancel.mutate(run.id, { onError: (e) => showToast(`Could not cancel: ${describeError(e)}`, "error") })}
            >
              Cancel run
            </button>
          )}
          {run.state !== "running" && run.failed + unsent > 0 && (
            <button
              type="button"
              className={buttonClass("secondary", "", "sm")}
              disabled={retry.isPending}
              data-testid="run-retry-failed"
              title="A new run over the sends that failed (and any never sent)"
              onClick={() =>
                retry.mutate(run.id, {
                  onSuccess: (r) => onView({ kind: "run", id: r.id }),
                  onError: (e) => showToast(`Could not retry: ${describeError(e)}`, "error"),
                })
              }
            >
              Retry {(run.failed + unsent).toLocaleString("en")} failed
            </button>
          )}
          {others.length > 0 && run.state !== "running" && (
            <select
              aria-label="Compare with"
              className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
              value=""
              data-testid="run-compare-with"
              onChange={(e) => e.target.value && onView({ kind: "compare", a: e.target.value, b: run.id })}
            >
              <option value="">Compare with…</option>
              {others.map((r) => (
                <option key={r.id} value={r.id}>
                  {new Date(r.createdAt).toLocaleString()} · {r.verdict} · {selectionLabel(r.selection)}
                </option>
              ))}
            </select>
          )}
        </span>
      </div>
      <RunProgress run={run} />
      <p className="mt-1.5 mb-3 flex flex-wrap gap-x-4 text-xs" data-testid="run-counts">
        <span>
          <strong>{run.sent.toLocaleString("en")}</strong> of {run.total.toLocaleString("en")} sent
        </span>
        <span className="text-emerald-700 dark:text-emerald-400">{run.passed.toLocaleString("en")} passed</span>
        <span className={run.failed > 0 ? "font-semibold text-red-600 dark:text-red-400" : "text-zinc-500"}>
          {run.failed.toLocaleString("en")} failed
        </span>
        {unsent > 0 && (
          <span className="text-zinc-500">
            {unsent.toLocaleString("en")} {run.state === "running" ? "to send" : "not sent"}
          </span>
        )}
        <span className="text-zinc-500">
          checks: status {run.checks.status.join(" or ")}
          {run.checks.json.map((j) => `, ${j.path} = ${j.equals}`).join("")}
          {run.checks.maxLatencyMs !== null && `, ≤ ${run.checks.maxLatencyMs} ms`}
        </span>
      </p>
      {run.error && (
        <p className="mb-3 rounded bg-amber-50 px-2 py-1 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200">{run.error}</p>
      )}
      <div className="mb-2 flex items-center gap-3 text-xs">
        <span className="font-medium">Sends, failures first</span>
        <label className="flex items-center gap-1 text-zinc-600 dark:text-zinc-400">
          <input type="checkbox" checked={only === "failed"} onChange={(e) => setOnly(e.target.checked ? "failed" : "all")} />
          Only failed
        </label>
      </div>
      <ul
        className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        data-testid="send-list"
      >
        {sends.map((s) => (
          <SendRow key={s.position} send={s} />
        ))}
        {sends.length === 0 && <li className="px-3 py-3 text-zinc-500">{only === "failed" ? "No failed sends." : "Nothing sent yet."}</li>}
      </ul>
      {nextOffset !== null && (
        <button
          type="button"
          className={buttonClass("ghost", "mt-2", "sm")}
          onClick={() => setLimit((l) => Math.min(l + 150, 200))}
          disabled={limit >= 200}
        >
          {limit >= 200 ? "The first 200 sends are shown (the API pages the rest)" : "Show more"}
        </button>
      )}
    </div>
  );
}

function SendRow({ send: s }: { send: TReplaySend }) {
  const [open, setOpen] = useState(false);
  const tone =
    s.state === "failed"
      ? "text-red-700 dark:text-red-400"
      : s.state === "passed"
        ? "text-emerald-700 dark:text-emerald-400"
        : "text-zinc-500";
  return (
    <li data-testid="send-row" data-state={s.state}>
      <button
        type="button"
        className="flex w-full items-center gap-3 px-3 py-1.5 text-left hover:bg-zinc-50 dark:hover:bg-zinc-900"
        onClick={() => setOpen((o) => !o)}
        aria-expanded={open}
      >
        <span className="w-14 shrink-0 font-mono text-xs text-zinc-500">#{s.captureSeq}</span>
        <span className={`w-14 shrink-0 text-xs font-medium ${tone}`}>{s.state}</span>
        <span className="w-12 shrink-0 font-mono text-xs">{s.response?.status ?? (s.error ? "—" : "")}</span>
        <span className="w-16 shrink-0 text-right font-mono text-xs text-zinc-500">
          {s.durationMs !== null ? `${Math.round(s.durationMs)} ms` : ""}
        </span>
        <span className="min-w-0 flex-1 truncate text-xs text-red-700 dark:text-red-400">
          {s.failures.map((f) => f.message).join(" · ")}
        </span>
      </button>
      {open && (
        <div className="space-y-2 border-t border-zinc-100 bg-zinc-50/60 px-3 py-2 text-xs dark:border-zinc-800 dark:bg-zinc-900/40">
          {s.request && (
            <p className="font-mono break-all">
              {s.request.method} {s.request.url} · {formatBytes(s.request.bodySize)}
            </p>
          )}
          {s.error && <p className="text-red-700 dark:text-red-400">{s.error.message}</p>}
          {s.response && (
            <>
              <HeaderTable headers={s.response.headers} testId="send-headers" />
              <pre className="max-h-64 overflow-auto rounded bg-white p-2 font-mono whitespace-pre-wrap dark:bg-zinc-950">
                {s.response.body.text ?? `(${formatBytes(s.response.body.size)} of binary)`}
                {s.response.body.truncated &&
                  `\n… (first ${formatBytes(s.response.body.base64.length * 0.75)} of ${formatBytes(s.response.body.size)})`}
              </pre>
            </>
          )}
        </div>
      )}
    </li>
  );
}
