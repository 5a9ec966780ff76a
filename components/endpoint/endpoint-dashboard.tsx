"use client";
// The live dashboard of one endpoint: header (name, capture URL, live status, actions), the
// capture list on the left (above, on narrow windows) and the selected capture on the right.
// The selection is the URL: /endpoints/<id>/captures/<captureId>, updated with replaceState so
// moving through captures does not fill the Back button's history.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CompareActions, CompareBar } from "@/components/compare/compare-actions";
import { CompareView } from "@/components/compare/compare-view";
import { SendTestEventButton } from "@/components/signature";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { copyText } from "@/components/ui/clipboard";
import { showToast } from "@/components/ui/toaster";
import { describeError } from "@/lib/query/api";
import { useCaptures, useForgetCapture } from "@/lib/query/use-captures";
import { useDashboardAccess } from "@/lib/query/use-dashboard-access";
import { useEndpoint } from "@/lib/query/use-endpoints";
import { useLiveCaptures } from "@/lib/query/use-live-captures";
import type { TEndpoint } from "@/lib/validation/endpoints";
import { AppHeader } from "./app-header";
import { matchesFilter } from "./capture-format";
import { CaptureList } from "./capture-list";
import { ClearCapturesDialog } from "./clear-captures-dialog";
import { DashboardLinkDialog } from "./dashboard-link-dialog";
import { CaptureDetail } from "./detail-placeholder";
import { EndpointNameEditor } from "./endpoint-name-editor";
import { EndpointSettingsDialog, type TSettingsTabId } from "./endpoint-settings-dialog";
import { ExportMenu } from "./export-menu";
import { LiveIndicator } from "./live-indicator";
import { ShortcutsDialog } from "./shortcuts-dialog";

type TDialog = "settings" | "clear" | "shortcuts" | "share";

/** The capture id in /endpoints/<id>/captures/<captureId>, or null. */
export function selectedFromPath(pathname: string, endpointId: string): string | null {
  const prefix = `/endpoints/${endpointId}/captures/`;
  if (!pathname.startsWith(prefix)) return null;
  const rest = pathname.slice(prefix.length).split("/")[0];
  return rest ? decodeURIComponent(rest) : null;
}

