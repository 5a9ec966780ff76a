"use client";
// Which capture the dashboard shows, and which two it compares. The selection is the URL:
// /endpoints/<id>/captures/<captureId>, updated with replaceState so moving through captures
// does not fill the Back button's history; comparing is /endpoints/<id>/compare?a=&b=.
// "Follow newest" (on unless the page opened on a capture): the newest row the list shows is
// selected as it arrives, until the user picks an older one; picking the newest follows again.
// It pauses while the list is scrolled down (the rows being read must not jump to the top).
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useForgetCapture } from "@/lib/browser/query/use-captures";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";

/** The capture id in /endpoints/<id>/captures/<captureId>, or null. */
export function selectedFromPath(pathname: string, endpointId: string): string | null {
  const prefix = `/endpoints/${endpointId}/captures/`;
  if (!pathname.startsWith(prefix)) return null;
  const rest = pathname.slice(prefix.length).split("/")[0];
  return rest ? decodeURIComponent(rest) : null;
}

/** /endpoints/<id>/compare?a=&b=: the two capture ids, or null when not comparing. */
export function compareFromUrl(
  pathname: string,
  search: { get(name: string): string | null },
  endpointId: string,
): { a: string | null; b: string | null } | null {
  if (pathname !== `/endpoints/${endpointId}/compare`) return null;
  return { a: search.get("a") || null, b: search.get("b") || null };
}

/** `rows` is what the list shows and `all` every capture loaded: a marked capture is found in either. */
export function useCaptureSelection(endpointId: string, rows: TCaptureSummary[], all: TCaptureSummary[]) {
  const forget = useForgetCapture(endpointId);
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const router = useRouter();
  const selectedId = selectedFromPath(pathname, endpointId);
  const comparing = compareFromUrl(pathname, searchParams, endpointId);
  const [markedIds, setMarkedIds] = useState<string[]>([]);
  // A page opened on a capture (a permalink) shows that one; otherwise the newest, as it arrives.
  const [following, setFollowing] = useState(() => selectedId === null && comparing === null);
  const [listScrolled, setListScrolled] = useState(false);
  const newestId = rows[0]?.id ?? null;

  const navigate = useCallback(
    (id: string | null) => {
      window.history.replaceState(
        null,
        "",
        id ? `/endpoints/${endpointId}/captures/${encodeURIComponent(id)}` : `/endpoints/${endpointId}`,
      );
    },
    [endpointId],
  );
  /** The user's choice: an older capture stops following; the newest (or one not listed yet, just sent) follows. */
  const select = useCallback(
    (id: string | null) => {
      setFollowing(id !== null && (id === newestId || !rows.some((c) => c.id === id)));
      navigate(id);
    },
    [navigate, newestId, rows],
  );
  /** The "Follow newest" toggle. */
  const setFollow = useCallback((on: boolean) => setFollowing(on), []);
  /** After the list was emptied (cleared): nothing selected, and the next arrival opens. */
  const reset = useCallback(() => {
    setFollowing(true);
    navigate(null);
  }, [navigate]);

  useEffect(() => {
    if (following && !listScrolled && !comparing && newestId && newestId !== selectedId) navigate(newestId);
  }, [following, listScrolled, comparing, newestId, selectedId, navigate]);

  // Compare: up to two captures ticked in the list (a third replaces the older tick).
  const toggleMark = useCallback(
    (id: string) => setMarkedIds((m) => (m.includes(id) ? m.filter((x) => x !== id) : [...m, id].slice(-2))),
    [],
  );
  const clearMarks = useCallback(() => setMarkedIds([]), []);
  const marked = useMemo(
    () =>
      markedIds
        .map((id) => rows.find((c) => c.id === id) ?? all.find((c) => c.id === id))
        .filter((c) => c !== undefined)
        .sort((x, y) => x.seq - y.seq),
    [markedIds, rows, all],
  );
  const openCompare = useCallback(
    (a: string, b: string) => {
      const q = new URLSearchParams({ a, b });
      router.push(`/endpoints/${endpointId}/compare?${q}`);
    },
    [router, endpointId],
  );
  const swapCompare = useCallback(
    (a: string, b: string) => router.replace(`/endpoints/${endpointId}/compare?${new URLSearchParams({ a: b, b: a })}`),
    [router, endpointId],
  );

  /** After the selected capture is deleted: out of the list, and its neighbour selected. */
  const onSelectedDeleted = () => {
    if (!selectedId) return;
    const at = rows.findIndex((c) => c.id === selectedId);
    const neighbour = rows[at + 1] ?? rows[at - 1] ?? null;
    forget(selectedId);
    setFollowing(false);
    navigate(at === -1 ? null : (neighbour?.id ?? null));
  };

  return {
    selectedId,
    comparing,
    select,
    following,
    setFollow,
    /** Following, but held while the list is scrolled away from its top. */
    followPaused: following && listScrolled,
    setListScrolled,
    reset,
    onSelectedDeleted,
    markedIds,
    marked,
    toggleMark,
    clearMarks,
    openCompare,
    swapCompare,
  };
}

export type TCaptureSelection = ReturnType<typeof useCaptureSelection>;
