"use client";
// The one way a settings form saves: a footer with what happened next to the buttons (unsaved
// changes, Saved, or why not), a secondary button that discards, and the primary Save, enabled
// only when there is something to save. Used by every form in the endpoint settings dialog.
import { buttonClass } from "./button-styles";

export type TFormFooterStatus = { kind: "idle" } | { kind: "saved" } | { kind: "error"; message: string };

export function FormFooter({
  dirty,
  pending,
  status,
  saveLabel = "Save",
  pendingLabel = "Saving…",
  discardLabel = "Discard changes",
  onDiscard,
  discardAlways = false,
  testId,
  saveTestId,
  dirtyNote = "Unsaved changes",
}: {
  /** Something to save: Save is disabled without it. */
  dirty: boolean;
  pending: boolean;
  status: TFormFooterStatus;
  saveLabel?: string;
  pendingLabel?: string;
  discardLabel?: string;
  onDiscard: () => void;
  /** The discard button works with nothing typed too (Cancel on a form that closes). */
  discardAlways?: boolean;
  testId?: string;
  saveTestId?: string;
  /** Said next to the buttons while there are changes; null for a form that creates something new. */
  dirtyNote?: string | null;
}) {
  return (
    <div
      data-testid={testId ?? "form-footer"}
      className="sticky bottom-0 flex flex-wrap items-center justify-end gap-x-3 gap-y-2 border-t border-zinc-200 bg-white pt-3 pb-0.5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      {status.kind === "error" ? (
        <p role="alert" data-testid="form-status" data-status="error" className="min-w-0 text-right text-sm text-red-600 dark:text-red-400">
          {status.message}
        </p>
      ) : (
        <p
          role="status"
          data-testid="form-status"
          data-status={dirty ? "dirty" : status.kind}
          className={`min-w-0 text-right text-sm ${dirty || status.kind !== "saved" ? "text-zinc-500 dark:text-zinc-400" : "text-emerald-700 dark:text-emerald-400"}`}
        >
          {dirty ? dirtyNote : status.kind === "saved" ? "✓ Saved" : ""}
        </p>
      )}
      <button type="button" className={buttonClass("secondary")} onClick={onDiscard} disabled={pending || (!dirty && !discardAlways)}>
        {discardLabel}
      </button>
      <button type="submit" data-testid={saveTestId} className={buttonClass("primary")} disabled={pending || !dirty}>
        {pending ? pendingLabel : saveLabel}
      </button>
    </div>
  );
}
