"use client";
// Home: one obvious way to start (create an endpoint, land on its dashboard), then the endpoints
// this browser holds keys for, and a way to add one from its management key or dashboard link.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { RelativeTime } from "@/components/ui/relative-time";
import { ApiError, describeError } from "@/lib/browser/query/api";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import { useAddEndpoint, useCreateEndpoint, useEndpoints, useForgetEndpoint } from "@/lib/browser/query/use-endpoints";
import { useInstanceInfo } from "@/lib/browser/query/use-instance";
import { AppHeader } from "@/components/ui/app-header";
import { EscapedText } from "@/components/capture/escaped-text";

export function HomeView() {
  const router = useRouter();
  const endpoints = useEndpoints();

  return (
    <div className="flex min-h-dvh flex-col">
      <AppHeader />
      <main className="mx-auto w-full max-w-3xl px-4 py-12">
        <h1 className="text-3xl font-semibold tracking-tight">Inspect webhooks as they arrive</h1>
        <p className="mt-3 max-w-xl text-zinc-600 dark:text-zinc-400">
          Hookscope gives you a URL that records every HTTP request sent to it, exactly as it arrived, and shows each one live.
        </p>
        <CreateEndpoint onCreated={(id) => router.push(`/endpoints/${id}`)} />

        <section aria-labelledby="your-endpoints" className="mt-14">
          <h2 id="your-endpoints" className="text-sm font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">
            Your endpoints
          </h2>
          <EndpointList query={endpoints} />
          <AddEndpoint />
        </section>
      </main>
    </div>
  );
}

/** Where the creation token is kept once it worked, so this browser is asked for it only once. */
const TOKEN_STORAGE_KEY = "hookscope:create-endpoint-token";

function storedToken(): string {
  try {
    return localStorage.getItem(TOKEN_STORAGE_KEY) ?? "";
  } catch {
    return "";
  }
}

/** The Create endpoint button, with a token field when the instance requires one (CREATE_ENDPOINT_TOKEN). */
function CreateEndpoint({ onCreated }: { onCreated: (id: string) => void }) {
  const create = useCreateEndpoint();
  const instance = useInstanceInfo();
  const needsToken = instance.data?.createEndpointRequiresToken ?? false;
  const [token, setToken] = useState(storedToken);
  const refused = create.error instanceof ApiError && (create.error.status === 401 || create.error.status === 403);

  const submit = () => {
    create.mutate(needsToken ? { token: token.trim() } : {}, {
      onSuccess: (created) => {
        if (needsToken) {
          try {
            localStorage.setItem(TOKEN_STORAGE_KEY, token.trim());
          } catch {
            // private mode: asked again next time
          }
        }
        onCreated(created.id);
      },
    });
  };

  return (
    <form
      className="mt-8"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {needsToken && (
        <div className="mb-4 max-w-sm">
          <label htmlFor="create-token" className="mb-1 block text-sm font-medium">
            Endpoint creation token
          </label>
          <input
            id="create-token"
            data-testid="create-token"
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            aria-invalid={refused ? true : undefined}
            aria-describedby="create-token-hint"
            className="w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm aria-invalid:border-red-500 dark:border-zinc-600 dark:bg-zinc-950"
          />
          <p id="create-token-hint" className="mt-1 text-xs text-zinc-500">
            This instance asks for a token before creating endpoints. Ask whoever runs it; this browser remembers it.
          </p>
        </div>
      )}
      <div className="flex items-center gap-4">
        <button type="submit" className={buttonClass("primary", "", "lg")} disabled={create.isPending || (needsToken && !token.trim())}>
          {create.isPending ? "Creating…" : "Create endpoint"}
        </button>
        {create.isError && (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {refused ? describeError(create.error) : `Could not create an endpoint: ${describeError(create.error)}`}
          </p>
        )}
      </div>
    </form>
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
        service. Made one elsewhere? Add it below with its management key or dashboard link.
      </p>
    );
  }
  return (
    <ul
      data-testid="endpoint-list"
      className="mt-3 divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
    >
      {items.map((e) => (
        <EndpointItem key={e.id} endpoint={e} />
      ))}
    </ul>
  );
}

