"use client";
// The dashboard's capture detail: loads one capture and shows it with CaptureDetailView, with
// the signature verdict (above the body) and a delete action (with an inline confirm).
import { useState, type ReactNode } from "react";
import { SignatureVerdictPanel } from "@/components/signature";
import { buttonClass } from "@/components/ui/button-styles";
import { showToast } from "@/components/ui/toaster";
import { describeError } from "@/lib/browser/query/api";
import { useCapture, useDeleteCapture } from "@/lib/browser/query/use-capture";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { CaptureDetailView } from "./capture-detail-view";

export interface CaptureDetailProps {
  captureId: string;
  endpoint: TEndpoint;
  /** Called after the capture was deleted (the dashboard drops it from the list and moves on). */
  onDelete?: () => void;
  /** Called by the signature panel's "Add a signing secret" (e.g. open the endpoint settings). */
  onAddSecret?: () => void;
  readOnly?: boolean;
  /** Extra buttons in the detail's action row (compare, resend). */
  actions?: ReactNode;
  /** Sections at the end of the detail (the delivery list). */
  children?: ReactNode;
  /** Select another capture (links to the other deliveries of the same event). */
  onOpenCapture?: (captureId: string) => void;
  /** Open the compare view on two captures, older first. */
  onCompare?: (aId: string, bId: string) => void;
}

export function CaptureDetail({
  captureId,
  endpoint,
  onDelete,
  onAddSecret,
  readOnly = false,
  actions,
  children,
  onOpenCapture,
  onCompare,
}: CaptureDetailProps) {
  const capture = useCapture(captureId);
  if (capture.isError) {
    return (
      <div className="p-6" data-testid="capture-detail-error">
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {describeError(capture.error, "capture")}
        </p>
      </div>
    );
  }
  if (!capture.data) return <DetailSkeleton />;
  const c = capture.data;
  return (
    <CaptureDetailView
      capture={c}
      captureUrl={endpoint.captureUrl}
      bodyFileName={`${endpoint.slug}-${c.seq}.bin`}
      readOnly={readOnly}
      actions={actions}
      deleteAction={onDelete ? <DeleteCapture captureId={captureId} onDeleted={onDelete} /> : undefined}
      verdict={<SignatureVerdictPanel captureId={captureId} onAddSecret={onAddSecret} />}
      onOpenCapture={onOpenCapture}
      onCompare={onCompare}
    >
      {children}
    </CaptureDetailView>
  );
}

function DeleteCapture({ captureId, onDeleted }: { captureId: string; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const del = useDeleteCapture(captureId);
  if (!confirming) {
    return (
      <button
        type="button"
        className={buttonClass("dangerGhost", "", "sm")}
        onClick={() => setConfirming(true)}
        data-testid="delete-capture"
      >
        Delete
      </button>
    );
  }
  return (
    <span className="flex items-center gap-1.5 text-xs">
      Delete this capture?
      <button
        type="button"
        autoFocus
        className={buttonClass("danger", "", "sm")}
        disabled={del.isPending}
        data-testid="confirm-delete-capture"
        onClick={() =>
          del.mutate(undefined, {
            onSuccess: () => {
              showToast("Capture deleted");
              onDeleted();
            },
            onError: (e) => showToast(describeError(e, "capture"), "error"),
          })
        }
      >
        {del.isPending ? "Deleting…" : "Delete"}
      </button>
      <button type="button" className={buttonClass("ghost", "", "sm")} onClick={() => setConfirming(false)}>
        Cancel
      </button>
    </span>
  );
}

function DetailSkeleton() {
  return (
    <div className="space-y-3 p-5" aria-busy="true" aria-label="Loading capture" data-testid="capture-detail-loading">
      <div className="h-6 w-2/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-20 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
      <div className="h-40 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
    </div>
  );
}
