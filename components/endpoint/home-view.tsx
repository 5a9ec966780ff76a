"use client";
// Home: one obvious way to start (create an endpoint, land on its dashboard), then the endpoints
// this browser holds keys for.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button-styles";
import { RelativeTime } from "@/components/ui/relative-time";
import { describeError } from "@/lib/query/api";
import { useCreateEndpoint, useEndpoints } from "@/lib/query/use-endpoints";
import { AppHeader } from "./app-header";

export function HomeView() {
  const router = useRouter();
  const create = useCreateEndpoint();
  const endpoints = useEndpoints();

  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-3xl px-4 py-12">
        <h1 className="text-3xl font-semibold tracking-tight">Inspect webhooks as they arrive</h1>
        <p className="mt-3 max-w-xl text-zinc-600 dark:text-zinc-400">
          Hookscope gives you a URL that records every HTTP request sent to it, exactly as it arrived, and shows each one live.
        </p>
        <div className="mt-8 flex items-center gap-4">
          <button
            type="button"
            className={buttonClass("primary", "", "lg")}
            disabled={create.isPending}
            onClick={() =>
              create.mutate(undefined, {
                onSuccess: (created) => router.push(`/endpoints/${created.id}`),
              })
            }
          >
            {create.isPending ? "Creating…" : "Create endpoint"}
          </button>
          {create.isError && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              Could not create an endpoint: {describeError(create.error)}
            </p>
          )}
        </div>

        <section aria-labelledby="your-endpoints" className="mt-14">
          <h2 id="your-endpoints" className="text-sm font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            Your endpoints
          </h2>
          <EndpointList query={endpoints} />
        </section>
      </main>
    </div>
  );
}

function EndpointList({ query }: { query: ReturnType<typeof useEndpoints> }) {
  if (query.isPending) {
    return (
      <ul aria-busy="true" aria-label="Loading endpoints" className="mt-3 space-y-2">
        {[0, 1].map((i) => (
          <li key={i} className="h-14 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-900" />
        ))}
      </ul>
    );
  }
  if (query.isError) {
    return (
      <p role="alert" className="mt-3 text-sm text-red-600 dark:text-red-400">
        Could not load your endpoints: {describeError(query.error)}
      </p>
    );
  }
  const items = query.data.items;
  if (!items.length) {
    return (
      <p
        data-testid="endpoints-empty"
        className="mt-3 rounded-lg border border-dashed border-zinc-300 p-6 text-sm text-zinc-500 dark:border-zinc-700"
      >
        No endpoints in this browser yet. Create one above: you get a capture URL to paste into Stripe, GitHub, Shopify, Slack or your own
        service.
      </p>
    );
  }
  return (
    <ul
      data-testid="endpoint-list"
      className="mt-3 divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
    >
      {items.map((e) => (
        <li key={e.id}>
          <Link
            href={`/endpoints/${e.id}`}
            data-testid="endpoint-item"
            className="flex items-center gap-4 px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-900"
          >
            <div className="min-w-0 flex-1">
              <div className="truncate font-medium">{e.name}</div>
              <div className="truncate font-mono text-xs text-zinc-500">{e.captureUrl}</div>
            </div>
            <div className="shrink-0 text-right text-sm">
              <div>
                {e.captureCount.toLocaleString("en")} {e.captureCount === 1 ? "capture" : "captures"}
              </div>
              <div className="text-xs text-zinc-500">
                {e.lastCaptureAt ? (
                  <>
                    last <RelativeTime iso={e.lastCaptureAt} />
                  </>
                ) : (
                  "nothing yet"
                )}
              </div>
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}
