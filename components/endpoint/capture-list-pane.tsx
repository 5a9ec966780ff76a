"use client";
// The dashboard's left pane (top, on narrow windows): the search box, the compare bar, "Follow
// newest" and desktop notifications, and the capture list. An endpoint with no captures keeps
// this pane short: the main pane shows how to send the first one.
import { useCallback, type RefObject } from "react";
import { CaptureList } from "@/components/capture/capture-list";
import { CompareBar } from "@/components/compare/compare-actions";
import { describeError } from "@/lib/browser/query/api";
import { buttonClass } from "@/components/ui/button-styles";
import { CaptureSearchBox } from "./capture-search-box";
import type { TArrivalAlerts } from "./use-arrival-alerts";
import type { TCaptureSelection } from "./use-capture-selection";
import type { TDashboardList } from "./use-dashboard-list";

/** Scrolled this far down, the list counts as being read (half a row). */
const SCROLLED_PX = 28;

export function CaptureListPane({
  list,
  selection,
  alerts,
  filterRef,
  onOpenCatalogue,
}: {
  list: TDashboardList;
  selection: TCaptureSelection;
  alerts: TArrivalAlerts;
  filterRef: RefObject<HTMLInputElement | null>;
  onOpenCatalogue: () => void;
}) {
  const { shown, searching, searchKey, parsed } = list;
  const { marked } = selection;
  const rows = shown.captures;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = shown;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const empty = !searching && shown.isSuccess && rows.length === 0 && !hasNextPage;
  return (
    <aside
      aria-label="Captures"
      className={`flex ${empty ? "h-auto" : "h-[42dvh]"} shrink-0 flex-col border-b border-zinc-200 md:h-auto md:w-[340px] md:border-r md:border-b-0 lg:w-[400px] dark:border-zinc-800`}
    >
      <CaptureSearchBox
        inputRef={filterRef}
        value={list.search}
        onChange={list.setSearch}
        terms={parsed.terms}
        error={parsed.error}
        count={searching && list.found.isSuccess ? { loaded: rows.length, more: Boolean(hasNextPage) } : null}
        rows={rows}
        onOpenCatalogue={onOpenCatalogue}
      />
      <CompareBar marked={marked} onCompare={() => selection.openCompare(marked[0]!.id, marked[1]!.id)} onClear={selection.clearMarks} />
      <FollowBar selection={selection} alerts={alerts} />
      <div
        className="min-h-0 flex-1"
        // Scrolled down, the user is reading: following waits until the list is back at its top.
        onScrollCapture={(e) => selection.setListScrolled((e.target as HTMLElement).scrollTop >= SCROLLED_PX)}
      >
        <CaptureList
          rows={rows}
          selectedId={selection.selectedId}
          following={selection.following}
          onSelect={selection.select}
          loading={shown.isPending}
          errorMessage={shown.isError ? `Could not ${searching ? "search" : "load"} captures: ${describeError(shown.error)}` : null}
          hasNextPage={hasNextPage}
          isFetchingNextPage={isFetchingNextPage}
          fetchNextPage={loadMore}
          search={searching ? searchKey : ""}
          // The main pane shows the capture URL and examples while the list is empty.
          captureUrl={null}
          markedIds={selection.markedIds}
          onToggleMark={selection.toggleMark}
        />
      </div>
    </aside>
  );
}

function FollowBar({ selection, alerts }: { selection: TCaptureSelection; alerts: TArrivalAlerts }) {
  return (
    // Not on a phone (the list keeps the screen; Back stops following, opening the newest resumes it).
    <div className="border-b border-zinc-200 px-3 py-1 text-xs max-sm:hidden dark:border-zinc-800">
      <div className="flex items-center justify-between gap-2">
        <label
          className="inline-flex cursor-pointer items-center gap-1.5 py-1 text-zinc-700 dark:text-zinc-300"
          title="Open each new capture as it arrives. Picking an older one turns this off."
        >
          <input
            type="checkbox"
            role="switch"
            checked={selection.following}
            onChange={(e) => selection.setFollow(e.target.checked)}
            data-testid="follow-newest"
            className="size-3.5 accent-indigo-600"
          />
          Follow newest
          {selection.followPaused && (
            <span data-testid="follow-paused" className="text-zinc-500 dark:text-zinc-400">
              · paused while scrolled
            </span>
          )}
        </label>
        <button
          type="button"
          aria-pressed={alerts.notify}
          onClick={() => void alerts.toggleNotify()}
          data-testid="notify-toggle"
          title="A desktop notification when captures arrive while this tab is in the background"
          className={buttonClass("ghost", "", "sm")}
        >
          {alerts.notify ? "Notifications on" : "Notify me"}
        </button>
      </div>
      {alerts.notifyProblem && (
        <p role="alert" className="pb-1 text-red-700 dark:text-red-400">
          {alerts.notifyProblem}
        </p>
      )}
    </div>
  );
}
