"use client";
// The main pane of an endpoint with no captures yet: the capture URL, requests to paste into a
// terminal, where the URL goes in Stripe and GitHub, and "Send test event". Commands are shown
// as written, the URL on a line of its own (`white-space: pre`, scrolling sideways when too wide) so no URL or token is ever
// broken across lines. The first capture opens by itself (follow newest), so nothing here says
// where the list is: on a phone it is above, on a wide screen beside.
import { SendTestEventButton } from "@/components/signature";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";

/** POSIX shell single-quoting. */
const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function sampleRequests(captureUrl: string): { json: string; form: string } {
  return {
    json: `curl -X POST \\\n  ${q(captureUrl)} \\\n  -H 'Content-Type: application/json' \\\n  -d '{"event":"order.paid","amount":4200}'`,
    form: `curl -X POST \\\n  ${q(captureUrl)} \\\n  -d 'name=Ada Lovelace' \\\n  -d 'email=ada@example.com'`,
  };
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || host.startsWith("127.");
  } catch {
    return false;
  }
}

export function EmptyEndpoint({ endpoint, onTestCaptured }: { endpoint: TEndpoint; onTestCaptured: (captureId: string) => void }) {
  const { captureUrl } = endpoint;
  const samples = sampleRequests(captureUrl);
  return (
    <div data-testid="endpoint-empty" className="mx-auto max-w-3xl px-4 py-6 text-sm sm:px-8 sm:py-10">
      <h2 className="text-lg font-semibold">Waiting for the first request</h2>
      <p className="mt-1 text-zinc-600 dark:text-zinc-400">
        Send any HTTP request to this URL: it is stored exactly as sent and opens here the moment it arrives.
      </p>

      <div className="mt-4 flex min-w-0 flex-wrap items-center justify-end gap-2 rounded-md border border-zinc-200 bg-zinc-50 p-2 dark:border-zinc-800 dark:bg-zinc-900">
        <code
          tabIndex={0}
          data-testid="empty-capture-url"
          className="max-w-full min-w-0 flex-1 basis-72 overflow-x-auto px-1 font-mono text-sm whitespace-pre"
        >
          {captureUrl}
        </code>
        <ClipboardButton text={captureUrl} label="Copy URL" copiedMessage="Copied the capture URL" size="sm" testId="empty-copy-url" />
      </div>
      {endpoint.alias !== null && (
        <p data-testid="empty-slug-url" className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          Also answers at <code className="font-mono break-all">{endpoint.slugUrl}</code>, its random URL.
        </p>
      )}
      {isLoopback(captureUrl) && (
        <p className="mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          This URL is on this machine, so services on the internet cannot reach it; curl and local apps can. Set{" "}
          <code className="font-mono">PUBLIC_BASE_URL</code> to a public address for Stripe or GitHub.
        </p>
      )}

      <h3 className="mt-6 font-medium">Try it from a terminal</h3>
      <Sample title="JSON" text={samples.json} testId="sample-json" copyLabel="Copy JSON example" />
      <Sample title="Form post" text={samples.form} testId="sample-form" copyLabel="Copy form example" />

      <h3 className="mt-6 font-medium">Or point a provider at it</h3>
      <dl className="mt-2 space-y-2 text-zinc-700 dark:text-zinc-300">
        <div>
          <dt className="font-medium">Stripe</dt>
          <dd>
            Developers → Webhooks → <strong className="font-medium">Add endpoint</strong>; paste the URL as the endpoint URL and pick the
            events.
          </dd>
        </div>
        <div>
          <dt className="font-medium">GitHub</dt>
          <dd>
            Repository Settings → Webhooks → <strong className="font-medium">Add webhook</strong>; paste the URL as the payload URL and set
            the content type to <code className="font-mono">application/json</code>.
          </dd>
        </div>
      </dl>

      <div className="mt-6 flex flex-wrap items-center gap-3">
        <SendTestEventButton endpoint={endpoint} onCaptured={onTestCaptured} />
        <span className="text-zinc-600 dark:text-zinc-400">A realistic, signed sample event from Stripe, GitHub and others.</span>
      </div>
    </div>
  );
}

function Sample({ title, text, testId, copyLabel }: { title: string; text: string; testId: string; copyLabel: string }) {
  return (
    <figure className="mt-3">
      <figcaption className="flex items-center justify-between gap-2 text-xs text-zinc-600 dark:text-zinc-400">
        {title}
        <ClipboardButton text={text} label={copyLabel} copiedMessage={`Copied: ${title.toLowerCase()} example`} size="sm" variant="ghost" />
      </figcaption>
      <pre
        tabIndex={0}
        data-testid={testId}
        className="mt-1 overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-xs whitespace-pre dark:bg-zinc-900"
      >
        {text}
      </pre>
    </figure>
  );
}
