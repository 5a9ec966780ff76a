"use client";
// The pieces of the compare view: name/value tables (request line, query, headers), the JSON
// path list, the side-by-side line diff and the binary summary. Everything shown is captured data
// and is rendered as React text: markup in a header or body stays inert characters.
import { useMemo, useState, type ReactNode } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import type { TByteDiff } from "@/lib/shared/diff/bytes";
import { foldRows, type TSegment } from "@/lib/shared/diff/fold";
import type { TJsonDiff } from "@/lib/shared/diff/json-diff";
import type { TLine, TLineDiff, TLineRow } from "@/lib/shared/diff/lines";
import { MAX_LINE_CHARS } from "@/lib/shared/diff/lines";
import type { TPairRow } from "@/lib/shared/diff/pairs";

/** Rows rendered before a "show more" button: a diff of 20,000 changed lines must not stall the DOM. */
const RENDER_STEP = 800;

const CELL = {
  same: "",
  removed: "bg-red-50 text-red-950 dark:bg-red-950/40 dark:text-red-100",
  added: "bg-emerald-50 text-emerald-950 dark:bg-emerald-950/40 dark:text-emerald-100",
  changed: "bg-amber-50 text-amber-950 dark:bg-amber-950/30 dark:text-amber-100",
  empty: "bg-zinc-50 dark:bg-zinc-900/60",
} as const;

const MARK: Record<TPairRow["kind"], string> = { same: "", removed: "−", added: "+", changed: "~" };
const KIND_LABEL: Record<TPairRow["kind"], string> = { same: "same", removed: "only in A", added: "only in B", changed: "changed" };

/** Control characters made visible, so "\r" or a trailing tab is not an invisible difference. */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) =>
    c === "\r" ? "␍" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
}

export function Section({ title, detail, testId, children }: { title: string; detail?: ReactNode; testId?: string; children: ReactNode }) {
  return (
    <section data-testid={testId} className="border-t border-zinc-200 px-4 py-3 dark:border-zinc-800">
      <h3 className="mb-2 flex items-baseline gap-2 text-sm font-semibold">
        {title}
        {detail !== undefined && <span className="text-xs font-normal text-zinc-500">{detail}</span>}
      </h3>
      {children}
    </section>
  );
}

function FoldButton({ count, what, onOpen, inTable }: { count: number; what: string; onOpen: () => void; inTable: boolean }) {
  const button = (
    <button
      type="button"
      data-testid="diff-fold"
      onClick={onOpen}
      className="col-span-full w-full border-y border-dashed border-zinc-200 bg-zinc-50 py-1 text-center text-xs text-zinc-500 hover:bg-zinc-100 hover:text-zinc-800 dark:border-zinc-800 dark:bg-zinc-900/60 dark:hover:bg-zinc-800 dark:hover:text-zinc-200"
    >
      ⋯ {count.toLocaleString("en")} unchanged {what}
      {count === 1 ? "" : "s"} (show)
    </button>
  );
  // Inside a role="table" a button may only sit in a cell of a row (axe: aria-required-children).
  return inTable ? (
    <div role="row" className="contents">
      <div role="cell" className="col-span-full">
        {button}
      </div>
    </div>
  ) : (
    button
  );
}

/** Segments with folds the user opened replaced by their rows; shows up to `limit` rows. */
function useFolded<T>(segments: TSegment<T>[]) {
  const [open, setOpen] = useState<Set<number>>(() => new Set());
  const [limit, setLimit] = useState(RENDER_STEP);
  const openFold = (start: number) => setOpen((s) => new Set(s).add(start));
  return { open, openFold, limit, more: () => setLimit((l) => l + RENDER_STEP), segments };
}

function MoreButton({ hidden, onMore, inTable = true }: { hidden: number; onMore: () => void; inTable?: boolean }) {
  const cell = (
    <div role={inTable ? "cell" : undefined} className="col-span-full py-2 text-center">
      <button type="button" className={buttonClass("secondary", "", "sm")} onClick={onMore} data-testid="diff-more">
        Show {Math.min(hidden, RENDER_STEP).toLocaleString("en")} more rows ({hidden.toLocaleString("en")} not shown)
      </button>
    </div>
  );
  return inTable ? (
    <div role="row" className="contents">
      {cell}
    </div>
  ) : (
    cell
  );
}

/**
 * Walks folded segments and renders at most `limit` rows; returns the rendered nodes and how
 * many rows were left out.
 */
