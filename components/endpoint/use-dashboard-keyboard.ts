"use client";
// The dashboard's shortcuts: j/k and arrows move the selection, / focuses the search (Escape
// there clears it), x marks for compare, c copies the capture URL, ? opens the shortcuts list.
// shortcuts-dialog.tsx lists them for people; keep the two together.
import { useEffect, type RefObject } from "react";
import { copyText } from "@/components/ui/clipboard";
import { showToast } from "@/components/ui/toaster";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import { selectedFromPath } from "./use-capture-selection";

interface DashboardKeys {
  endpointId: string;
  captureUrl: string;
  /** What the list shows, in order. */
  rows: TCaptureSummary[];
  /** The list's paging: moving past the last row loads the next page. */
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
  select: (id: string | null) => void;
  toggleMark: (id: string) => void;
  filterRef: RefObject<HTMLInputElement | null>;
  setSearch: (text: string) => void;
  openShortcuts: () => void;
}

export function useDashboardKeyboard({
  endpointId,
  captureUrl,
  rows,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  select,
  toggleMark,
  filterRef,
  setSearch,
  openShortcuts,
}: DashboardKeys) {
  useEffect(() => {
    const move = (delta: 1 | -1) => {
      if (!rows.length) return;
      // Read the selection from the URL, not this render's closure: a second key pressed before
      // React re-renders must move on from the first one's result.
      const current = selectedFromPath(window.location.pathname, endpointId);
      const at = current ? rows.findIndex((c) => c.id === current) : -1;
      const next = at === -1 ? 0 : Math.min(rows.length - 1, Math.max(0, at + delta));
      if (at === rows.length - 1 && delta === 1 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
      select(rows[next]!.id);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector("dialog[open]")) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      if (target?.closest("input, textarea, select, [contenteditable='true']")) {
        if (e.key === "Escape" && target === filterRef.current) {
          setSearch("");
          target.blur();
        }
        return;
      }
      // Arrows inside the detail pane scroll it, as they would anywhere else.
      const inDetail = Boolean(target?.closest("[data-pane='detail']"));
      switch (e.key) {
        case "j":
          move(1);
          break;
        case "k":
          move(-1);
          break;
        case "ArrowDown":
          if (inDetail) return;
          move(1);
          break;
        case "ArrowUp":
          if (inDetail) return;
          move(-1);
          break;
        case "/":
          filterRef.current?.focus();
          filterRef.current?.select();
          break;
        case "x": {
          const current = selectedFromPath(window.location.pathname, endpointId);
          if (!current) return;
          toggleMark(current);
          break;
        }
        case "c":
          void copyText(captureUrl).then((ok) =>
            showToast(ok ? "Copied capture URL" : "Could not copy; select the URL and copy it by hand.", ok ? "info" : "error"),
          );
          break;
        case "?":
          openShortcuts();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [
    rows,
    endpointId,
    select,
    captureUrl,
    hasNextPage,
    isFetchingNextPage,
    fetchNextPage,
    toggleMark,
    filterRef,
    setSearch,
    openShortcuts,
  ]);
}
