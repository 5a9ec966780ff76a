"use client";
// A small verdict pill for a capture list row. Pass the row's `signature` summary when the list
// carried one; rows without it (live rows, big bodies) fetch theirs in a shared batch.
import type { TSignatureSummary } from "@/lib/shared/validation/signatures";
import { useSignatureSummary } from "@/lib/browser/query/signature-verdicts";
import { badgeView, TONE_CLASSES } from "./signature-view";

export interface SignatureBadgeProps {
  endpointId: string;
  captureId: string;
  /** TCaptureSummary.signature, when present. */
  verdict?: TSignatureSummary;
  className?: string;
}

export function SignatureBadge({ endpointId, captureId, verdict, className = "" }: SignatureBadgeProps) {
  const fetched = useSignatureSummary(endpointId, captureId, verdict);
  const summary = verdict ?? fetched.data ?? null;
  if (!summary) {
    return fetched.isPending && verdict === undefined ? (
      <span aria-hidden className={`inline-block h-4 w-10 animate-pulse rounded bg-zinc-100 dark:bg-zinc-800 ${className}`} />
    ) : null;
  }
  const view = badgeView(summary);
  if (!view) return null;
  return (
    <span
      title={view.title}
      data-signature-status={summary.status}
      className={`inline-flex shrink-0 items-center whitespace-nowrap rounded border px-1.5 py-px text-[11px] font-medium leading-4 ${TONE_CLASSES[view.tone]} ${className}`}
    >
      {view.text}
    </span>
  );
}
