"use client";
// Settings tab: replacing the management key (POST /api/endpoints/:id/key), after a confirmation,
// for a key that leaked; and deleting the endpoint (DELETE /api/endpoints/:id). The user types the
// endpoint's name to confirm, as on GitHub; afterwards the capture URL answers 404 and this browser
// goes home.
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { SETTINGS_INPUT } from "@/components/ui/fields";
import { showToast } from "@/components/ui/toaster";
import { describeError } from "@/lib/browser/query/api";
import { forgetCreatedKey } from "@/lib/browser/query/management-key";
import { useDeleteEndpoint, useReplaceKey } from "@/lib/browser/query/use-endpoints";
import { KeyActions } from "../management-key";
import type { SettingsTabProps } from "./settings-tab";

export function DangerZoneTab({ endpoint }: SettingsTabProps) {
  const router = useRouter();
  const remove = useDeleteEndpoint(endpoint.id);
  const [typed, setTyped] = useState("");
  const id = useId();
  const matches = typed === endpoint.name;

  return (
    <div className="space-y-4">
      <ReplaceKey endpoint={endpoint} />
      <section
        aria-labelledby={`${id}-title`}
        data-testid="danger-zone"
        className="rounded-md border border-red-300 p-4 dark:border-red-900"
      >
        <h3 id={`${id}-title`} className="font-semibold text-red-700 dark:text-red-400">
          Delete this endpoint
        </h3>
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">
          Deletes every capture it holds, its settings, signing secrets, forward rules and share links, at once and for good. Its capture
          URL then answers 404 to every sender, and its management key and dashboard links open nothing.
        </p>
        <form
          className="mt-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!matches) return;
            remove.mutate(undefined, {
              onSuccess: () => {
                showToast(`Deleted ${endpoint.name}`);
                router.push("/");
              },
            });
          }}
        >
          <label htmlFor={`${id}-confirm`} className="mb-1 block">
            Type <strong className="font-mono break-all select-all">{endpoint.name}</strong> to confirm
          </label>
          <input
            id={`${id}-confirm`}
            data-testid="delete-endpoint-confirm"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setTyped(e.target.value)}
            className={SETTINGS_INPUT}
          />
          <div className="mt-3 flex flex-wrap items-center justify-end gap-3">
            {remove.isError && (
              <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                Not deleted: {describeError(remove.error)}
              </p>
            )}
            <button type="submit" data-testid="delete-endpoint" className={buttonClass("danger")} disabled={!matches || remove.isPending}>
              {remove.isPending ? "Deleting…" : "Delete endpoint"}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}

/** Replace the management key: a confirmation, then the new key once, with Copy and Download. */
function ReplaceKey({ endpoint }: Pick<SettingsTabProps, "endpoint">) {
  const replace = useReplaceKey(endpoint.id);
  const [confirming, setConfirming] = useState(false);
  const id = useId();
  return (
    <section
      aria-labelledby={`${id}-title`}
      data-testid="replace-key"
      className="rounded-md border border-zinc-300 p-4 dark:border-zinc-700"
    >
      <h3 id={`${id}-title`} className="font-semibold">
        Replace the management key
      </h3>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        For a key that leaked. The current key stops working at once: its dashboard links, other browsers, and scripts, the CLI or
        smee-client using it (their open streams end within seconds). This browser keeps access with the new key. Share links, forward rules
        and signing secrets stay as they are: check them under Share links and Forwarding.
      </p>
      {replace.isSuccess ? (
        <div className="mt-3 space-y-2">
          <p role="status" data-testid="key-replaced" className="text-emerald-700 dark:text-emerald-400">
            Replaced. The new key is below; Dashboard link shows it again in this browser.
          </p>
          <KeyActions endpoint={endpoint} managementKey={replace.data.managementKey} />
        </div>
      ) : (
        <div className="mt-3 flex flex-wrap items-center justify-end gap-3">
          {replace.isError && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              Not replaced: {describeError(replace.error)}
            </p>
          )}
          {confirming ? (
            <>
              <span className="text-zinc-600 dark:text-zinc-400">Replace it now?</span>
              <button type="button" className={buttonClass("ghost")} onClick={() => setConfirming(false)} disabled={replace.isPending}>
                Cancel
              </button>
              <button
                type="button"
                data-testid="replace-key-confirm"
                className={buttonClass("danger")}
                disabled={replace.isPending}
                onClick={() => replace.mutate(undefined, { onSuccess: () => forgetCreatedKey(endpoint.id) })}
              >
                {replace.isPending ? "Replacing…" : "Replace key"}
              </button>
            </>
          ) : (
            <button type="button" className={buttonClass("secondary")} onClick={() => setConfirming(true)}>
              Replace key…
            </button>
          )}
        </div>
      )}
    </section>
  );
}
