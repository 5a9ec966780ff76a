"use client";
// The dashboard's dialogs, at most one open at a time, and the state that says which; and,
// right after Create, the bar with the new management key (it blocks nothing, so it is not a dialog).
import { useCallback, useState } from "react";
import { ReplayDialog } from "@/components/replay/replay-dialog";
import { ShareLinkDialog } from "@/components/share/share-link-dialog";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { ClearCapturesDialog } from "./clear-captures-dialog";
import { DashboardLinkDialog } from "./dashboard-link-dialog";
import { EventCatalogueDialog } from "./event-catalogue-dialog";
import { EndpointSettingsDialog, type TSettingsTabId } from "./endpoint-settings-dialog";
import { KeyCreatedPanel } from "./management-key";
import { ShortcutsDialog } from "./shortcuts-dialog";

export type TDashboardDialog = "settings" | "clear" | "shortcuts" | "share" | "share-link" | "events" | "replay";

export function useEndpointDialogs() {
  const [dialog, setDialog] = useState<TDashboardDialog | null>(null);
  const [settingsTab, setSettingsTab] = useState<TSettingsTabId>("response");
  /** Opens the settings dialog on one tab (e.g. "secrets" from a capture's "Add a signing secret"). */
  const openSettings = useCallback((tab: TSettingsTabId = "response") => {
    setSettingsTab(tab);
    setDialog("settings");
  }, []);
  const openShortcuts = useCallback(() => setDialog("shortcuts"), []);
  const close = useCallback(() => setDialog(null), []);
  return { dialog, settingsTab, open: setDialog, openSettings, openShortcuts, close };
}

export function EndpointDialogs({
  dialogs,
  endpoint,
  loadedCount,
  shareCapture,
  onCleared,
  onFilter,
  onOpenCapture,
  search,
  markedIds,
}: {
  dialogs: ReturnType<typeof useEndpointDialogs>;
  endpoint: TEndpoint;
  /** Captures loaded in the list: the clear dialog's count when it is above the endpoint's. */
  loadedCount: number;
  /** The capture a share link would share, or null for the whole endpoint. */
  shareCapture: { id: string; seq: number | null } | null;
  onCleared: () => void;
  /** The event catalogue's "Show": the list's search becomes this query. */
  onFilter: (query: string) => void;
  onOpenCapture: (captureId: string) => void;
  /** The list's search (canonical text) or null: a new replay run starts from it. */
  search: string | null;
  /** Captures marked in the list: a replay run can send exactly those. */
  markedIds: string[];
}) {
  const { dialog, close } = dialogs;
  return (
    <>
      <EndpointSettingsDialog open={dialog === "settings"} onClose={close} endpoint={endpoint} initialTab={dialogs.settingsTab} />
      <ClearCapturesDialog
        open={dialog === "clear"}
        onClose={close}
        onCleared={onCleared}
        endpointId={endpoint.id}
        endpointName={endpoint.name}
        count={Math.max(loadedCount, endpoint.captureCount)}
      />
      <ShortcutsDialog open={dialog === "shortcuts"} onClose={close} />
      <DashboardLinkDialog open={dialog === "share"} onClose={close} endpoint={endpoint} />
      <ShareLinkDialog open={dialog === "share-link"} onClose={close} endpointId={endpoint.id} capture={shareCapture} />
      <EventCatalogueDialog
        open={dialog === "events"}
        onClose={close}
        endpointId={endpoint.id}
        onFilter={onFilter}
        onOpenCapture={onOpenCapture}
      />
      <ReplayDialog open={dialog === "replay"} onClose={close} endpoint={endpoint} search={search} markedIds={markedIds} />
      <KeyCreatedPanel endpoint={endpoint} />
    </>
  );
}
