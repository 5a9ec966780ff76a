"use client";
// /s/<token>: what a share link opens, read-only. One capture, or an endpoint's captures with new
// ones arriving live (list on the left, the selected capture on the right). No write action
// exists here and the API behind it refuses writes anyway. The link is re-checked every 10 s, at
// its expiry, and whenever the live stream fails (the server ends it on revoke or expiry); once
// the token answers 404/410 the captures give way to the reason and nothing is asked again.
import { useEffect, useState } from "react";
import { AppHeader } from "@/components/ui/app-header";
import { CaptureList } from "@/components/capture/capture-list";
import { LiveIndicator } from "@/components/ui/live-indicator";
import { PageMessage } from "@/components/ui/page-message";
import { ApiError, describeError } from "@/lib/browser/query/api";
import { isShareGone, useSharedCaptureSource, useSharedView } from "@/lib/browser/query/share-links";
import { useCaptureList } from "@/lib/browser/query/use-captures";
import { useLiveCaptureSource } from "@/lib/browser/query/use-live-captures";
import type { TSharedView } from "@/lib/shared/validation/shares";
import { SharedCaptureDetail } from "./shared-capture-detail";
import { EscapedText } from "@/components/capture/escaped-text";
import { escapeHidden } from "@/lib/shared/format/invisible";

export function SharedView({ token }: { token: string }) {
  const view = useSharedView(token);
  const { refetch } = view;
  const expiresAt = view.data?.expiresAt;
  useEffect(() => {
    if (!expiresAt) return;
    // setTimeout holds at most 2^31-1 ms (24.8 days); the periodic re-check covers a later expiry.
    const ms = new Date(expiresAt).getTime() - Date.now() + 500;
    if (ms > 2 ** 31 - 1) return;
    const t = setTimeout(() => void refetch(), Math.max(0, ms));
    return () => clearTimeout(t);
  }, [expiresAt, refetch]);
  if (isShareGone(view.error) || (view.isError && !(view.error instanceof ApiError && view.error.status >= 500))) {
    const gone = view.error instanceof ApiError && view.error.status === 410;
    return (
      <ShareProblem title={gone ? "This share link no longer works" : "This share link does not work"}>
        {describeError(view.error)}
      </ShareProblem>
    );
  }
  if (!view.data) {
    return (
      <div className="flex h-dvh flex-col" aria-busy="true">
        <AppHeader />
        <p className="p-6 text-sm text-zinc-500">{view.isError ? describeError(view.error) : "Loading…"}</p>
      </div>
    );
  }
  return <Shared token={token} view={view.data} recheck={() => void refetch()} />;
}

function ShareNotice({ view }: { view: TSharedView }) {
  return (
    <div
      data-testid="share-notice"
      className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b border-zinc-200 bg-zinc-50 px-4 py-2 text-xs text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900/60 dark:text-zinc-400"
    >
      <span className="rounded bg-indigo-100 px-1.5 py-0.5 font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300">
        Read-only share
      </span>
      <span>{view.kind === "capture" ? "One shared capture." : "This endpoint's captures; new ones appear live."}</span>
      <span>
        {view.includeSecrets ? "Secret headers are shown as sent." : "Secret headers (Authorization, Cookie, signatures) are hidden."}
      </span>
      <span>{view.expiresAt ? `Link works until ${new Date(view.expiresAt).toLocaleString()}.` : "Link does not expire."}</span>
      <span>The capture URL is not shared: request URLs and commands show capture-url.invalid in its place.</span>
    </div>
  );
}

function Shared({ token, view, recheck }: { token: string; view: TSharedView; recheck: () => void }) {
  const isEndpoint = view.kind === "endpoint";
  const source = useSharedCaptureSource(token, isEndpoint);
  const list = useCaptureList(source, { enabled: isEndpoint });
  const liveStatus = useLiveCaptureSource(source, { enabled: isEndpoint && list.isSuccess, onStreamError: recheck });
  const [picked, setSelectedId] = useState<string | null>(view.captureId);
  // An endpoint share shows its newest capture until one is picked.
  const selectedId = picked ?? list.captures[0]?.id ?? null;

  return (
    <div className="flex h-dvh flex-col">
      <title>{`${escapeHidden(view.endpoint.name)} (shared) · Hookscope`}</title>
      <AppHeader>
        <span aria-hidden="true" className="text-zinc-300 dark:text-zinc-700">
          /
        </span>
        <span className="truncate font-medium" data-testid="shared-endpoint-name">
          <EscapedText text={view.endpoint.name} />
        </span>
        {isEndpoint && <LiveIndicator live={liveStatus} />}
      </AppHeader>
      <ShareNotice view={view} />
      {isEndpoint ? (
        <div className="flex min-h-0 flex-1 flex-col md:flex-row">
          <aside
            aria-label="Captures"
            className="flex h-[42dvh] shrink-0 flex-col border-b border-zinc-200 md:h-auto md:w-[340px] md:border-r md:border-b-0 lg:w-[400px] dark:border-zinc-800"
          >
            <CaptureList
              rows={list.captures}
              selectedId={selectedId}
              onSelect={setSelectedId}
              loading={list.isPending}
              errorMessage={list.isError ? `Could not load captures: ${describeError(list.error)}` : null}
              hasNextPage={list.hasNextPage}
              isFetchingNextPage={list.isFetchingNextPage}
              fetchNextPage={() => void list.fetchNextPage()}
              search=""
              captureUrl={null}
              signatures={false}
            />
          </aside>
          <section data-pane="detail" aria-label="Selected capture" className="min-h-0 min-w-0 flex-1 overflow-auto">
            {selectedId ? (
              <SharedCaptureDetail key={selectedId} token={token} captureId={selectedId} />
            ) : (
              <p className="grid h-full place-items-center p-8 text-sm text-zinc-500">
                {list.captures.length ? "Select a capture to see its headers and body." : "No captures yet. New ones appear here live."}
              </p>
            )}
          </section>
        </div>
      ) : (
        <main className="min-h-0 flex-1 overflow-auto">
          <div className="mx-auto max-w-5xl">{view.captureId && <SharedCaptureDetail token={token} captureId={view.captureId} />}</div>
        </main>
      )}
    </div>
  );
}

function ShareProblem({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <PageMessage title={title} homeLabel="Open Hookscope" titleTestId="share-problem-title" messageTestId="share-problem-message">
      {children}
    </PageMessage>
  );
}
