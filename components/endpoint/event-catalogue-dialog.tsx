"use client";
// The event catalogue: what this endpoint has been sent, by provider event type (count, first and
// last seen), and the captures without a type by method and path. "Show" filters the list by the
// type; "Newest" opens its most recent capture. Live while open.
import { MethodBadge } from "@/components/capture/method-badge";
import { EventTypeBadge } from "@/components/capture/event-type-badge";
import { buttonClass } from "@/components/ui/button-styles";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { useState } from "react";
import { EventSchemaPanel } from "./event-schema-panel";
import { RelativeTime } from "@/components/ui/relative-time";
import { describeError } from "@/lib/browser/query/api";
import { useEventCatalogue } from "@/lib/browser/query/use-event-catalogue";
import { EVENT_SOURCE_LABELS } from "@/lib/shared/events/event-type";
import { escapeHidden } from "@/lib/shared/format/invisible";
import { typeTerm } from "./capture-search-box";

const TH = "px-2 py-1.5 text-left text-xs font-medium whitespace-nowrap text-zinc-500 dark:text-zinc-400";
const TD = "px-2 py-1.5 align-middle";

export function EventCatalogueDialog({
  open,
  onClose,
  endpointId,
  onFilter,
  onOpenCapture,
}: {
  open: boolean;
  onClose: () => void;
  endpointId: string;
  /** Replaces the list's search with this query. */
  onFilter: (query: string) => void;
  onOpenCapture: (captureId: string) => void;
}) {
  const catalogue = useEventCatalogue(endpointId, { enabled: open });
  // The type whose schema and code show under the table; "" for every type at once.
  const [code, setCode] = useState<string | null>(null);
  const data = catalogue.data;
  const act = (f: () => void) => () => {
    f();
    onClose();
  };
  return (
    <ModalDialog open={open} onClose={onClose} title="Event types" size="wide" testId="event-catalogue">
      {catalogue.isPending ? (
        <p className="text-sm text-zinc-500" aria-busy="true">
          Loading…
        </p>
      ) : catalogue.isError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          Could not load the event types: {describeError(catalogue.error)}
        </p>
      ) : data && data.types.length === 0 && data.other.count === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-300">Nothing captured yet. Each provider event type shows here as it arrives.</p>
      ) : data ? (
        <div className="max-h-[65dvh] overflow-auto">
          {data.types.length > 0 ? (
            <table className="w-full text-sm" data-testid="event-catalogue-types">
              <thead>
                <tr className="border-b border-zinc-200 dark:border-zinc-700">
                  <th className={TH}>Event type</th>
                  <th className={`${TH} text-right`}>Captures</th>
                  <th className={TH}>First seen</th>
                  <th className={TH}>Last seen</th>
                  <th className={TH}>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.types.map((t) => (
                  <tr
                    key={`${t.type}\u0000${t.source}`}
                    data-testid="event-catalogue-type"
                    data-type={t.type}
                    className="border-b border-zinc-100 dark:border-zinc-800"
                  >
                    <td className={`${TD} w-full max-w-0`}>
                      <div className="flex min-w-0 items-center gap-1.5">
                        <EventTypeBadge type={t.type} source={t.source} testId="event-catalogue-name" />
                        {t.source && t.source !== "generic" && (
                          <span className="shrink-0 text-xs text-zinc-500 dark:text-zinc-400">{EVENT_SOURCE_LABELS[t.source]}</span>
                        )}
                      </div>
                    </td>
                    <td className={`${TD} text-right tabular-nums`} data-testid="event-catalogue-count">
                      {t.count.toLocaleString("en")}
                    </td>
                    <td className={`${TD} text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-300`}>
                      <RelativeTime iso={t.firstSeenAt} />
                    </td>
                    <td className={`${TD} text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-300`}>
                      <RelativeTime iso={t.lastSeenAt} />
                    </td>
                    <td className={`${TD} whitespace-nowrap`}>
                      <button
                        type="button"
                        className={buttonClass(code === t.type ? "secondary" : "ghost", "", "sm")}
                        onClick={() => setCode(code === t.type ? null : t.type)}
                        aria-expanded={code === t.type}
                        aria-label={`Schema and code of ${t.type}`}
                        data-testid="event-catalogue-schema"
                      >
                        Schema
                      </button>
                      <button
                        type="button"
                        className={buttonClass("ghost", "", "sm")}
                        onClick={act(() => onFilter(typeTerm(t.type)))}
                        aria-label={`Show the ${t.type} captures`}
                        data-testid="event-catalogue-show"
                      >
                        Show
                      </button>
                      <button
                        type="button"
                        className={buttonClass("ghost", "", "sm")}
                        onClick={act(() => onOpenCapture(t.sample.id))}
                        aria-label={`Open the newest ${t.type} capture (#${t.sample.seq})`}
                        data-testid="event-catalogue-newest"
                      >
                        Newest
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-300">No capture has a provider event type yet.</p>
          )}
          {data.types.length > 0 && (
            <div className="mt-2 flex items-center gap-2 text-xs text-zinc-500 dark:text-zinc-400">
              <span>Schemas are inferred from every capture of a type; types and zod are generated from them.</span>
              <button
                type="button"
                className={buttonClass(code === "" ? "secondary" : "ghost", "ml-auto", "sm")}
                onClick={() => setCode(code === "" ? null : "")}
                aria-expanded={code === ""}
                data-testid="event-catalogue-all-code"
              >
                Code for all types
              </button>
            </div>
          )}
          {code !== null && (
            <EventSchemaPanel
              key={code}
              endpointId={endpointId}
              type={code === "" ? null : code}
              fileBase={code === "" ? "events" : code.replace(/[^\w.-]+/g, "_")}
            />
          )}
          {data.other.count > 0 && (
            <section className="mt-5" aria-labelledby="event-catalogue-other-title" data-testid="event-catalogue-other">
              <h3 id="event-catalogue-other-title" className="mb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">
                Without an event type: {data.other.count.toLocaleString("en")} {data.other.count === 1 ? "capture" : "captures"}, by method
                and path
              </h3>
              <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800">
                {data.other.groups.map((g) => (
                  <li key={`${g.method} ${g.path}`} className="flex items-center gap-2 py-1" data-testid="event-catalogue-other-group">
                    <MethodBadge method={g.method} />
                    <span className="min-w-0 flex-1 truncate font-mono text-xs" title={escapeHidden(g.path || "/")}>
                      {escapeHidden(g.path || "/")}
                    </span>
                    <span className="text-xs tabular-nums text-zinc-600 dark:text-zinc-300">{g.count.toLocaleString("en")}</span>
                    <RelativeTime iso={g.lastSeenAt} className="w-20 text-right text-xs text-zinc-500 dark:text-zinc-400" />
                    <button
                      type="button"
                      className={buttonClass("ghost", "", "sm")}
                      onClick={act(() => onOpenCapture(g.sample.id))}
                      aria-label={`Open the newest ${g.method} ${g.path || "/"} capture (#${g.sample.seq})`}
                    >
                      Newest
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      ) : null}
    </ModalDialog>
  );
}
