"use client";
// Sharing full access: a dashboard link that carries the management key in its #fragment.
import { useSyncExternalStore } from "react";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { dashboardLink, recallManagementKey } from "@/lib/browser/query/management-key";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";

const noSubscribe = () => () => {};

export function DashboardLinkDialog({ open, onClose, endpoint }: { open: boolean; onClose: () => void; endpoint: TEndpoint }) {
  const key = useSyncExternalStore(
    noSubscribe,
    () => recallManagementKey(endpoint.id),
    () => null,
  );
  const link = key ? dashboardLink(endpoint.dashboardUrl, key) : null;
  return (
    <ModalDialog open={open} onClose={onClose} title="Share this endpoint" testId="share-dialog">
      <div className="space-y-4 text-sm">
        <div>
          <p className="font-medium">Capture URL (public)</p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">Anyone can send requests to it; it does not let them read anything.</p>
          <code className="mt-2 block rounded bg-zinc-100 p-2 font-mono text-xs break-all dark:bg-zinc-800">{endpoint.captureUrl}</code>
        </div>
        <div>
          <p className="font-medium">Dashboard link (full access)</p>
          {link ? (
            <>
              <p className="mt-1 text-zinc-600 dark:text-zinc-400">
                Whoever opens it can read, delete and change everything on this endpoint, like you. Share it only with teammates.
              </p>
              <ClipboardButton
                text={link}
                label="Copy dashboard link (full access)"
                copiedMessage="Copied dashboard link (full access)"
                className="mt-2"
                testId="copy-dashboard-link"
              />
            </>
          ) : (
            <p data-testid="dashboard-link-unavailable" className="mt-1 text-zinc-600 dark:text-zinc-400">
              Not available in this tab. The management key is only known to the tab that created this endpoint (or opened a dashboard link
              to it); this browser keeps access through a cookie that scripts cannot read. Copy the link from that tab, or use the key you
              saved from the API.
            </p>
          )}
        </div>
      </div>
    </ModalDialog>
  );
}