export function EndpointDashboard({ endpointId }: { endpointId: string }) {
  const access = useDashboardAccess(endpointId);
  const endpoint = useEndpoint(endpointId, { enabled: access.state === "ready" });

  if (access.state === "error") return <FullPageMessage title="This link did not work">{access.message}</FullPageMessage>;
  if (endpoint.isError) {
    return <FullPageMessage title="Endpoint not available">{describeError(endpoint.error, "endpoint")}</FullPageMessage>;
  }
  if (!endpoint.data) return <DashboardSkeleton />;
  return <Dashboard endpoint={endpoint.data} />;
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

function Dashboard({ endpoint }: { endpoint: TEndpoint }) {
  const endpointId = endpoint.id;
  const list = useCaptures(endpointId);
  const liveStatus = useLiveCaptures(endpointId, { enabled: list.isSuccess });
  const forget = useForgetCapture(endpointId);
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const router = useRouter();
  const selectedId = selectedFromPath(pathname, endpointId);
  const comparing = compareFromUrl(pathname, searchParams, endpointId);
  const [markedIds, setMarkedIds] = useState<string[]>([]);
  const [filter, setFilter] = useState("");
  const [dialog, setDialog] = useState<TDialog | null>(null);
  const [settingsTab, setSettingsTab] = useState<TSettingsTabId>("response");
  /** Opens the settings dialog on one tab (e.g. "secrets" from a capture's "Add a signing secret"). */
  const openSettings = useCallback((tab: TSettingsTabId = "response") => {
    setSettingsTab(tab);
    setDialog("settings");
  }, []);
  const filterRef = useRef<HTMLInputElement>(null);

  const all = list.captures;
  const rows = useMemo(() => (filter.trim() ? all.filter((c) => matchesFilter(c, filter)) : all), [all, filter]);

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
  const marked = useMemo(
    () =>
      markedIds
        .map((id) => all.find((c) => c.id === id))
        .filter((c) => c !== undefined)
        .sort((x, y) => x.seq - y.seq),
    [markedIds, all],
  );
  const openCompare = useCallback(
    (a: string, b: string) => {
      const q = new URLSearchParams({ a, b });
      router.push(`/endpoints/${endpointId}/compare?${q}`);
    },
    [router, endpointId],
  );
  const selectedSummary = selectedId ? all.find((c) => c.id === selectedId) : undefined;

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  // Keyboard: j/k and arrows move the selection, / filters, c copies the capture URL, ? helps.
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
          setFilter("");
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
          void copyText(endpoint.captureUrl).then((ok) =>
            showToast(ok ? "Copied capture URL" : "Could not copy; select the URL and copy it by hand.", ok ? "info" : "error"),
          );
          break;
        case "?":
          setDialog("shortcuts");
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [rows, endpointId, select, endpoint.captureUrl, hasNextPage, isFetchingNextPage, fetchNextPage, toggleMark]);

  const onDeleted = () => {
    if (!selectedId) return;
    const at = rows.findIndex((c) => c.id === selectedId);
    const neighbour = rows[at + 1] ?? rows[at - 1] ?? null;
    forget(selectedId);
    select(at === -1 ? null : (neighbour?.id ?? null));
  };

  return (
    <div className="flex h-dvh flex-col">
      <title>{`${endpoint.name} · Hookscope`}</title>
      <AppHeader>
        <span aria-hidden="true" className="text-zinc-300 dark:text-zinc-700">
          /
        </span>
        <EndpointNameEditor endpointId={endpointId} name={endpoint.name} />
        <LiveIndicator status={liveStatus} />
      </AppHeader>

      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <div className="flex min-w-0 flex-1 items-center gap-2">
          <span className="shrink-0 text-xs font-medium text-zinc-500 uppercase">Capture URL</span>
          <code
            data-testid="capture-url"
            className="min-w-0 truncate rounded bg-zinc-100 px-2 py-1 font-mono text-[13px] select-all dark:bg-zinc-900"
            title={endpoint.captureUrl}
          >
            {endpoint.captureUrl}
          </code>
          <ClipboardButton
            text={endpoint.captureUrl}
            copiedMessage="Copied capture URL"
            testId="copy-capture-url"
            className="shrink-0"
            size="sm"
          />
        </div>
        <div className="flex shrink-0 items-center gap-1">
          <SendTestEventButton endpoint={endpoint} onCaptured={select} className="mr-1" />
          <ExportMenu endpointId={endpointId} />
          <button type="button" className={buttonClass("ghost")} onClick={() => setDialog("share")}>
            Share
          </button>
          <button type="button" className={buttonClass("ghost")} onClick={() => openSettings()} data-testid="open-settings">
            Settings
          </button>
          <button type="button" className={buttonClass("ghost")} onClick={() => setDialog("clear")} data-testid="open-clear">
            Clear
          </button>
          <button
            type="button"
            className={buttonClass("ghost", "font-mono")}
            onClick={() => setDialog("shortcuts")}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
          >
            ?
          </button>
        </div>
      </div>

      <div className="flex min-h-0 flex-1 flex-col md:flex-row">
        <aside
          aria-label="Captures"
          className="flex h-[42dvh] shrink-0 flex-col border-b border-zinc-200 md:h-auto md:w-[340px] md:border-r md:border-b-0 lg:w-[400px] dark:border-zinc-800"
        >
          <div className="flex items-center gap-2 border-b border-zinc-200 p-2 dark:border-zinc-800">
            <div className="relative min-w-0 flex-1">
              <input
                ref={filterRef}
                type="search"
                data-testid="capture-filter"
                aria-label="Filter loaded captures by method, path, query or content type"
                placeholder="Filter by method, path, type"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
                className="w-full rounded-md border border-zinc-200 bg-white py-1 pr-7 pl-2 text-sm placeholder:text-zinc-400 dark:border-zinc-700 dark:bg-zinc-900"
              />
              {!filter && (
                <kbd
                  aria-hidden="true"
                  className="pointer-events-none absolute top-1/2 right-2 -translate-y-1/2 rounded border border-zinc-300 px-1 font-mono text-[11px] leading-4 text-zinc-400 dark:border-zinc-700"
                >
                  /
                </kbd>
              )}
            </div>
            {filter.trim() && (
              <span className="shrink-0 text-xs text-zinc-500 tabular-nums">
                {rows.length.toLocaleString("en")} / {all.length.toLocaleString("en")}
              </span>
            )}
          </div>
          <CompareBar marked={marked} onCompare={() => openCompare(marked[0]!.id, marked[1]!.id)} onClear={() => setMarkedIds([])} />
          <div className="min-h-0 flex-1">
            <CaptureList
              rows={rows}
              selectedId={selectedId}
              onSelect={select}
              loading={list.isPending}
              errorMessage={list.isError ? `Could not load captures: ${describeError(list.error)}` : null}
              hasNextPage={hasNextPage}
              isFetchingNextPage={isFetchingNextPage}
              fetchNextPage={loadMore}
              filter={filter}
              captureUrl={endpoint.captureUrl}
              markedIds={markedIds}
              onToggleMark={toggleMark}
            />
          </div>
        </aside>

        <section data-pane="detail" aria-label="Selected capture" className="min-h-0 min-w-0 flex-1 overflow-auto">
          {comparing ? (
            <CompareView
              aId={comparing.a}
              bId={comparing.b}
              onClose={() => (comparing.b ? select(comparing.b) : select(null))}
              onSwap={() =>
                comparing.a &&
                comparing.b &&
                router.replace(`/endpoints/${endpointId}/compare?${new URLSearchParams({ a: comparing.b, b: comparing.a })}`)
              }
              onOpen={select}
            />
          ) : selectedId ? (
            <>
              {selectedSummary && (
                <div className="flex flex-wrap items-center justify-end gap-1 border-b border-zinc-200 px-3 py-1 dark:border-zinc-800">
                  <CompareActions
                    endpointId={endpointId}
                    capture={selectedSummary}
                    marked={markedIds.includes(selectedSummary.id)}
                    onToggleMark={toggleMark}
                    onCompare={openCompare}
                  />
                </div>
              )}
              <CaptureDetail key={selectedId} captureId={selectedId} endpoint={endpoint} onDelete={onDeleted} />
            </>
          ) : (
            <NoSelection hasCaptures={all.length > 0} />
          )}
        </section>
      </div>

      <EndpointSettingsDialog open={dialog === "settings"} onClose={() => setDialog(null)} endpoint={endpoint} initialTab={settingsTab} />
      <ClearCapturesDialog
        open={dialog === "clear"}
        onClose={() => setDialog(null)}
        onCleared={() => select(null)}
        endpointId={endpointId}
        endpointName={endpoint.name}
        count={Math.max(all.length, endpoint.captureCount)}
      />
      <ShortcutsDialog open={dialog === "shortcuts"} onClose={() => setDialog(null)} />
      <DashboardLinkDialog open={dialog === "share"} onClose={() => setDialog(null)} endpoint={endpoint} />
    </div>
  );
}