/** One endpoint: opens its dashboard; Remove makes this browser forget it (after a confirmation), the endpoint stays. */
function EndpointItem({ endpoint: e }: { endpoint: TEndpoint }) {
  const forget = useForgetEndpoint();
  const [confirming, setConfirming] = useState(false);
  return (
    <li data-testid="endpoint-row">
      <div className="flex items-center">
        <Link
          href={`/endpoints/${e.id}`}
          data-testid="endpoint-item"
          className={`flex min-w-0 flex-1 items-center gap-4 py-3 pl-4 hover:bg-zinc-50 dark:hover:bg-zinc-900 ${confirming ? "pr-4" : "pr-2"}`}
        >
          <div className="min-w-0 flex-1">
            <div className="truncate font-medium">
              <EscapedText text={e.name} />
            </div>
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
        {!confirming && (
          <button
            type="button"
            className={buttonClass("ghost", "mr-2 shrink-0", "sm")}
            aria-label={`Remove ${e.name} from this browser`}
            onClick={() => setConfirming(true)}
          >
            Remove
          </button>
        )}
      </div>
      {confirming && (
        <div role="group" aria-label="Remove from this browser" className="flex flex-wrap items-center gap-2 px-4 pb-3 text-sm">
          <p className="min-w-0 flex-1 text-zinc-600 dark:text-zinc-400">
            This browser forgets the endpoint; it keeps its URL and captures. To open it here again you need its management key or dashboard
            link.
          </p>
          <button type="button" className={buttonClass("ghost", "", "sm")} onClick={() => setConfirming(false)} disabled={forget.isPending}>
            Cancel
          </button>
          <button
            type="button"
            className={buttonClass("dangerGhost", "", "sm")}
            onClick={() => forget.mutate(e.id)}
            disabled={forget.isPending}
          >
            Remove from this browser
          </button>
          {forget.isError && (
            <p role="alert" className="w-full text-red-600 dark:text-red-400">
              Could not remove it: {describeError(forget.error)}
            </p>
          )}
        </div>
      )}
    </li>
  );
}

/** Adds an endpoint made in another browser (or lost with its cookie) from its key or dashboard link. */
function AddEndpoint() {
  const add = useAddEndpoint();
  const [text, setText] = useState("");
  const [added, setAdded] = useState<string | null>(null);

  return (
    <form
      className="mt-6"
      data-testid="add-endpoint"
      onSubmit={(e) => {
        e.preventDefault();
        setAdded(null);
        add.mutate(text, {
          onSuccess: (endpoint) => {
            setText("");
            setAdded(endpoint.name);
          },
        });
      }}
    >
      <label htmlFor="add-endpoint-input" className="block text-sm font-medium">
        Add an endpoint with its management key or dashboard link
      </label>
      <div className="mt-1.5 flex flex-col gap-2 sm:flex-row">
        <input
          id="add-endpoint-input"
          data-testid="add-endpoint-input"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (add.isError) add.reset();
          }}
          placeholder="hsk_… or https://…/endpoints/…#key=…"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={add.isError ? true : undefined}
          aria-describedby="add-endpoint-result"
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1.5 font-mono text-sm aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500 dark:border-zinc-600 dark:bg-zinc-950"
        />
        <button type="submit" className={buttonClass("secondary", "shrink-0")} disabled={add.isPending || !text.trim()}>
          {add.isPending ? "Adding…" : "Add endpoint"}
        </button>
      </div>
      <div id="add-endpoint-result" className="mt-1.5 min-h-5 text-sm">
        {add.isError ? (
          <p role="alert" data-testid="add-endpoint-error" className="text-red-600 dark:text-red-400">
            {describeError(add.error)}
          </p>
        ) : added !== null ? (
          <p role="status" data-testid="add-endpoint-added" className="text-emerald-700 dark:text-emerald-400">
            ✓ Added <EscapedText text={added} />: this browser now holds its key.
          </p>
        ) : (
          <p className="text-zinc-500 dark:text-zinc-400">The key stays in this browser as a cookie; scripts on the page cannot read it.</p>
        )}
      </div>
    </form>
  );
}
