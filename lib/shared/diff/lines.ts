// Line-by-line diff of two texts for a side-by-side view. Plain Myers (jsdiff's diffLines) is
// O(N·D): two 1 MiB logs with every tenth line changed took 8 s. So lines are interned to numbers,
// common head and tail are cut, and lines that occur exactly once in each side anchor the
// alignment (patience diff, as `git diff --patience`); only the gaps between anchors go through
// jsdiff's diffArrays, each with a time budget. A gap that runs out of budget is shown as removed
// then added (correct, only less tidy) and the result says it is approximate. A removed run
// followed by an added run is shown as changed lines paired row by row.
import { diffArrays } from "diff";

export type TLineRowKind = "same" | "changed" | "added" | "removed";

export interface TLine {
  /** 1-based line number. */
  n: number;
  text: string;
  /** The text ends here without a newline (shown, since it alone can make two lines differ). */
  noEol?: true;
}

export interface TLineRow {
  kind: TLineRowKind;
  a?: TLine;
  b?: TLine;
}

export interface TLineDiff {
  rows: TLineRow[];
  /** Lines paired as changed (a removed line shown beside an added one). */
  changed: number;
  /** Lines only in B / only in A, beyond the changed pairs. */
  added: number;
  removed: number;
  /** Lines cut to MAX_LINE_CHARS in `rows` (the comparison itself saw all of them). */
  truncatedLines: number;
  /** Rows left out past MAX_ROWS (the counts above still cover them). */
  omittedRows: number;
  /** Some region was too tangled to align within the time budget and is shown as removed then added. */
  approximate: boolean;
}

/** Lines longer than this are cut in the rows. */
export const MAX_LINE_CHARS = 2000;

/** Rows kept in the result: it crosses from the worker to the page, and nobody reads past this. */
export const MAX_ROWS = 20000;

/** Gaps up to this many lines (both sides together) go to Myers directly. */
const SMALL_GAP = 64;

interface TSide {
  /** Line texts without the newline. */
  lines: string[];
  /** Interned line ids: equal ids, equal lines (newline included). */
  ids: Int32Array;
  noEolLast: boolean;
}

function split(text: string, intern: Map<string, number>): TSide {
  const lines = text.split("\n");
  const noEolLast = lines[lines.length - 1] !== "";
  if (!noEolLast) lines.pop(); // the newline ends the last line, it does not start one
  const ids = new Int32Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    // The last line without a newline differs from the same text with one.
    const key = noEolLast && i === lines.length - 1 ? lines[i]! + "\u0000noeol" : lines[i]!;
    let id = intern.get(key);
    if (id === undefined) {
      id = intern.size;
      intern.set(key, id);
    }
    ids[i] = id;
  }
  return { lines, ids, noEolLast };
}

/** Edit script entries: 0 = same (one line each side), 1 = removed from A, 2 = added from B. */
type TOp = 0 | 1 | 2;