function NoSelection({ hasCaptures }: { hasCaptures: boolean }) {
  return (
    <div className="grid h-full place-items-center p-8 text-center text-sm text-zinc-500">
      <div>
        <p>{hasCaptures ? "Select a capture to see its headers and body." : "Requests you send to the capture URL appear on the left."}</p>
        <p className="mt-2 text-xs">
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">j</kbd> /{" "}
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">k</kbd> to move,{" "}
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">?</kbd> for all shortcuts
        </p>
      </div>
    </div>
  );
}

function FullPageMessage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col">
      <title>{`${title} · Hookscope`}</title>
      <AppHeader />
      <main className="mx-auto max-w-lg px-4 py-16">
        <h1 className="text-xl font-semibold">{title}</h1>
        <p role="alert" data-testid="dashboard-error" className="mt-3 text-zinc-600 dark:text-zinc-400">
          {children}
        </p>
        <Link href="/" className={buttonClass("secondary", "mt-6")}>
          Back to your endpoints
        </Link>
      </main>
    </div>
  );
}

function DashboardSkeleton() {
  return (
    <div className="flex h-dvh flex-col" aria-busy="true" aria-label="Loading endpoint">
      <title>Hookscope</title>
      <AppHeader>
        <div className="h-5 w-40 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      </AppHeader>
      <div className="border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <div className="h-7 w-96 max-w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
      </div>
    </div>
  );
}
