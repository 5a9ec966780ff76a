"use client";
// /endpoints/<id>/compare?a=<captureId>&b=<captureId>: two captures side by side. Request line,
// query parameters and headers as tables (added, removed, changed, in order; unchanged runs
// fold), the body by kind: JSON as changed paths (key order ignored), text line by line, binary
// by size and first differing byte. The diff runs in a Web Worker (use-comparison.ts); bodies over
// COMPARE_AUTO_LOAD_BYTES are loaded whole, and compared, only when asked.
import { useState } from "react";
import { MethodBadge } from "@/components/capture/method-badge";
import { pathWithQuery } from "@/components/capture/capture-format";
import { formatBytes } from "@/lib/shared/format/bytes";
import { buttonClass } from "@/components/ui/button-styles";
import { RelativeTime } from "@/components/ui/relative-time";
import { changedCount, type TBodyDiff, type TCaptureComparison } from "@/lib/shared/diff/compare";
import { describeError } from "@/lib/browser/query/api";
import { useCapture } from "@/lib/browser/query/use-capture";
import type { TCapture } from "@/lib/shared/validation/captures";
import { BinaryDiffView, JsonChanges, LineDiffView, PairTable, Section } from "./diff-tables";
import { COMPARE_AUTO_LOAD_BYTES, useCompareBody, useComparison } from "./use-comparison";

export function CompareView({
  aId,
  bId,
  onClose,
  onSwap,
  onOpen,
}: {
  aId: string | null;
  bId: string | null;
  onClose: () => void;
  onSwap: () => void;
  onOpen: (captureId: string) => void;
}) {
  const a = useCapture(aId ?? "", { enabled: Boolean(aId) });
  const b = useCapture(bId ?? "", { enabled: Boolean(bId) });
  // Bodies over the detail's 256 KiB preview load by themselves up to COMPARE_AUTO_LOAD_BYTES each
  // (opening a compare asks for the diff); bigger ones only when asked, for this pair.
  const pair = `${aId}|${bId}`;
  const [bodiesFor, setBodiesFor] = useState<string | null>(null);
  const small = (a.data?.bodySize ?? 0) <= COMPARE_AUTO_LOAD_BYTES && (b.data?.bodySize ?? 0) <= COMPARE_AUTO_LOAD_BYTES;
  const bodyA = useCompareBody(a.data, small || bodiesFor === pair);
  const bodyB = useCompareBody(b.data, small || bodiesFor === pair);
  const comparison = useComparison(a.data, b.data, bodyA.body, bodyB.body);
  const bodies: TBodiesToLoad = {
    sizeA: a.data?.bodySize ?? 0,
    sizeB: b.data?.bodySize ?? 0,
    loading: bodyA.loading || bodyB.loading,
    error: (bodyA.error ?? bodyB.error)?.message ?? null,
    onLoad: () => setBodiesFor(pair),
  };

  let problem: string | null = null;
  if (!aId || !bId) problem = "Pick two captures to compare: tick their boxes in the list, or use “Compare with previous” on a capture.";
  else if (aId === bId) problem = "These are the same capture. Pick a different one for B.";
  else if (a.isError) problem = `A: ${describeError(a.error, "capture")}`;
  else if (b.isError) problem = `B: ${describeError(b.error, "capture")}`;

  return (
    <div data-testid="compare-view" className="min-h-full">
      <title>Compare captures · Hookscope</title>
      <div className="sticky top-0 z-10 border-b border-zinc-200 bg-white/95 px-4 py-2 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
        <div className="flex items-center gap-2">
          <h2 className="text-sm font-semibold">Compare</h2>
          <span className="flex-1" />
          <button
            type="button"
            className={buttonClass("ghost", "", "sm")}
            onClick={onSwap}
            disabled={!aId || !bId}
            data-testid="compare-swap"
          >
            ⇄ Swap A and B
          </button>
          <button type="button" className={buttonClass("ghost", "", "sm")} onClick={onClose} data-testid="compare-close">
            Close
          </button>
        </div>
        <div className="mt-1 grid grid-cols-2 gap-3">
          <Side label="A" capture={a.data} loading={a.isPending && Boolean(aId)} onOpen={onOpen} />
          <Side label="B" capture={b.data} loading={b.isPending && Boolean(bId)} onOpen={onOpen} />
        </div>
      </div>

      {problem ? (
        <p role="alert" data-testid="compare-problem" className="p-6 text-sm text-zinc-600 dark:text-zinc-300">
          {problem}
        </p>
      ) : comparison.status === "error" ? (
        <p role="alert" className="p-6 text-sm text-red-600 dark:text-red-400">
          The comparison failed: {comparison.message}
        </p>
      ) : comparison.status !== "done" ? (
        <p data-testid="compare-running" aria-busy="true" className="animate-pulse p-6 text-sm text-zinc-500">
          {comparison.status === "waiting" ? "Loading both captures…" : "Comparing…"}
        </p>
      ) : (
        <Result
          result={comparison.result}
          notice={comparison.notice}
          ms={comparison.ms}
          inWorker={comparison.inWorker}
          bodies={comparison.bodiesPending ? bodies : null}
        />
      )}
    </div>
  );
}

