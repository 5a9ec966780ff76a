// Pure edits of the capture list cache (react-query infinite data: newest-first pages of
// summaries). Live events, polling and deletes all go through these, so ordering, de-duplication
// and the memory bound live in one tested place.
import type { InfiniteData } from "@tanstack/react-query";
import type { TCapturePage, TCaptureSummary } from "@/lib/shared/validation/captures";

export type TCaptureListData = InfiniteData<TCapturePage, string | null>;

/**
 * Most rows the first page may grow to through live updates. Past it the oldest are dropped
 * (with every older page) and come back through infinite scroll, so a dashboard left open on a
 * busy endpoint keeps a bounded amount of memory.
 */
export const MAX_LIVE_ROWS = 5000;

/** Highest seq loaded, or null when nothing is. */
export function topSeq(data: TCaptureListData | undefined): number | null {
  let top: number | null = null;
  for (const p of data?.pages ?? []) for (const c of p.items) if (top === null || c.seq > top) top = c.seq;
  return top;
}

export function flattenCaptures(data: { pages: TCapturePage[] } | undefined): TCaptureSummary[] {
  if (!data) return [];
  if (data.pages.length === 1) return data.pages[0]!.items;
  return data.pages.flatMap((p) => p.items);
}

const bySeqDesc = (a: TCaptureSummary, b: TCaptureSummary) => b.seq - a.seq;

/**
 * Adds summaries to the list: unknown ids only, each in the page whose range it falls in, pages
 * kept newest first. A summary older than everything loaded while older pages remain is left out:
 * it arrives with infinite scroll, and adding it now would leave a hole above it.
 * Returns `data` itself when nothing changed, so react-query does not re-render for duplicates.
 */
export function mergeCaptures(
  data: TCaptureListData | undefined,
  incoming: readonly TCaptureSummary[],
  maxLiveRows: number = MAX_LIVE_ROWS,
): TCaptureListData | undefined {
  if (!data || data.pages.length === 0 || incoming.length === 0) return data;
  const known = new Set<string>();
  for (const p of data.pages) for (const c of p.items) known.add(c.id);

  const pages = data.pages.slice();
  // Each page's range as loaded: items pushed below change a page's last item until it is sorted,
  // and newest-first input (a page read after a burst) then fell outside every range but its first.
  const bottoms = data.pages.map((p) => p.items[p.items.length - 1]?.seq);
  const touched = new Set<number>();
  for (const c of incoming) {
    if (known.has(c.id)) continue;
    known.add(c.id);
    const at = pages.findIndex((p, i) => {
      const bottom = bottoms[i];
      // The last page with nothing older to load takes anything; others take what is above their bottom.
      return bottom !== undefined ? c.seq > bottom || (p.nextCursor === null && i === pages.length - 1) : p.nextCursor === null;
    });
    if (at === -1) continue;
    if (!touched.has(at)) pages[at] = { ...pages[at]!, items: pages[at]!.items.slice() };
    touched.add(at);
    pages[at]!.items.push(c);
  }
  if (touched.size === 0) return data;
  for (const i of touched) pages[i]!.items.sort(bySeqDesc);

  const head = pages[0]!;
  if (head.items.length > maxLiveRows) {
    const kept = head.items.slice(0, maxLiveRows);
    return {
      pages: [{ items: kept, nextCursor: String(kept[kept.length - 1]!.seq) }],
      pageParams: data.pageParams.slice(0, 1),
    };
  }
  return { ...data, pages };
}

/**
 * The list with the drift of loaded captures replaced (a live `drift` event, by capture id).
 * Returns `data` itself when none of them is loaded.
 */
export function setCaptureDrift(
  data: TCaptureListData | undefined,
  drift: ReadonlyMap<string, NonNullable<TCaptureSummary["drift"]>>,
): TCaptureListData | undefined {
  if (!data || drift.size === 0 || !data.pages.some((p) => p.items.some((c) => drift.has(c.id)))) return data;
  return {
    ...data,
    pages: data.pages.map((p) =>
      p.items.some((c) => drift.has(c.id))
        ? { ...p, items: p.items.map((c) => (drift.has(c.id) ? { ...c, drift: drift.get(c.id)! } : c)) }
        : p,
    ),
  };
}

/** The list without the capture `id` (deleted). */
export function removeCapture(data: TCaptureListData | undefined, id: string): TCaptureListData | undefined {
  if (!data || !data.pages.some((p) => p.items.some((c) => c.id === id))) return data;
  return { ...data, pages: data.pages.map((p) => ({ ...p, items: p.items.filter((c) => c.id !== id) })) };
}

/** The list reduced to its first page, so a refetch asks for one page instead of every page loaded. */
export function firstPageOnly(data: TCaptureListData | undefined): TCaptureListData | undefined {
  if (!data || data.pages.length <= 1) return data;
  return { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) };
}

/** An empty list (after clearing the endpoint). */
export function emptyCaptureList(): TCaptureListData {
  return { pages: [{ items: [], nextCursor: null }], pageParams: [null] };
}
