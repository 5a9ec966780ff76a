"use client";
// Compare actions for the selected capture: "Compare with previous" (the previous capture on the
// same path) and marking it for a compare picked by hand.
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { showToast } from "@/components/ui/toaster";
import { describeError } from "@/lib/browser/query/api";
import { fetchPreviousOnPath } from "@/lib/browser/query/previous-capture";
import { useCapture } from "@/lib/browser/query/use-capture";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";

export function CompareActions({
  endpointId,
  captureId,
  marked,
  onToggleMark,
  onCompare,
}: {
  endpointId: string;
  captureId: string;
  marked: boolean;
  onToggleMark: (id: string) => void;
  onCompare: (aId: string, bId: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  // The detail view has loaded it already: this reads the cache.
  const capture = useCapture(captureId).data;
  if (!capture) return null;
  const comparePrevious = async () => {
    setBusy(true);
    try {
      const prev = await fetchPreviousOnPath(endpointId, capture);
      if (prev) onCompare(prev.id, capture.id);
      else showToast(`No earlier capture on ${capture.path || "/"} to compare with.`);
    } catch (e) {
      showToast(`Could not find the previous capture: ${describeError(e)}`, "error");
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        className={buttonClass("secondary", "", "sm")}
        disabled={busy}
        onClick={() => void comparePrevious()}
        data-testid="compare-previous"
        title="Compare with the previous capture on the same path"
      >
        Compare with previous
      </button>
      <button
        type="button"
        className={buttonClass(
          "secondary",
          "aria-pressed:border-indigo-500 aria-pressed:text-indigo-700 dark:aria-pressed:text-indigo-300",
          "sm",
        )}
        aria-pressed={marked}
        onClick={() => onToggleMark(capture.id)}
        data-testid="mark-for-compare"
        title="Mark for compare (x); mark a second capture to compare the two"
      >
        {marked ? "Marked for compare" : "Mark for compare"}
      </button>
    </>
  );
}

/** The bar above the list while captures are marked: which ones, and the Compare button. */
export function CompareBar({
  marked,
  onCompare,
  onClear,
}: {
  marked: Pick<TCaptureSummary, "id" | "seq">[];
  onCompare: () => void;
  onClear: () => void;
}) {
  if (marked.length === 0) return null;
  return (
    <div
      data-testid="compare-bar"
      className="flex items-center gap-2 border-b border-indigo-200 bg-indigo-50 px-3 py-1.5 text-xs dark:border-indigo-900 dark:bg-indigo-950/40"
    >
      <span className="min-w-0 flex-1 truncate">
        {marked.length === 1 ? (
          <>#{marked[0]!.seq} marked. Tick another capture to compare.</>
        ) : (
          <>
            Compare #{marked[0]!.seq} with #{marked[1]!.seq}
          </>
        )}
      </span>
      {marked.length === 2 && (
        <button type="button" className={buttonClass("primary", "", "sm")} onClick={onCompare} data-testid="compare-marked">
          Compare
        </button>
      )}
      <button type="button" className={buttonClass("ghost", "", "sm")} onClick={onClear} data-testid="compare-clear-marks">
        Clear
      </button>
    </div>
  );
}
