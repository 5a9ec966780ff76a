"use client";
// Creating a read-only share link: what to share (one capture or the whole endpoint, live), how
// long it works, and whether secret headers are shown. After creation the link is shown once,
// with a copy button: only its hash is kept, so it cannot be shown again.
import { useId, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { describeError } from "@/lib/browser/query/api";
import { useCreateShareLink } from "@/lib/browser/query/share-links";
import { SHARE_EXPIRIES, SHARE_EXPIRY_LABELS, type TCreatedShareLink, type TShareExpiry } from "@/lib/shared/validation/shares";
import { FormFooter } from "@/components/ui/form-footer";

/** The link to open: this page's origin (what the sharer sees in the address bar) + /s/<token>. */
export function shareLinkUrl(created: Pick<TCreatedShareLink, "token" | "url">): string {
  return typeof window === "undefined" ? created.url : `${window.location.origin}/s/${created.token}`;
}

export function ShareLinkForm({
  endpointId,
  capture,
  onDone,
}: {
  endpointId: string;
  /** The capture on screen, offered as what to share; null: only the whole endpoint. */
  capture: { id: string; seq: number | null } | null;
  onDone?: () => void;
}) {
  const ids = useId();
  const [scope, setScope] = useState<"capture" | "endpoint">(capture ? "capture" : "endpoint");
  const [expiresIn, setExpiresIn] = useState<TShareExpiry>("7d");
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const create = useCreateShareLink(endpointId);
  const created = create.data;

  if (created) {
    const url = shareLinkUrl(created);
    return (
      <div className="space-y-3 text-sm" data-testid="share-link-created">
        <p className="font-medium">Read-only link created</p>
        <div className="flex items-center gap-2">
          <input
            readOnly
            value={url}
            data-testid="share-link-url"
            aria-label="Read-only share link"
            onFocus={(e) => e.currentTarget.select()}
            className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-2 py-1.5 font-mono text-xs dark:border-zinc-600 dark:bg-zinc-950"
          />
          <ClipboardButton text={url} copiedMessage="Copied share link" testId="copy-share-link" />
        </div>
        <p className="text-xs text-zinc-500">
          Copy it now: Hookscope keeps only a hash of it and cannot show it again. Anyone with the link can read{" "}
          {created.captureId ? `capture #${created.captureSeq}` : "every capture of this endpoint, live"}
          {created.expiresAt ? ` until ${new Date(created.expiresAt).toLocaleString()}` : ", until you revoke it"}
          {created.includeSecrets ? ", secret headers included." : "; secret headers are hidden."} Revoke it under Settings → Share links.
        </p>
        <div className="flex justify-end gap-2">
          <button type="button" className={buttonClass("secondary")} onClick={() => create.reset()}>
            Create another
          </button>
          {onDone && (
            <button type="button" className={buttonClass("primary")} onClick={onDone}>
              Done
            </button>
          )}
        </div>
      </div>
    );
  }

  return (
    <form
      className="space-y-4 text-sm"
      data-testid="share-link-form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ captureId: scope === "capture" && capture ? capture.id : null, expiresIn, includeSecrets });
      }}
    >
      <fieldset>
        <legend className="mb-1 font-medium">Share</legend>
        {capture && (
          <label className="flex items-center gap-2 py-0.5">
            <input type="radio" name={`${ids}-scope`} checked={scope === "capture"} onChange={() => setScope("capture")} />
            This capture{capture.seq !== null ? ` (#${capture.seq})` : ""}
          </label>
        )}
        <label className="flex items-center gap-2 py-0.5">
          <input type="radio" name={`${ids}-scope`} checked={scope === "endpoint"} onChange={() => setScope("endpoint")} />
          The whole endpoint, with new captures live
        </label>
      </fieldset>
      <fieldset>
        <legend className="mb-1 font-medium">Link expires after</legend>
        <div className="flex flex-wrap gap-3">
          {SHARE_EXPIRIES.map((x) => (
            <label key={x} className="flex items-center gap-1.5">
              <input type="radio" name={`${ids}-expiry`} checked={expiresIn === x} onChange={() => setExpiresIn(x)} />
              {SHARE_EXPIRY_LABELS[x]}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="flex items-start gap-2">
        <input type="checkbox" className="mt-0.5" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.target.checked)} />
        <span>
          Include secret headers
          <span className="block text-xs text-zinc-500">
            Authorization, Cookie and provider signatures (Stripe-Signature, X-Hub-Signature-256…) are hidden unless you tick this; the
            viewer sees only that a value was sent and its length.
          </span>
        </span>
      </label>
      {/* The settings dialog's one footer; the defaults make a valid link, so there is always something to create. */}
      <FormFooter
        dirty
        dirtyNote={null}
        pending={create.isPending}
        status={create.isError ? { kind: "error", message: `Not created: ${describeError(create.error)}` } : { kind: "idle" }}
        saveLabel="Create read-only link"
        pendingLabel="Creating…"
        saveTestId="create-share-link"
        discardLabel="Cancel"
        discardAlways
        onDiscard={() => onDone?.()}
      />
    </form>
  );
}
