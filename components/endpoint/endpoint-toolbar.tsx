"use client";
// The bar under the header: the capture URL with a copy button, and the endpoint's actions.
import { SendTestEventButton } from "@/components/signature";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { captureFilterSearchParams } from "@/lib/shared/search/params";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import type { TDashboardDialog } from "./endpoint-dialogs";
import { ExportMenu } from "./export-menu";

export function EndpointToolbar({
  endpoint,
  filter,
  onTestCaptured,
  onOpen,
  onOpenSettings,
}: {
  endpoint: TEndpoint;
  /** The active search (canonical text), which the export then applies; null when not searching. */
  filter: string | null;
  /** A test event sent to this endpoint was captured: its id. */
  onTestCaptured: (captureId: string) => void;
  onOpen: (dialog: TDashboardDialog) => void;
  onOpenSettings: () => void;
}) {
  return (
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
        <SendTestEventButton endpoint={endpoint} onCaptured={onTestCaptured} className="mr-1" />
        <ExportMenu
          endpointId={endpoint.id}
          query={filter !== null ? captureFilterSearchParams(filter).toString() : ""}
          filterLabel={filter}
        />
        <button type="button" className={buttonClass("ghost")} onClick={() => onOpen("share-link")} data-testid="open-share-link">
          Share read-only link
        </button>
        <button
          type="button"
          className={buttonClass("ghost")}
          onClick={() => onOpen("share")}
          title="The capture URL, and a dashboard link that carries the management key (full access)"
        >
          Dashboard link
        </button>
        <button type="button" className={buttonClass("ghost")} onClick={() => onOpenSettings()} data-testid="open-settings">
          Settings
        </button>
        <button type="button" className={buttonClass("ghost")} onClick={() => onOpen("clear")} data-testid="open-clear">
          Clear
        </button>
        <button
          type="button"
          className={buttonClass("ghost", "font-mono")}
          onClick={() => onOpen("shortcuts")}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
        >
          ?
        </button>
      </div>
    </div>
  );
}
