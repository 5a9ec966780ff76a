"use client";
// The bar under the header: the capture URL with a copy button, and the endpoint's actions. On a
// phone (below `sm`) the actions fold into one "⋯" menu and the URL elides its host, never the
// slug, so the bar stays one line.
import { useCallback, useRef, useState } from "react";
import { SendTestEventButton, SendTestEventDialog } from "@/components/signature";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { UrlText } from "@/components/ui/url-text";
import { useDismiss } from "@/components/ui/use-dismiss";
import { EXPORT_FORMAT_INFO } from "@/lib/shared/export/formats";
import { captureFilterSearchParams } from "@/lib/shared/search/params";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import type { TDashboardDialog } from "./endpoint-dialogs";
import { ExportMenu, exportHref } from "./export-menu";

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
  const exportQuery = filter !== null ? captureFilterSearchParams(filter).toString() : "";
  return (
    <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-3 py-1.5 sm:px-4 sm:py-2 dark:border-zinc-800">
      {/* basis-96: below ~1100 px the actions wrap to their own row instead of sliding over the URL
          (with a zero basis both fit "on paper" and the URL's shrink-0 parts overflowed under them).
          On a phone the menu button shares the line instead (basis 0). */}
      <div data-testid="capture-url-bar" className="flex min-w-0 flex-1 items-center gap-2 max-sm:basis-0 sm:basis-96">
        <span className="shrink-0 text-xs font-medium text-zinc-600 uppercase max-sm:sr-only dark:text-zinc-400">Capture URL</span>
        <UrlText
          url={endpoint.captureUrl}
          testId="capture-url"
          className="rounded bg-zinc-100 px-2 py-1 text-[13px] select-all dark:bg-zinc-900"
        />
        <ClipboardButton
          text={endpoint.captureUrl}
          copiedMessage="Copied capture URL"
          testId="copy-capture-url"
          className="shrink-0"
          size="sm"
        />
      </div>
      <div data-testid="endpoint-actions" className="flex flex-wrap items-center gap-1 max-sm:hidden">
        <SendTestEventButton endpoint={endpoint} onCaptured={onTestCaptured} className="mr-1" />
        <ExportMenu endpointId={endpoint.id} query={exportQuery} filterLabel={filter} />
        <button
          type="button"
          className={buttonClass("ghost")}
          onClick={() => onOpen("replay")}
          data-testid="open-replay"
          title="Send a set of captures (the search, marked rows or an event type) to a target and check the answers"
        >
          Replay…
        </button>
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
      <PhoneActionsMenu
        endpoint={endpoint}
        exportQuery={exportQuery}
        onTestCaptured={onTestCaptured}
        onOpen={onOpen}
        onOpenSettings={onOpenSettings}
      />
    </div>
  );
}

const MENU_ITEM =
  "block w-full rounded px-3 py-2 text-left text-sm hover:bg-zinc-100 focus-visible:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800";

/** Phone only: every endpoint action in one "⋯" menu (the same actions the wide toolbar shows). */
function PhoneActionsMenu({
  endpoint,
  exportQuery,
  onTestCaptured,
  onOpen,
  onOpenSettings,
}: {
  endpoint: TEndpoint;
  exportQuery: string;
  onTestCaptured: (captureId: string) => void;
  onOpen: (dialog: TDashboardDialog) => void;
  onOpenSettings: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [testOpen, setTestOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);
  const item = (label: string, testId: string, run: () => void, extra = "") => (
    <button
      type="button"
      role="menuitem"
      data-testid={testId}
      className={`${MENU_ITEM} ${extra}`}
      onClick={() => {
        setOpen(false);
        run();
      }}
    >
      {label}
    </button>
  );
  return (
    <div ref={ref} className="relative shrink-0 sm:hidden">
      <button
        type="button"
        className={buttonClass("secondary", "text-base leading-none", "sm")}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label="Endpoint actions"
        data-testid="endpoint-actions-menu"
        onClick={() => setOpen((o) => !o)}
      >
        ⋯
      </button>
      {open && (
        <div
          role="menu"
          aria-label="Endpoint actions"
          className="absolute right-0 z-30 mt-1 max-h-[70dvh] w-64 overflow-y-auto rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {item("Send test event…", "menu-send-test", () => setTestOpen(true))}
          {item("Replay…", "menu-replay", () => onOpen("replay"))}
          {item("Share read-only link…", "menu-share-link", () => onOpen("share-link"))}
          {item("Dashboard link…", "menu-dashboard-link", () => onOpen("share"))}
          {item("Event types…", "menu-event-types", () => onOpen("events"))}
          {item("Settings…", "menu-settings", onOpenSettings)}
          {item("Clear captures…", "menu-clear", () => onOpen("clear"), "text-red-700 dark:text-red-400")}
          <p className="mt-1 border-t border-zinc-200 px-3 pt-2 pb-1 text-xs font-medium text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            {exportQuery ? "Export matching captures" : "Export every capture"}
          </p>
          {EXPORT_FORMAT_INFO.map((f) => (
            <a
              key={f.id}
              role="menuitem"
              href={exportHref(endpoint.id, f.id, exportQuery)}
              download
              data-testid={`menu-export-${f.id}`}
              onClick={() => setOpen(false)}
              className={MENU_ITEM}
            >
              {f.label}
            </a>
          ))}
        </div>
      )}
      {/* Mounted only when asked for: the wide toolbar's own button holds the desktop one. */}
      {testOpen && (
        <SendTestEventDialog
          endpoint={endpoint}
          open
          onClose={() => setTestOpen(false)}
          onCaptured={(id) => {
            setTestOpen(false);
            onTestCaptured(id);
          }}
        />
      )}
    </div>
  );
}