/** Longest increasing subsequence of `js` (indices into it), for patience anchors. */
function lis(js: number[]): number[] {
  const tails: number[] = [];
  const prev = new Int32Array(js.length).fill(-1);
  for (let k = 0; k < js.length; k++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (js[tails[mid]!]! < js[k]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[k] = tails[lo - 1]!;
    tails[lo] = k;
  }
  const out: number[] = [];
  for (let k = tails.length ? tails[tails.length - 1]! : -1; k !== -1; k = prev[k]!) out.push(k);
  return out.reverse();
}

function align(a: Int32Array, b: Int32Array, deadline: number): { ops: TOp[]; approximate: boolean } {
  const ops: TOp[] = [];
  let approximate = false;

  const myers = (aLo: number, aHi: number, bLo: number, bHi: number) => {
    const left = deadline - Date.now();
    const parts =
      left > 0
        ? diffArrays(Array.from(a.subarray(aLo, aHi)), Array.from(b.subarray(bLo, bHi)), { timeout: Math.max(50, left) })
        : undefined;
    if (!parts) {
      approximate = true;
      for (let i = aLo; i < aHi; i++) ops.push(1);
      for (let j = bLo; j < bHi; j++) ops.push(2);
      return;
    }
    for (const p of parts) {
      const op: TOp = p.added ? 2 : p.removed ? 1 : 0;
      for (let k = 0; k < p.count; k++) ops.push(op);
    }
  };

  const shareALine = (aLo: number, aHi: number, bLo: number, bHi: number) => {
    const seen = new Set<number>();
    for (let i = aLo; i < aHi; i++) seen.add(a[i]!);
    for (let j = bLo; j < bHi; j++) if (seen.has(b[j]!)) return true;
    return false;
  };

  const gap = (aLo: number, aHi: number, bLo: number, bHi: number, depth: number) => {
    // common head and tail
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      ops.push(0);
      aLo++;
      bLo++;
    }
    let tail = 0;
    while (aHi > aLo && bHi > bLo && a[aHi - 1] === b[bHi - 1]) {
      aHi--;
      bHi--;
      tail++;
    }
    if (aLo === aHi || bLo === bHi || !shareALine(aLo, aHi, bLo, bHi)) {
      // nothing in common: all of A's lines go, all of B's come (Myers would take O((N+M)²) to find that out)
      for (let i = aLo; i < aHi; i++) ops.push(1);
      for (let j = bLo; j < bHi; j++) ops.push(2);
    } else if (aHi - aLo + (bHi - bLo) <= SMALL_GAP || depth > 32) {
      myers(aLo, aHi, bLo, bHi);
    } else {
      // lines unique on both sides, in A's order, with their place in B
      const count = new Map<number, number>();
      for (let i = aLo; i < aHi; i++) count.set(a[i]!, (count.get(a[i]!) ?? 0) + 1);
      const inB = new Map<number, number>();
      const countB = new Map<number, number>();
      for (let j = bLo; j < bHi; j++) {
        countB.set(b[j]!, (countB.get(b[j]!) ?? 0) + 1);
        inB.set(b[j]!, j);
      }
      const is: number[] = [];
      const js: number[] = [];
      for (let i = aLo; i < aHi; i++) {
        const id = a[i]!;
        if (count.get(id) === 1 && countB.get(id) === 1) {
          is.push(i);
          js.push(inB.get(id)!);
        }
      }
      const anchors = lis(js);
      if (anchors.length === 0) myers(aLo, aHi, bLo, bHi);
      else {
        let pa = aLo;
        let pb = bLo;
        for (const k of anchors) {
          gap(pa, is[k]!, pb, js[k]!, depth + 1);
          ops.push(0);
          pa = is[k]! + 1;
          pb = js[k]! + 1;
        }
        gap(pa, aHi, pb, bHi, depth + 1);
      }
    }
    for (let k = 0; k < tail; k++) ops.push(0);
  };

  gap(0, a.length, 0, b.length, 0);
  return { ops, approximate };
}

export function diffText(a: string, b: string, opts: { timeoutMs?: number } = {}): TLineDiff {
  const intern = new Map<string, number>();
  const sa = split(a, intern);
  const sb = split(b, intern);
  const { ops, approximate } = align(sa.ids, sb.ids, Date.now() + (opts.timeoutMs ?? 5000));

  let truncatedLines = 0;
  const line = (s: TSide, i: number): TLine => {
    const text = s.lines[i]!;
    const l: TLine = { n: i + 1, text };
    if (text.length > MAX_LINE_CHARS) {
      truncatedLines++;
      l.text = text.slice(0, MAX_LINE_CHARS);
    }
    if (s.noEolLast && i === s.lines.length - 1) l.noEol = true;
    return l;
  };

  const rows: TLineRow[] = [];
  let changed = 0;
  let added = 0;
  let removed = 0;
  let omittedRows = 0;
  const push = (row: TLineRow) => {
    if (rows.length < MAX_ROWS) rows.push(row);
    else omittedRows++;
  };
  let i = 0;
  let j = 0;
  let k = 0;
  while (k < ops.length) {
    if (ops[k] === 0) {
      if (rows.length < MAX_ROWS) rows.push({ kind: "same", a: line(sa, i), b: line(sb, j) });
      else omittedRows++;
      i++;
      j++;
      k++;
      continue;
    }
    // a run of removals and additions (in any order) between two same lines: pair them up
    let gone = 0;
    let came = 0;
    while (k < ops.length && ops[k] !== 0) {
      if (ops[k] === 1) gone++;
      else came++;
      k++;
    }
    const pairs = Math.min(gone, came);
    changed += pairs;
    removed += gone - pairs;
    added += came - pairs;
    for (let r = 0; r < Math.max(gone, came); r++) {
      if (rows.length >= MAX_ROWS) {
        omittedRows += Math.max(gone, came) - r;
        break;
      }
      const la = r < gone ? line(sa, i + r) : undefined;
      const lb = r < came ? line(sb, j + r) : undefined;
      const row: TLineRow = { kind: la && lb ? "changed" : la ? "removed" : "added" };
      if (la) row.a = la;
      if (lb) row.b = lb;
      push(row);
    }
    i += gone;
    j += came;
  }
  return { rows, changed, added, removed, truncatedLines, omittedRows, approximate };
}