function Side({
  label,
  capture,
  loading,
  onOpen,
}: {
  label: string;
  capture: TCapture | undefined;
  loading: boolean;
  onOpen: (id: string) => void;
}) {
  return (
    <div data-testid={`compare-side-${label.toLowerCase()}`} className="flex min-w-0 items-center gap-2 text-xs">
      <span className="shrink-0 rounded bg-zinc-800 px-1.5 font-mono font-semibold text-white dark:bg-zinc-200 dark:text-zinc-900">
        {label}
      </span>
      {capture ? (
        <>
          <button
            type="button"
            className="shrink-0 text-indigo-600 tabular-nums hover:underline dark:text-indigo-400"
            onClick={() => onOpen(capture.id)}
            title="Open this capture"
          >
            #{capture.seq}
          </button>
          <MethodBadge method={capture.method} />
          <span className="min-w-0 truncate font-mono" title={pathWithQuery(capture)}>
            {pathWithQuery(capture) || "/"}
          </span>
          <RelativeTime iso={capture.receivedAt} className="ml-auto shrink-0 text-zinc-500 tabular-nums" />
        </>
      ) : (
        <span className="text-zinc-500">{loading ? "Loading…" : "—"}</span>
      )}
    </div>
  );
}

function bodySummary(body: TBodyDiff): string {
  switch (body.mode) {
    case "identical":
      return "same bytes";
    case "json":
      return body.json.total === 0
        ? "same JSON (formatting or key order differs)"
        : `${body.json.total.toLocaleString("en")} changed JSON path${body.json.total === 1 ? "" : "s"}`;
    case "text":
      return (
        [
          [body.lines.changed, "changed"],
          [body.lines.removed, "only in A"],
          [body.lines.added, "only in B"],
        ] as const
      )
        .filter(([n]) => n > 0)
        .map(([n, what], i) => `${n.toLocaleString("en")}${i === 0 ? ` line${n === 1 ? "" : "s"}` : ""} ${what}`)
        .join(", ");
    case "binary":
      return `binary, first difference at byte ${body.bytes.firstDifference?.toLocaleString("en") ?? "—"}`;
  }
}

interface TBodiesToLoad {
  sizeA: number;
  sizeB: number;
  loading: boolean;
  error: string | null;
  onLoad: () => void;
}

