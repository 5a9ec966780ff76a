"use client";
// Replay: send a chosen set of this endpoint's captures to a target and check every answer
// (docs/replay.md). One dialog with four views: the runs, a new run, one run (live progress,
// failures first) and the comparison of two runs. The server sends; this page polls.
import { useState } from "react";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { useReplayRuns } from "@/lib/browser/query/replay-runs";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { NewRunForm } from "./new-run-form";
import { RunComparisonView } from "./run-comparison";
import { RunList } from "./run-list";
import { RunView } from "./run-view";

export type TReplayView = { kind: "list" } | { kind: "new" } | { kind: "run"; id: string } | { kind: "compare"; a: string; b: string };

export function ReplayDialog({
  open,
  onClose,
  endpoint,
  search,
  markedIds,
}: {
  open: boolean;
  onClose: () => void;
  endpoint: TEndpoint;
  /** The list's search (canonical text), or null when not searching: a new run starts from it. */
  search: string | null;
  /** Captures marked in the list: a new run can send exactly those. */
  markedIds: string[];
}) {
  return (
    <ModalDialog open={open} onClose={onClose} title="Replay" size="xwide" testId="replay-dialog">
      <ReplayPanel endpoint={endpoint} search={search} markedIds={markedIds} />
    </ModalDialog>
  );
}

function ReplayPanel({ endpoint, search, markedIds }: { endpoint: TEndpoint; search: string | null; markedIds: string[] }) {
  const runs = useReplayRuns(endpoint.id);
  const [chosen, setView] = useState<TReplayView | null>(null);
  // Until something is chosen: the runs when there are any, else a new run.
  const view: TReplayView = chosen ?? (runs.data && runs.data.length === 0 ? { kind: "new" } : { kind: "list" });
  const back =
    view.kind === "list" ? null : (
      <button
        type="button"
        className="mb-3 text-sm text-indigo-600 hover:underline dark:text-indigo-400"
        onClick={() => setView({ kind: "list" })}
        data-testid="replay-back"
      >
        ← All runs
      </button>
    );
  return (
    <div className="max-h-[75dvh] overflow-y-auto text-sm">
      {back}
      {view.kind === "list" && <RunList endpointId={endpoint.id} runs={runs} onView={setView} />}
      {view.kind === "new" && (
        <NewRunForm endpoint={endpoint} search={search} markedIds={markedIds} onStarted={(id) => setView({ kind: "run", id })} />
      )}
      {view.kind === "run" && <RunView endpointId={endpoint.id} runId={view.id} runs={runs.data ?? []} onView={setView} />}
      {view.kind === "compare" && (
        <RunComparisonView endpointId={endpoint.id} a={view.a} b={view.b} runs={runs.data ?? []} onView={setView} />
      )}
    </div>
  );
}
