"use client";
// The dashboard's right pane: two captures compared, the selected capture with its actions and
// deliveries, or, for an endpoint with no captures yet, how to send the first one. A capture
// picked while the server is out of reach says so (and loads once the connection is back).
import { CaptureDetail } from "@/components/capture";
import { CompareActions } from "@/components/compare/compare-actions";
import { CompareView } from "@/components/compare/compare-view";
import { DeliveryList } from "@/components/delivery/delivery-list";
import { ResendButton } from "@/components/delivery/resend-button";
import { buttonClass } from "@/components/ui/button-styles";
import { ApiError } from "@/lib/browser/query/api";
import { useCapture } from "@/lib/browser/query/use-capture";
import type { TLiveState } from "@/lib/browser/query/use-live-captures";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { EmptyEndpoint } from "./empty-endpoint";
import type { TCaptureSelection } from "./use-capture-selection";

export function CaptureDetailPane({
  endpoint,
  selection,
  hasCaptures,
  live,
  onAddSecret,
  onShare,
  onTestCaptured,
}: {
  endpoint: TEndpoint;
  selection: TCaptureSelection;
  hasCaptures: boolean;
  live: TLiveState;
  onAddSecret: () => void;
  onShare: () => void;
  onTestCaptured: (captureId: string) => void;
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
        <Reachable key={selectedId} captureId={selectedId} live={live}>
          <CaptureDetail
            key={selectedId}
            captureId={selectedId}
            endpoint={endpoint}
            onDelete={selection.onSelectedDeleted}
            onAddSecret={onAddSecret}
            onOpenCapture={select}
            onCompare={selection.openCompare}
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
        </Reachable>
      ) : hasCaptures ? (
        <NoSelection />
      ) : (
        <EmptyEndpoint endpoint={endpoint} onTestCaptured={onTestCaptured} />
      )}
    </section>
  );
}

/**
 * The capture's detail, or, while it has not loaded and the server is out of reach, a sentence
 * saying so instead of a skeleton that never ends. It loads by itself when the connection is back
 * (the live stream refetches what failed).
 */
function Reachable({ captureId, live, children }: { captureId: string; live: TLiveState; children: React.ReactNode }) {
  const capture = useCapture(captureId);
  const down = live.status === "reconnecting" || live.status === "disconnected";
  const unreachable = capture.error instanceof ApiError && (capture.error.status === 0 || capture.error.status >= 500);
  if (!capture.data && (down || unreachable)) {
    return (
      <div data-testid="detail-unreachable" role="status" className="grid h-full place-items-center p-8 text-center text-sm">
        <div>
          <p className="font-medium text-amber-800 dark:text-amber-300">
            Can&apos;t reach the server — this capture will load when it&apos;s back.
          </p>
          <p className="mt-1 text-zinc-600 dark:text-zinc-400">Nothing to do: the connection is retried by itself.</p>
        </div>
      </div>
    );
  }
  return children;
}

function NoSelection() {
  return (
    <div className="grid h-full place-items-center p-8 text-center text-sm text-zinc-500">
      <div>
        <p>Select a capture to see its headers and body.</p>
        <p className="mt-2 text-xs">
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">j</kbd> /{" "}
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">k</kbd> to move,{" "}
          <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">?</kbd> for all shortcuts
        </p>
      </div>
    </div>
  );
}
