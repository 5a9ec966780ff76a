"use client";
// Endpoint settings: one dialog, one tab per section. Each tab is its own component in
// ./settings/ and owns its form, saved through the one FormFooter. To add a section, write the
// tab component (props: SettingsTabProps) and add one entry to SETTINGS_TABS.
// The dialog has one size whatever the tab: the tab strip stays put (and scrolls sideways on a
// phone) and the tab's body scrolls inside.
// A tab mounts the first time it is shown and stays mounted while the dialog is open, so
// switching tabs keeps unsaved edits; closing the dialog drops them (each opening starts from
// what is saved).
import { useEffect, useRef, useState, type ComponentType, type KeyboardEvent } from "react";
import { ModalDialog } from "@/components/ui/modal-dialog";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { DangerZoneTab } from "./settings/danger-zone-tab";
import { ForwardingTab } from "./settings/forwarding-tab";
import { ResponseSettingsTab } from "./settings/response-settings-tab";
import { RetentionSettingsTab } from "./settings/retention-settings-tab";
import { RetriesSettingsTab } from "./settings/retries-settings-tab";
import type { SettingsTabProps } from "./settings/settings-tab";
import { ShareLinksTab } from "./settings/share-links-tab";
import { SigningSecretsTab } from "./settings/signing-secrets-tab";
import { UrlSettingsTab } from "./settings/url-settings-tab";

interface SettingsTabDef {
  /** Stable id: used in test ids (settings-tab-<id>) and by openers that jump to a tab. */
  id: string;
  label: string;
  Component: ComponentType<SettingsTabProps>;
}

export const SETTINGS_TABS = [
  { id: "response", label: "Response", Component: ResponseSettingsTab },
  { id: "url", label: "URL", Component: UrlSettingsTab },
  { id: "secrets", label: "Signing secrets", Component: SigningSecretsTab },
  { id: "forwarding", label: "Forwarding", Component: ForwardingTab },
  { id: "retries", label: "Retries", Component: RetriesSettingsTab },
  { id: "retention", label: "Retention", Component: RetentionSettingsTab },
  { id: "shares", label: "Share links", Component: ShareLinksTab },
  { id: "danger", label: "Danger zone", Component: DangerZoneTab },
] as const satisfies readonly SettingsTabDef[];

export type TSettingsTabId = (typeof SETTINGS_TABS)[number]["id"];

export function EndpointSettingsDialog({
  open,
  onClose,
  endpoint,
  initialTab = "response",
}: {
  open: boolean;
  onClose: () => void;
  endpoint: TEndpoint;
  initialTab?: TSettingsTabId;
}) {
  return (
    <ModalDialog open={open} onClose={onClose} title="Endpoint settings" size="xwide" testId="settings-dialog">
      {/* Mounted per opening, so every tab starts from the saved settings each time. */}
      {open && <SettingsTabs endpoint={endpoint} onDone={onClose} initialTab={initialTab} />}
    </ModalDialog>
  );
}

function SettingsTabs({ endpoint, onDone, initialTab }: SettingsTabProps & { initialTab: TSettingsTabId }) {
  const [active, setActive] = useState<TSettingsTabId>(initialTab);
  const [visited, setVisited] = useState<ReadonlySet<TSettingsTabId>>(() => new Set([initialTab]));
  const tabRefs = useRef(new Map<TSettingsTabId, HTMLButtonElement>());

  // On a phone the strip scrolls sideways: the chosen tab is never left half-hidden, and an edge
  // with more tabs beyond it fades out, so a cut label reads as "scroll" rather than as a bug.
  const stripRef = useRef<HTMLDivElement>(null);
  const [fade, setFade] = useState({ left: false, right: false });
  const measure = () => {
    const el = stripRef.current;
    if (!el) return;
    const left = el.scrollLeft > 1;
    const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
    setFade((f) => (f.left === left && f.right === right ? f : { left, right }));
  };
  useEffect(() => {
    tabRefs.current.get(active)?.scrollIntoView({ block: "nearest", inline: "nearest" });
    measure();
  }, [active]);
  useEffect(() => {
    const el = stripRef.current;
    if (!el) return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const mask = `linear-gradient(to right, ${fade.left ? "transparent, black 2rem" : "black"}, ${fade.right ? "black calc(100% - 2rem), transparent" : "black"})`;

  const show = (id: TSettingsTabId, focus = false) => {
    setActive(id);
    setVisited((v) => (v.has(id) ? v : new Set(v).add(id)));
    if (focus) tabRefs.current.get(id)?.focus();
  };

  // WAI-ARIA tabs: arrows move between tabs (and show them), Home/End jump to the ends.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = SETTINGS_TABS.findIndex((t) => t.id === active);
    const last = SETTINGS_TABS.length - 1;
    const to =
      e.key === "ArrowRight"
        ? at === last
          ? 0
          : at + 1
        : e.key === "ArrowLeft"
          ? at === 0
            ? last
            : at - 1
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? last
              : null;
    if (to === null) return;
    e.preventDefault();
    show(SETTINGS_TABS[to]!.id, true);
  };

  return (
    <div data-testid="settings-body" className="flex h-[min(38rem,calc(100dvh-8rem))] flex-col text-sm">
      <div
        ref={stripRef}
        role="tablist"
        aria-label="Settings sections"
        onKeyDown={onKeyDown}
        onScroll={measure}
        data-fade={fade.right ? "right" : fade.left ? "left" : "none"}
        style={{ maskImage: mask, WebkitMaskImage: mask }}
        className="-mx-5 -mt-2 flex shrink-0 [scrollbar-width:thin] gap-1 overflow-x-auto overscroll-x-contain border-b border-zinc-200 px-5 dark:border-zinc-800"
      >
        {SETTINGS_TABS.map((t) => {
          const selected = t.id === active;
          return (
            <button
              key={t.id}
              ref={(el) => {
                if (el) tabRefs.current.set(t.id, el);
                else tabRefs.current.delete(t.id);
              }}
              type="button"
              role="tab"
              id={`settings-tab-${t.id}`}
              data-testid={`settings-tab-${t.id}`}
              aria-selected={selected}
              aria-controls={`settings-panel-${t.id}`}
              tabIndex={selected ? 0 : -1}
              onClick={() => show(t.id)}
              className={`-mb-px shrink-0 border-b-2 px-2.5 py-2 font-medium whitespace-nowrap sm:px-3 ${
                selected
                  ? "border-indigo-500 text-zinc-900 dark:text-zinc-100"
                  : t.id === "danger"
                    ? "border-transparent text-red-600 hover:text-red-700 dark:text-red-400 dark:hover:text-red-300"
                    : "border-transparent text-zinc-500 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200"
              }`}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      <div className="-mx-5 min-h-0 flex-1 overflow-y-auto overscroll-contain px-5 pt-4">
        {SETTINGS_TABS.map(({ id, Component }) =>
          visited.has(id) ? (
            <div
              key={id}
              role="tabpanel"
              id={`settings-panel-${id}`}
              data-testid={`settings-panel-${id}`}
              aria-labelledby={`settings-tab-${id}`}
              hidden={id !== active}
            >
              <Component endpoint={endpoint} onDone={onDone} />
            </div>
          ) : null,
        )}
      </div>
    </div>
  );
}
