"use client";
// "3rd delivery of evt_123 · 4 min after the first": a capture that shares its event key with
// earlier ones (lib/shared/events/event-key.ts) is a provider's retry or redelivery. The sentence
// shows wherever the detail does; with the deliveries list (the dashboard's GET /api/captures/:id)
// and the callbacks, it also links every delivery and opens the compare view on this one and the
// one before it. Renders nothing for a capture that is the only delivery of its key, or has none.
import { buttonClass } from "@/components/ui/button-styles";
import { deliveryGap, ordinal } from "@/lib/shared/events/event-key";
import type { TCaptureView } from "@/lib/shared/validation/captures";
import { EscapedText } from "./escaped-text";

export function EventDeliveries({
  capture,
  onOpen,
  onCompare,
}: {
  capture: Pick<TCaptureView, "id" | "eventKey" | "deliveryNumber" | "firstDeliveryAt" | "receivedAt" | "deliveries">;
  /** Select another capture (a delivery link). */
  onOpen?: (captureId: string) => void;
  /** Open the compare view on two captures (older first). */
  onCompare?: (aId: string, bId: string) => void;
}) {
  const n = capture.deliveryNumber ?? null;
  const deliveries = capture.deliveries ?? [];
  const total = deliveries.length;
  if (!capture.eventKey || n === null || (n <= 1 && total <= 1)) return null;
  const index = deliveries.findIndex((d) => d.id === capture.id);
  const previous = index > 0 ? deliveries[index - 1]! : null;
  // The list holds the newest deliveries: number them from this capture's own number.
  const base = index >= 0 ? n - index : 1;
  return (
    <div
      data-testid="event-deliveries"
      className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm dark:border-amber-900 dark:bg-amber-950/40"
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <p className="min-w-0" data-testid="event-delivery-summary">
          <span className="font-medium">{n === 1 ? "1st delivery" : `${ordinal(n)} delivery`}</span> of{" "}
          <code className="font-mono text-[13px] break-all" title="Event key: the same on every delivery of this event">
            <EscapedText text={capture.eventKey} />
          </code>
          {n > 1 && capture.firstDeliveryAt && (
            <span className="text-zinc-600 dark:text-zinc-400">
              {" "}
              · {deliveryGap(capture.firstDeliveryAt, capture.receivedAt)} after the first
            </span>
          )}
          {n === 1 && total > 1 && <span className="text-zinc-600 dark:text-zinc-400"> · delivered {total} times</span>}
        </p>
        {previous && onCompare && (
          <button
            type="button"
            className={buttonClass("secondary", "ml-auto", "sm")}
            onClick={() => onCompare(previous.id, capture.id)}
            data-testid="compare-previous-delivery"
            title={`Compare #${previous.seq} (the delivery before this one) with this one`}
          >
            Compare with previous delivery
          </button>
        )}
      </div>
      {total > 1 && onOpen && (
        <ol className="mt-1.5 flex flex-wrap gap-1.5 text-xs" aria-label="Deliveries of this event" data-testid="event-delivery-links">
          {deliveries.map((d, i) => {
            const current = d.id === capture.id;
            const failed = d.responseStatus >= 400;
            return (
              <li key={d.id}>
                <button
                  type="button"
                  disabled={current}
                  aria-current={current ? "true" : undefined}
                  onClick={() => onOpen(d.id)}
                  data-testid="event-delivery-link"
                  title={`${ordinal(base + i)} delivery, #${d.seq}, answered ${d.responseStatus}`}
                  className={`rounded border px-1.5 py-0.5 tabular-nums ${
                    current
                      ? "border-amber-500 bg-white font-medium dark:bg-zinc-900"
                      : "border-amber-300 hover:bg-white dark:border-amber-800 dark:hover:bg-zinc-900"
                  }`}
                >
                  {ordinal(base + i)} · #{d.seq} ·{" "}
                  <span className={failed ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}>
                    {d.responseStatus}
                  </span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </div>
  );
}
