// Folding for diff views: runs of unchanged rows longer than 2 × context + 1 collapse to the
// `context` rows next to each change and one "N unchanged" marker that can be opened.

export type TSegment<T> = { kind: "rows"; start: number; rows: T[] } | { kind: "fold"; start: number; rows: T[] };

export function foldRows<T>(rows: readonly T[], isSame: (row: T) => boolean, context = 3): TSegment<T>[] {
  const out: TSegment<T>[] = [];
  let shown: T[] = [];
  let shownStart = 0;
  const flush = () => {
    if (shown.length) out.push({ kind: "rows", start: shownStart, rows: shown });
    shown = [];
  };
  let i = 0;
  while (i < rows.length) {
    if (!isSame(rows[i]!)) {
      if (!shown.length) shownStart = i;
      shown.push(rows[i]!);
      i++;
      continue;
    }
    let j = i;
    while (j < rows.length && isSame(rows[j]!)) j++;
    // rows i..j-1 are unchanged; keep context after a change and before the next one
    const lead = i === 0 ? 0 : context;
    const trail = j === rows.length ? 0 : context;
    if (j - i > lead + trail + 1) {
      if (!shown.length) shownStart = i;
      shown.push(...rows.slice(i, i + lead));
      flush();
      out.push({ kind: "fold", start: i + lead, rows: rows.slice(i + lead, j - trail) });
      shownStart = j - trail;
      shown.push(...rows.slice(j - trail, j));
    } else {
      if (!shown.length) shownStart = i;
      shown.push(...rows.slice(i, j));
    }
    i = j;
  }
  flush();
  return out;
}
