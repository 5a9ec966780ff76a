"use client";
// The management key on screen: once right after Create (KeyCreatedPanel, a bar under the
// dashboard that blocks nothing, so the first capture still opens by itself), and in the
// Dashboard link dialog (KeyActions). The server keeps only the key's sha256; this browser keeps
// the key in an httpOnly cookie.
import { useState, useSyncExternalStore } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { createdKey, forgetCreatedKey, subscribeCreatedKeys } from "@/lib/browser/query/management-key";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";

/** The one sentence on what the key is; true to what the server stores (see lib/server/db/keys.ts). */
export const KEY_EXPLAINED =
  "This key is the only way to manage this endpoint from another browser or the API. We store only its SHA-256 hash, so we cannot recover it for you; this browser keeps it in a cookie.";

/** "Stripe staging" → "stripe-staging-management-key.txt" */
export function keyFileName(endpointName: string): string {
  const base = endpointName
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${base || "endpoint"}-management-key.txt`;
}

function keyFileText(endpoint: TEndpoint, key: string): string {
  return [
    `Hookscope management key for "${endpoint.name}"`,
    "",
    `Management key: ${key}`,
    `Dashboard:      ${endpoint.dashboardUrl}`,
    `Capture URL:    ${endpoint.captureUrl}`,
    "",
    'Open the endpoint in another browser: paste the key under "Add an endpoint" on the home page.',
    `From a script:  curl -H "Authorization: Bearer ${key}" ${endpoint.dashboardUrl.replace(/\/endpoints\//, "/api/endpoints/")}/captures`,
    "",
    "Whoever has this key can read, change and delete everything on this endpoint. Keep it secret.",
    "",
  ].join("\n");
}

function downloadKey(endpoint: TEndpoint, key: string): void {
  const url = URL.createObjectURL(new Blob([keyFileText(endpoint, key)], { type: "text/plain;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = keyFileName(endpoint.name);
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked later, not at once: the download reads the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** The key in a read-only field, with Copy and Download. */
export function KeyActions({ endpoint, managementKey }: { endpoint: TEndpoint; managementKey: string }) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <input
        readOnly
        value={managementKey}
        aria-label="Management key"
        data-testid="management-key"
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
        className="min-w-0 flex-1 basis-64 rounded-md border border-zinc-300 bg-white px-2 py-1.5 font-mono text-xs dark:border-zinc-600 dark:bg-zinc-950"
      />
      <span className="flex shrink-0 gap-2">
        <ClipboardButton text={managementKey} label="Copy key" copiedMessage="Copied management key" testId="copy-management-key" />
        <button
          type="button"
          data-testid="download-management-key"
          className={buttonClass("secondary")}
          onClick={() => downloadKey(endpoint, managementKey)}
        >
          Download
        </button>
      </span>
    </div>
  );
}

/** Right after Create: the key, once, until the user dismisses it (or leaves the page session). */
export function KeyCreatedPanel({ endpoint }: { endpoint: TEndpoint }) {
  const fresh = useSyncExternalStore(
    subscribeCreatedKeys,
    () => createdKey(endpoint.id),
    () => null,
  );
  const [dismissed, setDismissed] = useState(false);
  if (!fresh || dismissed) return null;
  return (
    <section
      aria-labelledby="key-created-title"
      data-testid="key-created"
      className="shrink-0 border-t border-amber-300 bg-amber-50 px-4 py-3 text-sm dark:border-amber-800 dark:bg-amber-950/60"
    >
      <div className="mx-auto flex max-w-6xl flex-col gap-2 lg:flex-row lg:items-center lg:gap-6">
        <div className="min-w-0 lg:w-[28rem] lg:shrink-0">
          <h2 id="key-created-title" className="font-semibold text-zinc-900 dark:text-zinc-50">
            Save this endpoint&apos;s management key
          </h2>
          <p className="mt-0.5 text-zinc-700 dark:text-zinc-300">{KEY_EXPLAINED}</p>
        </div>
        <div className="flex min-w-0 flex-1 items-center gap-2">
          <div className="min-w-0 flex-1">
            <KeyActions endpoint={endpoint} managementKey={fresh} />
          </div>
          <button
            type="button"
            data-testid="dismiss-key-created"
            className={buttonClass("ghost", "shrink-0")}
            onClick={() => {
              forgetCreatedKey(endpoint.id);
              setDismissed(true);
            }}
          >
            I saved it
          </button>
        </div>
      </div>
    </section>
  );
}
