"use client";
// The capture list: newest first, virtualized (only the rows in view are in the DOM, so tens of
// thousands scroll smoothly), older pages loaded as the end comes into view. When the user has
// scrolled down and captures arrive on top, the rows in view stay put and an "N new" pill offers
// the way back up.
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { justArrived } from "@/lib/browser/query/live-arrivals";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import { curlExample } from "./capture-format";
import { CAPTURE_ROW_HEIGHT as ROW, CaptureListItem } from "./capture-list-item";

/** Start loading the next page when this many rows (or fewer) remain below the view. */
const PREFETCH_ROWS = 40;

export function CaptureList({
  rows,
  selectedId,
  onSelect,
  loading,
  errorMessage,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  search,
  captureUrl,
  markedIds = [],
  onToggleMark,
  signatures = true,
  following = false,
}: {
  rows: TCaptureSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  loading: boolean;
  errorMessage: string | null;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  /** The active search (the server filters every page), or "" for all captures. */
  search: string;
  /** For the empty list's "send one" example; null where the viewer must not learn it (share links). */
  captureUrl: string | null;
  /** Captures ticked for compare. */
  markedIds?: string[];
  onToggleMark?: (id: string) => void;
  /** Signature badges on rows; false for share links (no verdicts, no keyed requests). */
  signatures?: boolean;
  /**
   * The selection follows the newest arrival. It is then only scrolled to when it is the top row:
   * under a burst the selection trails the rows (a URL change renders after the cache write), and
   * revealing a capture that is already ten rows down would scroll the list away from its top,
   * which pauses following and turns every later arrival into "N new".
   */
  following?: boolean;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowsRef = useRef(rows);
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  // null while at the top; otherwise the newest seq the user had seen when they scrolled away.
  const [away, setAway] = useState<{ seenTop: number } | null>(null);

  // The React Compiler is not enabled here, and the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW,
    getItemKey: (i) => rows[i]?.id ?? "more",
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1]!.index : -1;

  // Infinite scroll (a search pages through the server's matches the same way).
  useEffect(() => {
    if (!hasNextPage || isFetchingNextPage) return;
    if (lastIndex >= rows.length - PREFETCH_ROWS) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, lastIndex, rows.length, fetchNextPage]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const top = el.scrollTop;
    const idx = Math.floor(top / ROW);
    const r = rowsRef.current[idx];
    anchor.current = r ? { id: r.id, offset: top - idx * ROW } : null;
    const atTop = top < ROW / 2;
    setAway((prev) => (atTop ? null : (prev ?? { seenTop: rowsRef.current[0]?.seq ?? 0 })));
  }, []);

  // Rows inserted above the view push it down; move the scroll position by as much so the rows the
  // user is reading stay where they are. At the top, new rows simply appear.
  useLayoutEffect(() => {
    rowsRef.current = rows;
    const el = scrollRef.current;
    const a = anchor.current;
    if (!el || !a || el.scrollTop < ROW / 2) return;
    const idx = rows.findIndex((r) => r.id === a.id);
    if (idx < 0) return;
    const want = idx * ROW + a.offset;
    if (Math.abs(el.scrollTop - want) > 1) el.scrollTop = want;
  }, [rows]);

  // Bring the selection into view once (keyboard moves, permalinks), not on every live update.
  const scrolledFor = useRef<string | null>(null);
  useEffect(() => {
    if (!selectedId || scrolledFor.current === selectedId) return;
    const idx = rows.findIndex((r) => r.id === selectedId);
    if (idx < 0) return;
    scrolledFor.current = selectedId;
    if (following && idx > 0) return;
    virtualizer.scrollToIndex(idx, { align: "auto" });
  }, [selectedId, rows, virtualizer, following]);

  let newCount = 0;
  if (away) while (newCount < rows.length && rows[newCount]!.seq > away.seenTop) newCount++;

  if (loading) return <ListSkeleton />;
  if (errorMessage) {
    return (
      <p role="alert" className="p-4 text-sm text-red-600 dark:text-red-400">
        {errorMessage}
      </p>
    );
  }
  if (rows.length === 0 && !hasNextPage) {
    return search ? (
      <p data-testid="search-empty" className="p-4 text-sm text-zinc-500">
        No capture matches “{search}”. New ones that do appear here as they arrive.
      </p>
    ) : captureUrl === null ? (
      <p className="p-6 text-center text-sm text-zinc-500">No captures yet. New ones appear here live.</p>
    ) : (
      <EmptyState captureUrl={captureUrl} />
    );
  }

  return (
    <div className="flex h-full min-h-0 flex-col">
      {/* Scrolled away from the top: a bar above the rows (never over one) leads back to the newest. */}
      {away && (
        <button
          type="button"
          data-testid={newCount > 0 ? "new-captures-pill" : "back-to-newest"}
          onClick={() => scrollRef.current?.scrollTo({ top: 0 })}
          className={`shrink-0 border-b px-3 py-1 text-xs font-medium ${
            newCount > 0
              ? "border-indigo-700 bg-indigo-600 text-white hover:bg-indigo-500"
              : "border-zinc-200 bg-zinc-50 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800"
          }`}
        >
          {newCount > 0 ? `↑ ${newCount.toLocaleString("en")} new` : "↑ Back to newest"}
        </button>
      )}
      <div
        ref={scrollRef}
        onScroll={onScroll}
        data-testid="capture-list"
        className="min-h-0 flex-1 overflow-y-auto overscroll-contain"
        style={{ contain: "strict" }}
      >
        <div
          role="listbox"
          // Focusable, so keyboard users reach the list with Tab; j/k and the arrows then move the
          // selection (the dashboard's key handler) and aria-activedescendant names it.
          tabIndex={0}
          aria-label="Captures, newest first"
          aria-activedescendant={selectedId ? `capture-${selectedId}` : undefined}
          className="outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-inset"
          style={{ height: virtualizer.getTotalSize(), position: "relative" }}
        >
          {items.map((v) => {
            const c = rows[v.index];
            return (
              <div key={v.key} style={{ position: "absolute", top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)` }}>
                {c ? (
                  <CaptureListItem
                    capture={c}
                    selected={c.id === selectedId}
                    fresh={justArrived(c.id)}
                    onSelect={onSelect}
                    marked={markedIds.includes(c.id)}
                    onToggleMark={onToggleMark}
                    showSignature={signatures}
                  />
                ) : (
                  <MoreRow fetching={isFetchingNextPage} />
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function MoreRow({ fetching }: { fetching: boolean }) {
  return (
    <div style={{ height: ROW }} className="flex items-center justify-center text-xs text-zinc-500">
      {fetching ? <span className="animate-pulse">Loading older captures…</span> : <span>Scroll for older captures</span>}
    </div>
  );
}

function ListSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading captures" data-testid="capture-list-loading">
      {Array.from({ length: 8 }, (_, i) => (
        <div
          key={i}
          style={{ height: ROW }}
          className="flex flex-col justify-center gap-2 border-b border-zinc-100 px-3 dark:border-zinc-900"
        >
          <div className="flex items-center gap-2">
            <div className="h-4 w-12 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3.5 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" style={{ width: `${40 + ((i * 17) % 45)}%` }} />
          </div>
          <div className="h-3 w-2/3 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
        </div>
      ))}
    </div>
  );
}

function EmptyState({ captureUrl }: { captureUrl: string }) {
  const curl = curlExample(captureUrl);
  return (
    <div data-testid="capture-list-empty" className="p-5 text-sm">
      <p className="font-medium">Waiting for the first request…</p>
      <p className="mt-1 text-zinc-500 dark:text-zinc-400">
        Point a webhook at the capture URL, or send a test request from a terminal. It shows up here the moment it arrives.
      </p>
      <pre className="mt-3 overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-xs whitespace-pre-wrap break-all dark:bg-zinc-900">
        {curl}
      </pre>
      <ClipboardButton text={curl} label="Copy curl command" copiedMessage="Copied curl command" className="mt-2" testId="copy-curl" />
    </div>
  );
}
