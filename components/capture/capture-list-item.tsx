"use client";

import { memo } from "react";
import { SignatureBadge } from "@/components/signature";
import { EscapedText } from "@/components/capture/escaped-text";
import { EventTypeBadge } from "@/components/capture/event-type-badge";
import { MethodBadge } from "@/components/capture/method-badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { deliveryGap, ordinal } from "@/lib/shared/events/event-key";
import { headerDisplayValue } from "@/lib/shared/format/header";
import { escapeHidden } from "@/lib/shared/format/invisible";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import { formatBytes } from "@/lib/shared/format/bytes";
import { pathWithQuery, shortContentType } from "./capture-format";

/** Fixed row height: the virtualizer positions rows by arithmetic instead of measuring them. */
export const CAPTURE_ROW_HEIGHT = 56;

/** One row of the capture list. Everything shown is captured text, rendered as text. */
export const CaptureListItem = memo(function CaptureListItem({
  capture,
  selected,
  fresh,
  onSelect,
  marked = false,
  onToggleMark,
  showSignature = true,
}: {
  capture: TCaptureSummary;
  selected: boolean;
  /** Arrived live a moment ago: flashes once. */
  fresh: boolean;
  onSelect: (id: string) => void;
  /** Ticked for compare (shift-click or the checkbox toggles it). */
  marked?: boolean;
  onToggleMark?: (id: string) => void;
  /** False in a share link's view: verdicts are not part of a share, and fetching one needs the key. */
  showSignature?: boolean;
}) {
  const type = shortContentType(capture.contentType);
  // A GET and other requests without a body say so once, rather than "no body type 0 B".
  const noBody = capture.size === 0 && !capture.oversize && type === null;
  // Paths arrive as node's latin1 reading of the bytes: show the UTF-8 reading, hidden characters as escapes.
  const target = headerDisplayValue(pathWithQuery(capture));
  // Secondary text: zinc-500 is 4.3:1 on the selected row's indigo-50, so one step darker there.
  const dim = selected ? "text-zinc-600" : "text-zinc-500";
  return (
    <div
      role="option"
      id={`capture-${capture.id}`}
      aria-selected={selected}
      data-testid="capture-row"
      data-seq={capture.seq}
      data-capture-id={capture.id}
      onClick={(e) => {
        if (e.shiftKey && onToggleMark) onToggleMark(capture.id);
        else onSelect(capture.id);
      }}
      style={{ height: CAPTURE_ROW_HEIGHT }}
      className={`group flex cursor-pointer flex-col justify-center gap-1 border-b border-l-2 border-b-zinc-100 px-3 select-none dark:border-b-zinc-900 ${
        selected
          ? "border-l-indigo-500 bg-indigo-50 dark:bg-indigo-950/40"
          : "border-l-transparent hover:bg-zinc-50 dark:hover:bg-zinc-900/60"
      } ${fresh ? "hs-arrived" : ""}`}
    >
      <div className="flex min-w-0 items-center gap-2">
        {onToggleMark && (
          // A drawn tick, not an <input>: an option may hold no control (axe nested-interactive), so
          // screen readers hear the row as one option and its "Ticked for compare." text; keyboard
          // users tick with "x". The mouse clicks this box (or shift-clicks the row).
          <span
            aria-hidden="true"
            title="Tick two captures to compare them (or shift-click a row)"
            data-testid="compare-checkbox"
            data-checked={marked}
            onClick={(e) => {
              e.stopPropagation();
              onToggleMark(capture.id);
            }}
            className={`flex size-3.5 shrink-0 items-center justify-center rounded-sm border text-[10px] leading-none ${
              marked
                ? "border-indigo-600 bg-indigo-600 text-white"
                : "border-zinc-400 opacity-40 group-hover:opacity-100 dark:border-zinc-500"
            }`}
          >
            {marked ? "✓" : ""}
          </span>
        )}
        <MethodBadge method={capture.method} />
        {/* The provider's event type is the headline; the path follows, dimmed beside it. */}
        {marked && <span className="sr-only">Ticked for compare.</span>}
        {/* The type keeps its width (up to most of the row); the path gives way first. */}
        <EventTypeBadge type={capture.eventType} source={capture.eventSource} className="max-w-[70%] shrink-0" />
        {target === "" ? (
          // The capture URL itself (no sub-path): "/" dimmed, as the compare view shows it.
          <span className={`font-mono text-[13px] ${dim} dark:text-zinc-400`} title="The capture URL itself (no sub-path)">
            /
          </span>
        ) : (
          <span
            className={`min-w-0 truncate font-mono text-[13px] ${capture.eventType ? `${dim} dark:text-zinc-400` : ""}`}
            title={escapeHidden(target)}
          >
            <EscapedText text={target} />
          </span>
        )}
        {/* The list carries the verdict when already judged; live rows fetch theirs in a shared batch. */}
        {showSignature && (
          <SignatureBadge endpointId={capture.endpointId} captureId={capture.id} verdict={capture.signature} className="ml-auto" />
        )}
      </div>
      <div className={`flex min-w-0 items-center gap-2 text-xs ${dim} dark:text-zinc-400`}>
        <span className="shrink-0 tabular-nums">#{capture.seq}</span>
        {/* A retry or redelivery of an event seen before (same event key): the row says which one. */}
        {capture.eventKey && (capture.deliveryNumber ?? 0) > 1 && (
          <span
            data-testid="row-delivery"
            title={`${ordinal(capture.deliveryNumber!)} delivery of ${escapeHidden(capture.eventKey)}${
              capture.firstDeliveryAt ? `, ${deliveryGap(capture.firstDeliveryAt, capture.receivedAt)} after the first` : ""
            }`}
            className="shrink-0 rounded bg-amber-100 px-1 text-[11px] font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-300"
          >
            {ordinal(capture.deliveryNumber!)} delivery
          </span>
        )}
        {capture.drift && capture.drift.length > 0 && (
          <span
            data-testid="row-drift"
            title={`Differs from the inferred schema: ${capture.drift.map((d) => `${d.path || "(body)"} ${d.kind === "added" ? "new" : d.kind === "removed" ? "missing" : "type changed"}`).join(", ")}`}
            className="shrink-0 rounded bg-violet-100 px-1 text-[11px] font-medium text-violet-800 dark:bg-violet-950 dark:text-violet-300"
          >
            drift
          </span>
        )}
        {capture.oversize && (
          <span className="shrink-0 rounded bg-red-100 px-1 text-[11px] font-medium text-red-700 dark:bg-red-950 dark:text-red-300">
            413 too large
          </span>
        )}
        {noBody ? (
          <span className="shrink-0" data-testid="row-no-body">
            no body
          </span>
        ) : (
          <>
            {type && (
              <span className="min-w-0 truncate">
                <EscapedText text={type} />
              </span>
            )}
            {capture.contentEncoding && (
              <span
                data-testid="row-encoding"
                title={`The body is compressed (Content-Encoding: ${capture.contentEncoding}); the detail can decode it`}
                className="shrink-0 rounded bg-amber-100 px-1 font-mono text-[11px] text-amber-900 dark:bg-amber-950 dark:text-amber-200"
              >
                {capture.contentEncoding}
              </span>
            )}
            <span className="shrink-0 tabular-nums">{formatBytes(capture.size)}</span>
          </>
        )}
        <RelativeTime iso={capture.receivedAt} className="ml-auto shrink-0 tabular-nums" />
      </div>
    </div>
  );
});
