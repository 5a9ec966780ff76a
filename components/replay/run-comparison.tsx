"use client";
// Two runs of the same set side by side: the counts (regressions in red), then per capture what the
// target answered differently, regressions first; opening one shows the two answers' status,
// headers and body through the compare view's diff tables.
import { useMemo, useState } from "react";
import { BodyResult } from "@/components/compare/compare-view";
import { PairTable, Section } from "@/components/compare/diff-tables";
import { describeError } from "@/lib/browser/query/api";
import { useReplaySend, useRunComparison } from "@/lib/browser/query/replay-runs";
import { compareBodies, type TCompareBody } from "@/lib/shared/diff/compare";
import { diffPairs, type TPairRow } from "@/lib/shared/diff/pairs";
import { VOLATILE_HEADERS, type TReplayRun, type TReplaySend, type TRunDifference } from "@/lib/shared/validation/replay";
import type { TReplayView } from "./replay-dialog";
import { selectionLabel, VerdictBadge } from "./run-parts";

export function RunComparisonView({
  endpointId,
  a,
  b,
  runs,
  onView,
}: {
  endpointId: string;
  a: string;
  b: string;
  runs: TReplayRun[];
  onView: (v: TReplayView) => void;
}) {
  const cmp = useRunComparison(endpointId, a, b);
  const [open, setOpen] = useState<string | null>(null);
  const pick = (side: "a" | "b", id: string) => onView({ kind: "compare", a: side === "a" ? id : a, b: side === "b" ? id : b });
  return (
    <div data-testid="run-comparison">
      <div className="mb-3 grid gap-2 sm:grid-cols-2">
        {(["a", "b"] as const).map((side) => (
          <label key={side} className="flex items-center gap-2 text-xs">
            <span className="font-semibold">{side.toUpperCase()}</span>
            <select
              className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 dark:border-zinc-700 dark:bg-zinc-900"
              value={side === "a" ? a : b}
              onChange={(e) => pick(side, e.target.value)}
            >
              {runs.map((r) => (
                <option key={r.id} value={r.id}>
                  {new Date(r.createdAt).toLocaleString()} · {r.verdict} · {selectionLabel(r.selection)}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
      {cmp.isError && <p className="text-red-600">{describeError(cmp.error)}</p>}
      {cmp.isPending && <p className="text-zinc-500">Comparing…</p>}
      {cmp.data && (
        <>
          <div className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs" data-testid="comparison-counts">
            <span className="flex items-center gap-1">
              A <VerdictBadge verdict={cmp.data.a.verdict} /> → B <VerdictBadge verdict={cmp.data.b.verdict} />
            </span>
            <span
              data-testid="regression-count"
              className={
                cmp.data.counts.regressions > 0
                  ? "rounded bg-red-100 px-1.5 py-0.5 font-semibold text-red-800 dark:bg-red-950 dark:text-red-200"
                  : "text-zinc-500"
              }
            >
              {cmp.data.counts.regressions} regression{cmp.data.counts.regressions === 1 ? "" : "s"}
            </span>
            <span className={cmp.data.counts.fixed > 0 ? "text-emerald-700 dark:text-emerald-400" : "text-zinc-500"}>
              {cmp.data.counts.fixed} fixed
            </span>
            <span>{cmp.data.counts.different - cmp.data.counts.regressions - cmp.data.counts.fixed} other differences</span>
            <span className="text-zinc-500">{cmp.data.counts.same} answered the same</span>
            {!cmp.data.sameSet && (
              <span className="text-amber-700 dark:text-amber-400">
                Not the same set: {cmp.data.counts.onlyA} only in A, {cmp.data.counts.onlyB} only in B (not compared)
              </span>
            )}
          </div>
          {cmp.data.items.length === 0 ? (
            <p
              className="rounded-md border border-zinc-200 px-3 py-4 text-zinc-600 dark:border-zinc-800 dark:text-zinc-300"
              data-testid="comparison-same"
            >
              The target answered every capture the same way in both runs (Date and request-id headers aside).
            </p>
          ) : (
            <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
              {cmp.data.items.map((d) => (
                <DifferenceRow
                  key={d.captureId}
                  d={d}
                  endpointId={endpointId}
                  a={a}
                  b={b}
                  open={open === d.captureId}
                  onToggle={() => setOpen((o) => (o === d.captureId ? null : d.captureId))}
                />
              ))}
            </ul>
          )}
          {cmp.data.truncated && <p className="mt-2 text-xs text-zinc-500">The first {cmp.data.items.length} differences are shown.</p>}
        </>
      )}
    </div>
  );
}

function statusText(side: TRunDifference["a"]): string {
  return side.status !== null ? String(side.status) : side.error ? `no answer (${side.error})` : "—";
}

function DifferenceRow({
  d,
  endpointId,
  a,
  b,
  open,
  onToggle,
}: {
  d: TRunDifference;
  endpointId: string;
  a: string;
  b: string;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <li data-testid="difference-row" data-regression={d.regression} className={d.regression ? "bg-red-50/70 dark:bg-red-950/20" : ""}>
      <button
        type="button"
        className="flex w-full items-center gap-3 px-3 py-1.5 text-left text-xs"
        onClick={onToggle}
        aria-expanded={open}
      >
        <span className="w-14 shrink-0 font-mono text-zinc-500">#{d.captureSeq}</span>
        <span className="w-24 shrink-0">
          {d.regression ? (
            <span className="font-semibold text-red-700 dark:text-red-400">Regression</span>
          ) : d.fixed ? (
            <span className="text-emerald-700 dark:text-emerald-400">Fixed</span>
          ) : (
            <span className="text-zinc-500">Changed</span>
          )}
        </span>
        <span className="w-44 shrink-0 font-mono">
          {statusText(d.a)} → {statusText(d.b)}
        </span>
        <span className="min-w-0 flex-1 truncate text-zinc-600 dark:text-zinc-400">
          {d.differences.join(", ")}
          {d.headerNames.length > 0 && ` (${d.headerNames.join(", ")})`}
          {d.b.failures.length > 0 && (
            <span className="text-red-700 dark:text-red-400"> · B: {d.b.failures.map((f) => f.message).join("; ")}</span>
          )}
        </span>
      </button>
      {open && <SendDiff endpointId={endpointId} a={a} b={b} d={d} />}
    </li>
  );
}

/** A Date or request id that differs is shown, not marked: the run comparison does not count it either. */
function unmarkVolatile(r: TPairRow): TPairRow {
  return r.kind === "changed" && r.a && r.b && r.a[0].toLowerCase() === r.b[0].toLowerCase() && VOLATILE_HEADERS.has(r.a[0].toLowerCase())
    ? { ...r, kind: "same" }
    : r;
}

function body(s: TReplaySend): TCompareBody {
  const b64 = s.response?.body.base64 ?? "";
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return { bytes, text: s.response ? s.response.body.text : "" };
}

function SendDiff({ endpointId, a, b, d }: { endpointId: string; a: string; b: string; d: TRunDifference }) {
  const sa = useReplaySend(endpointId, a, d.positionA);
  const sb = useReplaySend(endpointId, b, d.positionB);
  const diff = useMemo(() => {
    if (!sa.data || !sb.data) return null;
    return {
      status: diffPairs([["Status", statusText(d.a)]], [["Status", statusText(d.b)]], { caseInsensitiveNames: false }),
      headers: diffPairs(sa.data.response?.headers ?? [], sb.data.response?.headers ?? [], { caseInsensitiveNames: true }).map(
        unmarkVolatile,
      ),
      body: compareBodies(body(sa.data), body(sb.data)),
    };
  }, [sa.data, sb.data, d]);
  if (sa.isError || sb.isError) return <p className="px-3 py-2 text-red-600">{describeError(sa.error ?? sb.error)}</p>;
  if (!diff) return <p className="px-3 py-2 text-zinc-500">Loading both answers…</p>;
  return (
    <div className="border-t border-zinc-100 dark:border-zinc-800" data-testid="send-diff">
      <Section title="Status" testId="send-diff-status">
        <PairTable rows={diff.status} nameLabel="" what="line" testId="send-diff-status-table" fold={false} />
      </Section>
      <Section title="Response headers" testId="send-diff-headers">
        <PairTable rows={diff.headers} nameLabel="Header" what="header" testId="send-diff-headers-table" />
      </Section>
      <Section title="Response body" testId="send-diff-body">
        <BodyResult body={diff.body} />
      </Section>
    </div>
  );
}
