"use client";
// Endpoint settings: one dialog, one tab per section. Each tab is its own component in
// ./settings/ and owns its form and save button. To add a section, write the tab component
// (props: SettingsTabProps) and add one entry to SETTINGS_TABS.
// A tab mounts the first time it is shown and stays mounted while the dialog is open, so
// switching tabs keeps unsaved edits; closing the dialog drops them (each opening starts from
// what is saved).
import { useRef, useState, type ComponentType, type KeyboardEvent } from "react";
import { ModalDialog } from "@/components/ui/modal-dialog";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { ForwardingTab } from "./settings/forwarding-tab";
import { ResponseSettingsTab } from "./settings/response-settings-tab";
import { RetentionSettingsTab } from "./settings/retention-settings-tab";
import type { SettingsTabProps } from "./settings/settings-tab";
import { ShareLinksTab } from "./settings/share-links-tab";
import { SigningSecretsTab } from "./settings/signing-secrets-tab";

interface SettingsTabDef {
  /** Stable id: used in test ids (settings-tab-<id>) and by openers that jump to a tab. */
  id: string;
  label: string;
  Component: ComponentType<SettingsTabProps>;
}

export const SETTINGS_TABS = [
  { id: "response", label: "Response", Component: ResponseSettingsTab },
  { id: "secrets", label: "Signing secrets", Component: SigningSecretsTab },
  { id: "forwarding", label: "Forwarding", Component: ForwardingTab },
  { id: "retention", label: "Retention", Component: RetentionSettingsTab },
  { id: "shares", label: "Share links", Component: ShareLinksTab },
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
    <ModalDialog open={open} onClose={onClose} title="Endpoint settings" wide testId="settings-dialog">
      {/* Mounted per opening, so every tab starts from the saved settings each time. */}
      {open && <SettingsTabs endpoint={endpoint} onDone={onClose} initialTab={initialTab} />}
    </ModalDialog>
  );
}

function SettingsTabs({ endpoint, onDone, initialTab }: SettingsTabProps & { initialTab: TSettingsTabId }) {
  const [active, setActive] = useState<TSettingsTabId>(initialTab);
  const [visited, setVisited] = useState<ReadonlySet<TSettingsTabId>>(() => new Set([initialTab]));
  const tabRefs = useRef(new Map<TSettingsTabId, HTMLButtonElement>());

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
    <div className="text-sm">
      <div
        role="tablist"
        aria-label="Settings sections"
        onKeyDown={onKeyDown}
        className="-mx-5 -mt-2 mb-4 flex gap-1 overflow-x-auto border-b border-zinc-200 px-5 dark:border-zinc-800"
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
              className={`-mb-px shrink-0 border-b-2 px-3 py-2 font-medium whitespace-nowrap ${
                selected
                  ? "border-indigo-500 text-zinc-900 dark:text-zinc-100"
                  : "border-transparent text-zinc-500 hover:text-zinc-800 dark:hover:text-zinc-200"
              }`}
            >
              {t.label}
            </button>
          );
        })}
      </div>
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
  );
}
