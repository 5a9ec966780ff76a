"use client";

import { buttonClass } from "@/components/ui/button-styles";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { describeError } from "@/lib/browser/query/api";
import { useClearCaptures } from "@/lib/browser/query/use-captures";
import { EscapedText } from "@/components/capture/escaped-text";

export function ClearCapturesDialog({
  open,
  onClose,
  onCleared,
  endpointId,
  endpointName,
  count,
}: {
  open: boolean;
  onClose: () => void;
  onCleared: () => void;
  endpointId: string;
  endpointName: string;
  count: number;
}) {
  const clear = useClearCaptures(endpointId);
  return (
    <ModalDialog open={open} onClose={onClose} title="Clear all captures?" testId="clear-dialog">
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        This deletes every capture of{" "}
        <strong className="text-zinc-900 dark:text-zinc-100">
          <EscapedText text={endpointName} />
        </strong>{" "}
        ({count.toLocaleString("en")} {count === 1 ? "capture" : "captures"}) for everyone who has access. It cannot be undone. The capture
        URL and settings stay.
      </p>
      {clear.isError && (
        <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
          {describeError(clear.error)}
        </p>
      )}
      <div className="mt-5 flex justify-end gap-2">
        <button type="button" className={buttonClass("secondary")} onClick={onClose}>
          Cancel
        </button>
        <button
          type="button"
          className={buttonClass("danger")}
          disabled={clear.isPending}
          onClick={() =>
            clear.mutate(undefined, {
              onSuccess: () => {
                onCleared();
                onClose();
              },
            })
          }
        >
          {clear.isPending ? "Clearing…" : "Clear captures"}
        </button>
      </div>
    </ModalDialog>
  );
}