function renderSegments<T>(
  f: ReturnType<typeof useFolded<T>>,
  what: string,
  renderRow: (row: T, index: number) => ReactNode,
  inTable = true,
): { nodes: ReactNode[]; hidden: number } {
  const nodes: ReactNode[] = [];
  let shown = 0;
  let hidden = 0;
  for (const seg of f.segments) {
    if (seg.kind === "fold" && !f.open.has(seg.start)) {
      if (shown < f.limit)
        nodes.push(
          <FoldButton key={`f${seg.start}`} count={seg.rows.length} what={what} onOpen={() => f.openFold(seg.start)} inTable={inTable} />,
        );
      continue;
    }
    seg.rows.forEach((row, k) => {
      if (shown < f.limit) nodes.push(renderRow(row, seg.start + k));
      else hidden++;
      shown++;
    });
  }
  return { nodes, hidden };
}

export function PairTable({
  rows,
  nameLabel,
  what,
  testId,
  fold = true,
}: {
  rows: TPairRow[];
  nameLabel: string;
  what: string;
  testId: string;
  fold?: boolean;
}) {
  const segments = useMemo(
    () => (fold ? foldRows(rows, (r) => r.kind === "same", 2) : [{ kind: "rows" as const, start: 0, rows }]),
    [rows, fold],
  );
  const f = useFolded(segments);
  if (rows.length === 0) return <p className="text-xs text-zinc-500">None in either capture.</p>;
  const { nodes, hidden } = renderSegments(f, what, (r, i) => {
    const [nameA, valueA] = r.a ?? [];
    const [nameB, valueB] = r.b ?? [];
    const name = nameB ?? nameA ?? "";
    const caseOnly = r.kind === "changed" && nameA !== undefined && nameB !== undefined && nameA !== nameB;
    return (
      <div key={i} role="row" data-testid={`${testId}-row`} data-kind={r.kind} data-name={name} className="contents">
        <span role="cell" className={`px-1 text-center font-mono text-zinc-500 ${CELL[r.kind]}`} title={KIND_LABEL[r.kind]}>
          {MARK[r.kind]}
        </span>
        <span role="cell" className={`px-2 py-0.5 font-mono break-all ${CELL[r.kind]}`}>
          {visible(name)}
          {caseOnly && <span className="ml-1 text-[11px] text-zinc-500">(A: {visible(nameA)})</span>}
        </span>
        <span
          role="cell"
          data-side="a"
          className={`px-2 py-0.5 font-mono break-all whitespace-pre-wrap ${r.a ? CELL[r.kind === "added" ? "same" : r.kind] : CELL.empty}`}
        >
          {valueA === undefined ? "" : visible(valueA)}
        </span>
        <span
          role="cell"
          data-side="b"
          className={`px-2 py-0.5 font-mono break-all whitespace-pre-wrap ${r.b ? CELL[r.kind === "removed" ? "same" : r.kind] : CELL.empty}`}
        >
          {valueB === undefined ? "" : visible(valueB)}
        </span>
      </div>
    );
  });
  return (
    <div role="table" data-testid={testId} className="grid grid-cols-[1.25rem_minmax(7rem,auto)_1fr_1fr] text-xs">
      <div role="row" className="contents text-[11px] font-medium text-zinc-500 uppercase">
        <span role="columnheader" />
        <span role="columnheader" className="px-2 pb-1">
          {nameLabel}
        </span>
        <span role="columnheader" className="px-2 pb-1">
          A
        </span>
        <span role="columnheader" className="px-2 pb-1">
          B
        </span>
      </div>
      {nodes}
      {hidden > 0 && <MoreButton hidden={hidden} onMore={f.more} />}
    </div>
  );
}

export function JsonChanges({ diff }: { diff: TJsonDiff }) {
  const [limit, setLimit] = useState(RENDER_STEP);
  if (diff.total === 0) {
    return (
      <p data-testid="json-no-change" className="text-sm text-zinc-600 dark:text-zinc-300">
        Same JSON: every key and value matches (key order and whitespace ignored).
      </p>
    );
  }
  const shown = diff.changes.slice(0, limit);
  return (
    <div role="table" data-testid="json-changes" className="grid grid-cols-[1.25rem_minmax(8rem,auto)_1fr_1fr] text-xs">
      <div role="row" className="contents text-[11px] font-medium text-zinc-500 uppercase">
        <span role="columnheader" />
        <span role="columnheader" className="px-2 pb-1">
          Path
        </span>
        <span role="columnheader" className="px-2 pb-1">
          A
        </span>
        <span role="columnheader" className="px-2 pb-1">
          B
        </span>
      </div>
      {shown.map((c, i) => (
        <div key={i} role="row" data-testid="json-change" data-kind={c.kind} data-path={c.path} className="contents">
          <span role="cell" className={`px-1 text-center font-mono text-zinc-500 ${CELL[c.kind]}`} title={KIND_LABEL[c.kind]}>
            {MARK[c.kind]}
          </span>
          <span role="cell" data-testid="json-change-path" className={`px-2 py-0.5 font-mono break-all ${CELL[c.kind]}`}>
            {c.path}
          </span>
          <span
            role="cell"
            data-side="a"
            className={`px-2 py-0.5 font-mono break-all whitespace-pre-wrap ${c.a === undefined ? CELL.empty : CELL[c.kind]}`}
          >
            {c.a ?? ""}
          </span>
          <span
            role="cell"
            data-side="b"
            className={`px-2 py-0.5 font-mono break-all whitespace-pre-wrap ${c.b === undefined ? CELL.empty : CELL[c.kind]}`}
          >
            {c.b ?? ""}
          </span>
        </div>
      ))}
      {diff.changes.length > limit && <MoreButton hidden={diff.changes.length - limit} onMore={() => setLimit((l) => l + RENDER_STEP)} />}
      {diff.total > diff.changes.length && (
        <p className="col-span-full pt-2 text-xs text-zinc-500">
          {(diff.total - diff.changes.length).toLocaleString("en")} more changed paths are not listed.
        </p>
      )}
    </div>
  );
}

