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
import { DeliveryList } from "@/components/delivery/delivery-list";
import { ResendButton } from "@/components/delivery/resend-button";
import { ShareLinkDialog } from "@/components/share/share-link-dialog";
import { SendTestEventButton } from "@/components/signature";
import { CaptureDetail } from "@/components/capture";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { copyText } from "@/components/ui/clipboard";
import { showToast } from "@/components/ui/toaster";
import { describeError } from "@/lib/browser/query/api";
import { useCaptureSearch } from "@/lib/browser/query/use-capture-search";
import { useCaptures, useForgetCapture } from "@/lib/browser/query/use-captures";
import { useDashboardAccess } from "@/lib/browser/query/use-dashboard-access";
import { useEndpoint } from "@/lib/browser/query/use-endpoints";
import { useLiveCaptures } from "@/lib/browser/query/use-live-captures";
import { captureFilterSearchParams } from "@/lib/shared/search/params";
import { formatSearchQuery, parseSearchQuery, SearchQueryError, type TSearchTerm } from "@/lib/shared/search/query";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { AppHeader } from "@/components/ui/app-header";
import { CaptureList } from "@/components/capture/capture-list";
import { CaptureSearchBox } from "./capture-search-box";
import { ClearCapturesDialog } from "./clear-captures-dialog";
import { DashboardLinkDialog } from "./dashboard-link-dialog";
import { EndpointNameEditor } from "./endpoint-name-editor";
import { EndpointSettingsDialog, type TSettingsTabId } from "./endpoint-settings-dialog";
import { ExportMenu } from "./export-menu";
import { LiveIndicator } from "@/components/ui/live-indicator";
import { ShortcutsDialog } from "./shortcuts-dialog";
import { escapeHidden } from "@/lib/shared/format/invisible";

type TDialog = "settings" | "clear" | "shortcuts" | "share" | "share-link";

/** Pause after the last keystroke before a search goes to the server. */
const SEARCH_DEBOUNCE_MS = 250;

function parseSearch(text: string): { terms: TSearchTerm[]; error: string | null } {
  try {
    return { terms: parseSearchQuery(text), error: null };
  } catch (e) {
    if (e instanceof SearchQueryError) return { terms: [], error: e.message };
    throw e;
  }
}

/** `value` once it has stopped changing for `ms`; an emptied value at once (Escape, last chip removed). */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return value.trim() === "" ? "" : settled;
}

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
  const [search, setSearch] = useState("");
  const searchText = useDebounced(search, SEARCH_DEBOUNCE_MS);
  const parsed = useMemo(() => parseSearch(searchText), [searchText]);
  const searchKey = formatSearchQuery(parsed.terms);
  const searching = parsed.terms.length > 0;
  const found = useCaptureSearch(endpointId, searchKey, parsed.terms);
  // What the list shows: every capture, or the server's matches for the search.
  const shown = searching ? found : list;
  const [dialog, setDialog] = useState<TDialog | null>(null);
  const [settingsTab, setSettingsTab] = useState<TSettingsTabId>("response");
  /** Opens the settings dialog on one tab (e.g. "secrets" from a capture's "Add a signing secret"). */
  const openSettings = useCallback((tab: TSettingsTabId = "response") => {
    setSettingsTab(tab);
    setDialog("settings");
  }, []);
  const filterRef = useRef<HTMLInputElement>(null);

  const all = list.captures;
  const rows = shown.captures;

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

  const { hasNextPage, isFetchingNextPage, fetchNextPage } = shown;
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
      <title>{`${escapeHidden(endpoint.name)} · Hookscope`}</title>
      <AppHeader>
        <span aria-hidden="true" className="text-zinc-300 dark:text-zinc-700">
          /
        </span>
        <EndpointNameEditor endpointId={endpointId} name={endpoint.name} />
        <LiveIndicator status={liveStatus} />
      </AppHeader>

      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        {/* basis-96: below ~1100 px the actions wrap to their own row instead of sliding over the URL
            (with a zero basis both fit "on paper" and the URL's shrink-0 parts overflowed under them). */}
        <div data-testid="capture-url-bar" className="flex min-w-0 flex-1 basis-96 items-center gap-2">
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
        <div data-testid="endpoint-actions" className="flex flex-wrap items-center gap-1">
          <SendTestEventButton endpoint={endpoint} onCaptured={select} className="mr-1" />
          <ExportMenu
            endpointId={endpointId}
            query={searching ? captureFilterSearchParams(searchKey).toString() : ""}
            filterLabel={searching ? searchKey : null}
          />
          <button type="button" className={buttonClass("ghost")} onClick={() => setDialog("share-link")} data-testid="open-share-link">
            Share read-only link
          </button>
          <button
            type="button"
            className={buttonClass("ghost")}
            onClick={() => setDialog("share")}
            title="The capture URL, and a dashboard link that carries the management key (full access)"
          >
            Dashboard link
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

      <main className="flex min-h-0 flex-1 flex-col md:flex-row">
        <aside
          aria-label="Captures"
          className="flex h-[42dvh] shrink-0 flex-col border-b border-zinc-200 md:h-auto md:w-[340px] md:border-r md:border-b-0 lg:w-[400px] dark:border-zinc-800"
        >
          <CaptureSearchBox
            inputRef={filterRef}
            value={search}
            onChange={setSearch}
            terms={parsed.terms}
            error={parsed.error}
            count={searching && found.isSuccess ? { loaded: rows.length, more: Boolean(hasNextPage) } : null}
          />
          <CompareBar marked={marked} onCompare={() => openCompare(marked[0]!.id, marked[1]!.id)} onClear={() => setMarkedIds([])} />
          <div className="min-h-0 flex-1">
            <CaptureList
              rows={rows}
              selectedId={selectedId}
              onSelect={select}
              loading={shown.isPending}
              errorMessage={shown.isError ? `Could not ${searching ? "search" : "load"} captures: ${describeError(shown.error)}` : null}
              hasNextPage={hasNextPage}
              isFetchingNextPage={isFetchingNextPage}
              fetchNextPage={loadMore}
              search={searching ? searchKey : ""}
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
            <CaptureDetail
              key={selectedId}
              captureId={selectedId}
              endpoint={endpoint}
              onDelete={onDeleted}
              onAddSecret={() => openSettings("secrets")}
              actions={
                <>
                  <CompareActions
                    endpointId={endpointId}
                    captureId={selectedId}
                    marked={markedIds.includes(selectedId)}
                    onToggleMark={toggleMark}
                    onCompare={openCompare}
                  />
                  <ResendButton captureId={selectedId} />
                  <button
                    type="button"
                    className={buttonClass("secondary", "", "sm")}
                    onClick={() => setDialog("share-link")}
                    data-testid="share-capture"
                  >
                    Share read-only link
                  </button>
                </>
              }
            >
              <DeliveryList captureId={selectedId} />
            </CaptureDetail>
          ) : (
            <NoSelection hasCaptures={all.length > 0} />
          )}
        </section>
      </main>

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
      <ShareLinkDialog
        open={dialog === "share-link"}
        onClose={() => setDialog(null)}
        endpointId={endpointId}
        capture={selectedId ? { id: selectedId, seq: all.find((c) => c.id === selectedId)?.seq ?? null } : null}
      />
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
