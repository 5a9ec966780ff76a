// Diff of ordered name/value lists (headers, query parameters). Entries are matched by name
// (case-insensitively for headers) and occurrence: the second `X-Tag` in A pairs with the second
// `X-Tag` in B, so repeated headers are compared one by one. The result follows B's order, with
// entries only A has placed where they stood in A. A header whose name changed only in case
// counts as changed: capture stores names as they arrived, and some receivers care.

export type TPairRowKind = "same" | "changed" | "added" | "removed";

export interface TPairRow {
  kind: TPairRowKind;
  /** [name, value] in A, absent when added. */
  a?: [string, string];
  /** [name, value] in B, absent when removed. */
  b?: [string, string];
}

function keyed(list: readonly (readonly [string, string])[], fold: boolean): string[] {
  const seen = new Map<string, number>();
  return list.map(([name]) => {
    const n = fold ? name.toLowerCase() : name;
    const k = seen.get(n) ?? 0;
    seen.set(n, k + 1);
    return `${n}\u0000${k}`;
  });
}

export function diffPairs(
  a: readonly (readonly [string, string])[],
  b: readonly (readonly [string, string])[],
  opts: { caseInsensitiveNames: boolean },
): TPairRow[] {
  const ka = keyed(a, opts.caseInsensitiveNames);
  const kb = keyed(b, opts.caseInsensitiveNames);
  const indexA = new Map(ka.map((k, i) => [k, i]));
  const inB = new Set(kb);
  const rows: TPairRow[] = [];
  const used = new Set<number>();
  let i = 0;
  let j = 0;
  const copy = (p: readonly [string, string]): [string, string] => [p[0], p[1]];
  while (i < a.length || j < b.length) {
    if (i < a.length && used.has(i)) {
      i++;
      continue;
    }
    if (i < a.length && !inB.has(ka[i]!)) {
      rows.push({ kind: "removed", a: copy(a[i]!) });
      i++;
      continue;
    }
    if (j < b.length) {
      const at = indexA.get(kb[j]!);
      if (at === undefined) rows.push({ kind: "added", b: copy(b[j]!) });
      else {
        used.add(at);
        const pa = a[at]!;
        const pb = b[j]!;
        rows.push({ kind: pa[0] === pb[0] && pa[1] === pb[1] ? "same" : "changed", a: copy(pa), b: copy(pb) });
      }
      j++;
      continue;
    }
    i++; // only entries of A already paired remain
  }
  return rows;
}

/**
 * Query parameters from a raw query string, in order, decoded as a browser would
 * (`+` is a space); a malformed %-escape is kept as written rather than failing.
 */
export function parseQuery(raw: string | null): [string, string][] {
  if (!raw) return [];
  const decode = (s: string) => {
    const t = s.replaceAll("+", " ");
    try {
      return decodeURIComponent(t);
    } catch {
      return t;
    }
  };
  return raw
    .split("&")
    .filter((part) => part !== "")
    .map((part) => {
      const eq = part.indexOf("=");
      return eq === -1 ? [decode(part), ""] : [decode(part.slice(0, eq)), decode(part.slice(eq + 1))];
    });
}