function LineCell({ line, kind, side }: { line: TLine | undefined; kind: TLineRow["kind"]; side: "a" | "b" }) {
  if (!line) {
    return (
      <>
        <span className={CELL.empty} />
        <span className={CELL.empty} />
      </>
    );
  }
  const tone = kind === "same" ? CELL.same : kind === "changed" ? CELL.changed : side === "a" ? CELL.removed : CELL.added;
  return (
    <>
      <span className={`px-1.5 text-right text-zinc-500 tabular-nums select-none ${tone}`}>{line.n}</span>
      <span data-side={side} className={`px-2 break-all whitespace-pre-wrap ${tone}`}>
        {visible(line.text)}
        {line.text.length >= MAX_LINE_CHARS && <span className="text-zinc-500"> … (line cut at {MAX_LINE_CHARS} characters)</span>}
        {line.noEol && <span className="ml-1 text-[10px] text-zinc-500">(no newline at end)</span>}
      </span>
    </>
  );
}

export function LineDiffView({ diff }: { diff: TLineDiff }) {
  const segments = useMemo(() => foldRows(diff.rows, (r) => r.kind === "same", 3), [diff.rows]);
  const f = useFolded(segments);
  const { nodes, hidden } = renderSegments(
    f,
    "line",
    (r, i) => (
      <div key={i} data-testid="line-row" data-kind={r.kind} className="contents">
        <LineCell line={r.a} kind={r.kind} side="a" />
        <LineCell line={r.b} kind={r.kind} side="b" />
      </div>
    ),
    false,
  );
  return (
    <div data-testid="line-diff" className="grid grid-cols-[auto_1fr_auto_1fr] font-mono text-xs leading-5">
      {nodes}
      {hidden > 0 && <MoreButton hidden={hidden} onMore={f.more} inTable={false} />}
    </div>
  );
}

function HexRow({ label, hex, start, first }: { label: string; hex: string[]; start: number; first: number }) {
  return (
    <div className="flex gap-3">
      <span className="w-4 shrink-0 text-zinc-500">{label}</span>
      <span className="break-all">
        {hex.map((h, i) => (
          <span
            key={i}
            className={`${start + i === first ? "rounded bg-amber-200 px-0.5 dark:bg-amber-800" : ""} ${i % 16 === 15 ? "mr-2" : "mr-1"}`}
          >
            {h}
          </span>
        ))}
        {hex.length === 0 && <span className="text-zinc-500">(ends before this offset)</span>}
      </span>
    </div>
  );
}

export function BinaryDiffView({ diff }: { diff: TByteDiff }) {
  if (diff.firstDifference === null || !diff.window) return null;
  const w = diff.window;
  return (
    <div data-testid="binary-diff" className="space-y-2 text-sm">
      <p>
        First difference at byte offset{" "}
        <strong data-testid="binary-first-difference" className="font-mono">
          {diff.firstDifference.toLocaleString("en")}
        </strong>{" "}
        (0x{diff.firstDifference.toString(16)}).
        {diff.firstDifference === Math.min(diff.sizeA, diff.sizeB) && diff.sizeA !== diff.sizeB && (
          <> The shorter body is a prefix of the longer one.</>
        )}
      </p>
      <div className="rounded-md border border-zinc-200 p-2 font-mono text-xs dark:border-zinc-800">
        <p className="mb-1 text-zinc-500">from offset 0x{w.start.toString(16)}</p>
        <HexRow label="A" hex={w.hexA} start={w.start} first={diff.firstDifference} />
        <HexRow label="B" hex={w.hexB} start={w.start} first={diff.firstDifference} />
      </div>
    </div>
  );
}
