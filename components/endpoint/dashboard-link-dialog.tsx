"use client";
// Sharing full access: a dashboard link that carries the management key in its #fragment, and
// the key itself. Asked of the server when the dialog opens (it reads this browser's key cookie),
// so it works in every tab that has the endpoint open, not only the one that created it.
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { describeError } from "@/lib/browser/query/api";
import { useDashboardLink } from "@/lib/browser/query/use-endpoints";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { KEY_EXPLAINED, KeyActions } from "./management-key";

export function DashboardLinkDialog({ open, onClose, endpoint }: { open: boolean; onClose: () => void; endpoint: TEndpoint }) {
  const link = useDashboardLink(endpoint.id, open);
  return (
    <ModalDialog open={open} onClose={onClose} title="Share this endpoint" testId="share-dialog">
      <div className="space-y-5 text-sm">
        <div>
          <p className="font-medium">Capture URL (public)</p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">Anyone can send requests to it; it does not let them read anything.</p>
          <code className="mt-2 block rounded bg-zinc-100 p-2 font-mono text-xs break-all dark:bg-zinc-800">{endpoint.captureUrl}</code>
        </div>
        {link.isPending ? (
          <p className="text-zinc-500" aria-busy="true">
            Loading the dashboard link…
          </p>
        ) : link.isError ? (
          <p role="alert" data-testid="dashboard-link-error" className="text-red-600 dark:text-red-400">
            Could not get the dashboard link: {describeError(link.error)}
          </p>
        ) : (
          <>
            <div>
              <p className="font-medium">Dashboard link (full access)</p>
              <p className="mt-1 text-zinc-600 dark:text-zinc-400">
                Whoever opens it can read, delete and change everything on this endpoint, like you. Share it only with teammates.
              </p>
              <ClipboardButton
                text={link.data.url}
                label="Copy dashboard link (full access)"
                copiedMessage="Copied dashboard link (full access)"
                className="mt-2"
                testId="copy-dashboard-link"
              />
            </div>
            <div>
              <p className="font-medium">Management key</p>
              <p className="mt-1 mb-2 text-zinc-600 dark:text-zinc-400">{KEY_EXPLAINED}</p>
              <KeyActions endpoint={endpoint} managementKey={link.data.managementKey} />
            </div>
          </>
        )}
      </div>
    </ModalDialog>
  );
}
