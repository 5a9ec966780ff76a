"use client";
// Settings tab: the endpoint's read-only share links, with what each opens, when it was created,
// when it expires, when it was last used, and a Revoke button; and a form for a new one.
import { useState } from "react";
import { ShareLinkForm } from "@/components/share/share-link-form";
import { buttonClass } from "@/components/ui/button-styles";
import { RelativeTime, useNow } from "@/components/ui/relative-time";
import { showToast } from "@/components/ui/toaster";
import { describeError } from "@/lib/browser/query/api";
import { useRevokeShareLink, useShareLinks } from "@/lib/browser/query/share-links";
import type { TShareLink } from "@/lib/shared/validation/shares";
import type { SettingsTabProps } from "./settings-tab";

const STATE_LOOK: Record<TShareLink["state"], string> = {
  active: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  expired: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  revoked: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

function expiryText(link: TShareLink, nowMs: number): string {
  if (!link.expiresAt) return "never";
  const ms = Date.parse(link.expiresAt) - nowMs;
  if (ms <= 0 || !nowMs) return new Date(link.expiresAt).toLocaleString();
  const hours = ms / 3600_000;
  return hours < 1
    ? `in ${Math.max(1, Math.round(ms / 60_000))} min`
    : hours < 48
      ? `in ${Math.round(hours)} h`
      : `in ${Math.round(hours / 24)} days`;
}

export function ShareLinksTab({ endpoint }: SettingsTabProps) {
  const links = useShareLinks(endpoint.id);
  const revoke = useRevokeShareLink(endpoint.id);
  const [creating, setCreating] = useState(false);
  const nowMs = useNow();

  return (
    <div className="space-y-4" data-testid="share-links-tab">
      <p className="text-zinc-600 dark:text-zinc-400">
        A share link opens one capture, or the whole endpoint live, read-only and without the management key. Secret headers are hidden
        unless the link was created with them. Revoking stops a link at once, including pages already open.
      </p>
      {links.isPending ? (
        <p className="text-zinc-500">Loading…</p>
      ) : links.isError ? (
        <p role="alert" className="text-red-600 dark:text-red-400">
          Could not load the share links: {describeError(links.error)}
        </p>
      ) : links.data.length === 0 ? (
        <p className="text-zinc-500" data-testid="share-links-empty">
          No share links yet.
        </p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-xs">
            <thead className="text-zinc-500">
              <tr>
                <th className="py-1 pr-3 font-medium">Link</th>
                <th className="py-1 pr-3 font-medium">Shares</th>
                <th className="py-1 pr-3 font-medium">Created</th>
                <th className="py-1 pr-3 font-medium">Expires</th>
                <th className="py-1 pr-3 font-medium">Last used</th>
                <th className="py-1 pr-3 font-medium">State</th>
                <th className="py-1 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {links.data.map((l) => (
                <tr
                  key={l.id}
                  data-testid="share-link-row"
                  data-share-id={l.id}
                  data-state={l.state}
                  className="border-t border-zinc-100 dark:border-zinc-800"
                >
                  <td className="py-1.5 pr-3 font-mono">{l.tokenHint}</td>
                  <td className="py-1.5 pr-3">
                    {l.captureId ? `Capture #${l.captureSeq}` : "Whole endpoint"}
                    {l.includeSecrets && <span className="ml-1 text-amber-700 dark:text-amber-400">· secrets shown</span>}
                  </td>
                  <td className="py-1.5 pr-3" data-testid="share-link-created">
                    <RelativeTime iso={l.createdAt} />
                  </td>
                  <td className="py-1.5 pr-3" data-testid="share-link-expires">
                    {expiryText(l, nowMs)}
                  </td>
                  <td className="py-1.5 pr-3" data-testid="share-link-last-used">
                    {l.lastUsedAt ? <RelativeTime iso={l.lastUsedAt} /> : "never"}
                  </td>
                  <td className="py-1.5 pr-3">
                    <span className={`rounded px-1.5 py-0.5 ${STATE_LOOK[l.state]}`}>{l.state}</span>
                  </td>
                  <td className="py-1.5 text-right">
                    {l.state === "active" && (
                      <button
                        type="button"
                        className={buttonClass("secondary", "", "sm")}
                        disabled={revoke.isPending && revoke.variables === l.id}
                        onClick={() =>
                          revoke.mutate(l.id, {
                            onSuccess: () => showToast("Share link revoked"),
                            onError: (e) => showToast(`Could not revoke: ${describeError(e)}`, "error"),
                          })
                        }
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creating ? (
        <div className="rounded-md border border-zinc-200 p-3 dark:border-zinc-700">
          <ShareLinkForm endpointId={endpoint.id} capture={null} onDone={() => setCreating(false)} />
        </div>
      ) : (
        <button type="button" className={buttonClass("secondary")} onClick={() => setCreating(true)} data-testid="new-share-link">
          New endpoint link
        </button>
      )}
    </div>
  );
}
