"use client";
// The live dashboard of one endpoint: header (name, live status), the toolbar (capture URL,
// actions), the capture list on the left (above, on narrow windows) and the selected capture on
// the right. What it shows comes from hooks beside it: use-dashboard-list (captures, live, search),
// use-capture-selection (the URL's selection and compare marks), use-dashboard-keyboard.
import { useRef } from "react";
import { AppHeader } from "@/components/ui/app-header";
import { buttonClass } from "@/components/ui/button-styles";
import { LiveIndicator } from "@/components/ui/live-indicator";
import { PageMessage } from "@/components/ui/page-message";
import { describeError } from "@/lib/browser/query/api";
import { useDashboardAccess } from "@/lib/browser/query/use-dashboard-access";
import { useEndpoint } from "@/lib/browser/query/use-endpoints";
import { escapeHidden } from "@/lib/shared/format/invisible";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { CaptureDetailPane } from "./capture-detail-pane";
import { CaptureListPane } from "./capture-list-pane";
import { EndpointDialogs, useEndpointDialogs } from "./endpoint-dialogs";
import { EndpointNameEditor } from "./endpoint-name-editor";
import { EndpointToolbar } from "./endpoint-toolbar";
import { useArrivalAlerts } from "./use-arrival-alerts";
import { useCaptureSelection } from "./use-capture-selection";
import { useDashboardKeyboard } from "./use-dashboard-keyboard";
import { useDashboardList } from "./use-dashboard-list";

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

function Dashboard({ endpoint }: { endpoint: TEndpoint }) {
  const endpointId = endpoint.id;
  const list = useDashboardList(endpointId);
  const { all, shown } = list;
  const selection = useCaptureSelection(endpointId, shown.captures, all);
  const { selectedId, select } = selection;
  const alerts = useArrivalAlerts(endpointId, endpoint.name);
  const dialogs = useEndpointDialogs();
  // A phone shows one pane: the capture (or compare) when one is open, the empty endpoint's URL and
  // examples while there are no captures, else the list.
  const phoneView = selectedId || selection.comparing || (all.length === 0 && !list.searching) ? "detail" : "list";
  const filterRef = useRef<HTMLInputElement>(null);
  useDashboardKeyboard({
    endpointId,
    captureUrl: endpoint.captureUrl,
    rows: shown.captures,
    hasNextPage: shown.hasNextPage,
    isFetchingNextPage: shown.isFetchingNextPage,
    fetchNextPage: shown.fetchNextPage,
    select,
    toggleMark: selection.toggleMark,
    filterRef,
    setSearch: list.setSearch,
    openShortcuts: dialogs.openShortcuts,
  });

  return (
    <div className="flex h-dvh flex-col">
      <title>{`${alerts.unseen > 0 ? `(${alerts.unseen}) ` : ""}${escapeHidden(endpoint.name)} · Hookscope`}</title>
      <AppHeader>
        <span aria-hidden="true" className="text-zinc-300 max-sm:hidden dark:text-zinc-700">
          /
        </span>
        <EndpointNameEditor endpointId={endpointId} name={endpoint.name} />
        <LiveIndicator live={list.live} />
      </AppHeader>
      <EndpointToolbar
        endpoint={endpoint}
        filter={list.searching ? list.searchKey : null}
        onTestCaptured={select}
        onOpen={dialogs.open}
        onOpenSettings={() => dialogs.openSettings()}
      />
      {/* A phone (below sm) shows the list or the detail, full screen, never both: the detail with a
          Back control to the list. Wider windows show both (stacked below md, side by side above). */}
      <main
        data-phone-view={phoneView}
        className="flex min-h-0 flex-1 flex-col md:flex-row max-sm:[&>aside]:h-auto max-sm:[&>aside]:flex-1 max-sm:[&>aside]:border-b-0 max-sm:data-[phone-view=detail]:[&>aside]:hidden max-sm:data-[phone-view=list]:[&>[data-pane=detail]]:hidden"
      >
        {selectedId && !selection.comparing && (
          <div className="shrink-0 border-b border-zinc-200 px-2 py-1 sm:hidden dark:border-zinc-800">
            <button type="button" className={buttonClass("ghost", "", "sm")} onClick={() => select(null)} data-testid="phone-back">
              <span aria-hidden="true">←</span> All captures
            </button>
          </div>
        )}
        <CaptureListPane
          list={list}
          selection={selection}
          alerts={alerts}
          filterRef={filterRef}
          onOpenCatalogue={() => dialogs.open("events")}
        />
        <CaptureDetailPane
          endpoint={endpoint}
          selection={selection}
          hasCaptures={all.length > 0}
          live={list.live}
          onTestCaptured={select}
          onAddSecret={() => dialogs.openSettings("secrets")}
          onShare={() => dialogs.open("share-link")}
        />
      </main>
      <EndpointDialogs
        dialogs={dialogs}
        endpoint={endpoint}
        loadedCount={all.length}
        shareCapture={selectedId ? { id: selectedId, seq: all.find((c) => c.id === selectedId)?.seq ?? null } : null}
        onCleared={selection.reset}
        onFilter={list.setSearch}
        onOpenCapture={select}
        search={list.searching ? list.searchKey : null}
        markedIds={selection.markedIds}
      />
    </div>
  );
}

function FullPageMessage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <PageMessage title={title} messageTestId="dashboard-error">
      {children}
    </PageMessage>
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