function Result({
  result,
  notice,
  ms,
  inWorker,
  bodies,
}: {
  result: TCaptureComparison;
  notice: string | null;
  ms: number;
  inWorker: boolean;
  /** Set when a body is over the preview and not loaded: the bodies were not compared. */
  bodies: TBodiesToLoad | null;
}) {
  const req = changedCount(result.request);
  const query = changedCount(result.query);
  const headers = changedCount(result.headers);
  const body = result.body;
  const parts = [
    req ? `request line: ${req} differ${req === 1 ? "s" : ""}` : "same request line",
    query ? `${query} query parameter${query === 1 ? "" : "s"}` : null,
    headers ? `${headers} header${headers === 1 ? "" : "s"}` : "same headers",
    bodies ? "body: not compared yet (large)" : `body: ${bodySummary(body)}`,
  ].filter(Boolean);
  const headerCounts = (["changed", "added", "removed"] as const)
    .map((k) => [k, result.headers.filter((r) => r.kind === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k === "added" ? "only in B" : k === "removed" ? "only in A" : "changed"}`)
    .join(", ");

  return (
    <div data-testid="compare-result">
      <p data-testid="compare-summary" className="px-4 py-2 text-sm text-zinc-700 dark:text-zinc-300">
        {parts.join(" · ")}
        <span className="ml-2 text-xs text-zinc-500">
          ({ms} ms{inWorker ? ", in a background worker" : ""})
        </span>
      </p>
      {notice && (
        <p
          role="status"
          className="mx-4 mb-2 rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900 dark:bg-amber-950/40 dark:text-amber-200"
        >
          {notice}
        </p>
      )}
      <Section title="Request" testId="compare-request">
        <PairTable rows={result.request} nameLabel="Field" what="field" testId="request-fields" fold={false} />
      </Section>
      {result.query.length > 0 && (
        <Section title="Query parameters" detail={query ? `${query} differ` : "same"} testId="compare-query">
          <PairTable rows={result.query} nameLabel="Name" what="parameter" testId="query-params" />
        </Section>
      )}
      <Section title="Headers" detail={headerCounts || "same"} testId="compare-headers">
        <PairTable rows={result.headers} nameLabel="Name" what="header" testId="headers" />
      </Section>
      <Section title="Body" detail={sizeChange(bodies?.sizeA ?? body.sizeA, bodies?.sizeB ?? body.sizeB)} testId="compare-body">
        {bodies ? <LoadBodies bodies={bodies} /> : <BodyResult body={body} />}
      </Section>
    </div>
  );
}

function sizeChange(a: number, b: number): string {
  return `${formatBytes(a)} → ${formatBytes(b)}${a === b ? "" : ` (${b > a ? "+" : "−"}${formatBytes(Math.abs(b - a))})`}`;
}

function LoadBodies({ bodies }: { bodies: TBodiesToLoad }) {
  return (
    <div data-testid="compare-bodies-pending" className="flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-300">
      <p>A body is over {formatBytes(COMPARE_AUTO_LOAD_BYTES)}, so the bodies are compared only when you load them.</p>
      <button
        type="button"
        className={buttonClass("secondary", "", "sm")}
        onClick={bodies.onLoad}
        disabled={bodies.loading}
        data-testid="compare-load-bodies"
      >
        {bodies.loading ? "Loading bodies…" : `Load both bodies (${formatBytes(bodies.sizeA + bodies.sizeB)}) and compare`}
      </button>
      {bodies.error && (
        <p role="alert" className="w-full text-red-600 dark:text-red-400">
          {bodies.error}
        </p>
      )}
    </div>
  );
}

export function BodyResult({ body }: { body: TBodyDiff }) {
  switch (body.mode) {
    case "identical":
      return (
        <p data-testid="body-identical" className="text-sm text-zinc-600 dark:text-zinc-300">
          {body.sizeA === 0 ? "Both bodies are empty." : "The bodies are byte for byte the same."}
        </p>
      );
    case "json":
      return (
        <>
          <p className="mb-2 text-xs text-zinc-500">Compared as JSON: key order and whitespace are ignored; numbers compare by value.</p>
          <JsonChanges diff={body.json} />
        </>
      );
    case "text":
      return (
        <>
          {body.note && <p className="mb-2 text-xs text-zinc-500">{body.note}</p>}
          {body.lines.truncatedLines > 0 && (
            <p className="mb-2 text-xs text-zinc-500">Lines over 2,000 characters are cut in this view; the comparison read them whole.</p>
          )}
          {body.lines.approximate && (
            <p className="mb-2 text-xs text-zinc-500">
              Part of these texts was too tangled to line up within the time limit; it is shown as removed lines followed by added lines.
            </p>
          )}
          <LineDiffView diff={body.lines} />
          {body.lines.omittedRows > 0 && (
            <p className="mt-2 text-xs text-zinc-500">
              The first {body.lines.rows.length.toLocaleString("en")} rows are shown; {body.lines.omittedRows.toLocaleString("en")} more are
              not. Download both bodies to compare them in full.
            </p>
          )}
        </>
      );
    case "binary":
      return (
        <>
          <p className="mb-2 text-xs text-zinc-500">
            At least one body is not UTF-8 text (binary or compressed), so the bytes are compared.
          </p>
          <BinaryDiffView diff={body.bytes} />
        </>
      );
  }
}
