"use client";
// Which capture the dashboard shows, and which two it compares. The selection is the URL:
// /endpoints/<id>/captures/<captureId>, updated with replaceState so moving through captures
// does not fill the Back button's history; comparing is /endpoints/<id>/compare?a=&b=.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
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

  const select = useCallback(
    (id: string | null) => {
      window.history.replaceState(
        null,
        "",
        id ? `/endpoints/${endpointId}/captures/${encodeURIComponent(id)}` : `/endpoints/${endpointId}`,
      );
    },
    [endpointId],
  );

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
    select(at === -1 ? null : (neighbour?.id ?? null));
  };

  return { selectedId, comparing, select, onSelectedDeleted, markedIds, marked, toggleMark, clearMarks, openCompare, swapCompare };
}

export type TCaptureSelection = ReturnType<typeof useCaptureSelection>;
