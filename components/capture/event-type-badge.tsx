// The provider's event type ("payment_intent.succeeded", "push") as a small label, for list rows
// and the detail's request line; renders nothing when the capture has none. The text is captured
// data (lib/shared/events/event-type.ts takes it from the body or a header) and is rendered as text,
// its hidden characters as escapes: types with them are no longer taken, but rows stored before
// (by the app, or by the 2026-12-06 migration) may still hold one.
import { EscapedText } from "@/components/capture/escaped-text";
import { EVENT_SOURCE_LABELS, type TEventSource } from "@/lib/shared/events/event-type";
import { escapeHidden } from "@/lib/shared/format/invisible";

export function EventTypeBadge({
  type,
  source,
  className = "",
  testId = "event-type",
}: {
  type: string | null | undefined;
  source: TEventSource | null | undefined;
  className?: string;
  testId?: string;
}) {
  if (!type) return null;
  const from = source && source !== "generic" ? `${EVENT_SOURCE_LABELS[source]} event` : "Event type (from the body's type field)";
  return (
    <span
      data-testid={testId}
      data-event-source={source ?? undefined}
      title={`${from}: ${escapeHidden(type)}`}
      className={`inline-block max-w-full min-w-0 truncate rounded bg-indigo-50 px-1.5 py-0.5 font-mono text-[12px] leading-4 font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200 ${className}`}
    >
      <EscapedText text={type} />
    </span>
  );
}
