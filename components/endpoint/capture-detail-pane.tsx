"use client";
// The dashboard's right pane: two captures compared, the selected capture with its actions and
// deliveries, or a hint when nothing is selected.
import { CaptureDetail } from "@/components/capture";
import { CompareActions } from "@/components/compare/compare-actions";
import { CompareView } from "@/components/compare/compare-view";
import { DeliveryList } from "@/components/delivery/delivery-list";
import { ResendButton } from "@/components/delivery/resend-button";
import { buttonClass } from "@/components/ui/button-styles";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import type { TCaptureSelection } from "./use-capture-selection";

export function CaptureDetailPane({
  endpoint,
  selection,
  hasCaptures,
  onAddSecret,
  onShare,
}: {
  endpoint: TEndpoint;
  selection: TCaptureSelection;
  hasCaptures: boolean;
  onAddSecret: () => void;
  onShare: () => void;
}) {
  const { comparing, selectedId, select } = selection;
  return (
    <section data-pane="detail" aria-label="Selected capture" className="min-h-0 min-w-0 flex-1 overflow-auto">
      {comparing ? (
        <CompareView
          aId={comparing.a}
          bId={comparing.b}
          onClose={() => (comparing.b ? select(comparing.b) : select(null))}
          onSwap={() => comparing.a && comparing.b && selection.swapCompare(comparing.a, comparing.b)}
          onOpen={select}
        />
      ) : selectedId ? (
        <CaptureDetail
          key={selectedId}
          captureId={selectedId}
          endpoint={endpoint}
          onDelete={selection.onSelectedDeleted}
          onAddSecret={onAddSecret}
          actions={
            <>
              <CompareActions
                endpointId={endpoint.id}
                captureId={selectedId}
                marked={selection.markedIds.includes(selectedId)}
                onToggleMark={selection.toggleMark}
                onCompare={selection.openCompare}
              />
              <ResendButton captureId={selectedId} />
              <button type="button" className={buttonClass("secondary", "", "sm")} onClick={onShare} data-testid="share-capture">
                Share read-only link
              </button>
            </>
          }
        >
          <DeliveryList captureId={selectedId} />
        </CaptureDetail>
      ) : (
        <NoSelection hasCaptures={hasCaptures} />
      )}
    </section>
  );
}

function NoSelection({ hasCaptures }: { hasCaptures: boolean }) {
  return (
    <div className="grid h-full place-items-center p-8 text-center text-sm text-zinc-500">
      <div>
        <p>{hasCaptures ? "Select a capture to see its headers and body." : "Requests you send to the capture URL appear on the left."}</p>
        <p className="mt-2 text-xs">
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">j</kbd> /{" "}
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">k</kbd> to move,{" "}
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">?</kbd> for all shortcuts
        </p>
      </div>
    </div>
  );
}
