"use client";
// The dashboard's left pane (top, on narrow windows): the search box, the compare bar and the
// capture list.
import { useCallback, type RefObject } from "react";
import { CaptureList } from "@/components/capture/capture-list";
import { CompareBar } from "@/components/compare/compare-actions";
import { describeError } from "@/lib/browser/query/api";
import { CaptureSearchBox } from "./capture-search-box";
import type { TCaptureSelection } from "./use-capture-selection";
import type { TDashboardList } from "./use-dashboard-list";

export function CaptureListPane({
  list,
  selection,
  filterRef,
  captureUrl,
}: {
  list: TDashboardList;
  selection: TCaptureSelection;
  filterRef: RefObject<HTMLInputElement | null>;
  captureUrl: string;
}) {
  const { shown, searching, searchKey, parsed } = list;
  const { marked } = selection;
  const rows = shown.captures;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = shown;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  return (
    <aside
      aria-label="Captures"
      className="flex h-[42dvh] shrink-0 flex-col border-b border-zinc-200 md:h-auto md:w-[340px] md:border-r md:border-b-0 lg:w-[400px] dark:border-zinc-800"
    >
      <CaptureSearchBox
        inputRef={filterRef}
        value={list.search}
        onChange={list.setSearch}
        terms={parsed.terms}
        error={parsed.error}
        count={searching && list.found.isSuccess ? { loaded: rows.length, more: Boolean(hasNextPage) } : null}
        rows={rows}
      />
      <CompareBar marked={marked} onCompare={() => selection.openCompare(marked[0]!.id, marked[1]!.id)} onClear={selection.clearMarks} />
      <div className="min-h-0 flex-1">
        <CaptureList
          rows={rows}
          selectedId={selection.selectedId}
          onSelect={selection.select}
          loading={shown.isPending}
          errorMessage={shown.isError ? `Could not ${searching ? "search" : "load"} captures: ${describeError(shown.error)}` : null}
          hasNextPage={hasNextPage}
          isFetchingNextPage={isFetchingNextPage}
          fetchNextPage={loadMore}
          search={searching ? searchKey : ""}
          captureUrl={captureUrl}
          markedIds={selection.markedIds}
          onToggleMark={selection.toggleMark}
        />
      </div>
    </aside>
  );
}
