"use client";
// A capture's deliveries, newest first: resends, forward attempts (one row per attempt, so
// retries show) and CLI forwards. Each row: outcome, status, target, timing, why it failed;
// expands to the request as sent and the response (headers, capped body). Text only.
import { useState } from "react";
import { formatBytes } from "@/lib/shared/format/bytes";
import { buttonClass } from "@/components/ui/button-styles";
import { RelativeTime } from "@/components/ui/relative-time";
import { describeError } from "@/lib/browser/query/api";
import { useDeliveries } from "@/lib/browser/query/deliveries";
import type { TDelivery, TDeliveryBody } from "@/lib/shared/validation/deliveries";

const KIND_LABEL: Record<TDelivery["kind"], string> = { resend: "Resend", forward: "Forward", cli: "CLI forward" };

const TONE: Record<TDelivery["outcome"], string> = {
  succeeded: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  retrying: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
};

function ms(n: number): string {
  return n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(n < 10_000 ? 2 : 1)} s`;
}

/** The outcome in one line: badge, status or error code, time. */
export function DeliveryOutcome({ delivery: d }: { delivery: TDelivery }) {
  return (
    <span className="flex min-w-0 items-center gap-2">
      <span data-testid="delivery-outcome" className={`shrink-0 rounded px-1.5 py-0.5 text-[11px] font-semibold ${TONE[d.outcome]}`}>
        {d.response ? d.response.status : d.outcome === "retrying" ? "retry" : "error"}
      </span>
      <span className="shrink-0 text-zinc-500">
        {d.outcome === "succeeded" ? "delivered" : d.outcome === "retrying" ? "will retry" : "failed"}
      </span>
      {d.error && (
        <span className="min-w-0 truncate font-mono text-[11px] text-red-700 dark:text-red-300" title={d.error.message}>
          {d.error.code}
        </span>
      )}
      <span className="ml-auto shrink-0 text-zinc-500 tabular-nums">{ms(d.durationMs)}</span>
    </span>
  );
}

export function DeliveryList({ captureId }: { captureId: string }) {
  const q = useDeliveries(captureId);
  if (q.isPending) return null;
  if (q.isError) {
    return (
      <p role="alert" className="mt-5 text-xs text-red-600 dark:text-red-400">
        Could not load deliveries: {describeError(q.error)}
      </p>
    );
  }
  return (
    <section data-testid="delivery-list" aria-label="Deliveries" className="mt-5">
      <h3 className="mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
        Deliveries {q.deliveries.length ? `(${q.deliveries.length}${q.hasNextPage ? "+" : ""})` : ""}
      </h3>
      {q.deliveries.length === 0 ? (
        <p className="text-xs text-zinc-500">
          Not sent anywhere yet. Resend it, add a forward rule in Settings, or forward to your own machine with the CLI (Settings →
          Forwarding).
        </p>
      ) : (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {q.deliveries.map((d) => (
            <DeliveryRow key={d.id} delivery={d} />
          ))}
        </ul>
      )}
      {q.hasNextPage && (
        <button
          type="button"
          className={buttonClass("ghost", "mt-2", "sm")}
          disabled={q.isFetchingNextPage}
          onClick={() => void q.fetchNextPage()}
        >
          Older deliveries
        </button>
      )}
    </section>
  );
}

function DeliveryRow({ delivery: d }: { delivery: TDelivery }) {
  const [open, setOpen] = useState(false);
  return (
    <li data-testid="delivery-row" data-kind={d.kind} data-outcome={d.outcome} data-status={d.response?.status ?? ""} className="text-xs">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex w-full flex-col gap-1 px-3 py-2 text-left hover:bg-zinc-50 dark:hover:bg-zinc-900/60"
      >
        <DeliveryOutcome delivery={d} />
        <span className="flex min-w-0 items-center gap-2 text-zinc-600 dark:text-zinc-400">
          <span className="shrink-0 font-medium">
            {KIND_LABEL[d.kind]}
            {d.kind === "forward" ? ` · attempt ${d.attempt}` : ""}
          </span>
          <span className="shrink-0 font-mono">{d.request.method}</span>
          <span className="min-w-0 truncate font-mono" title={d.request.url}>
            {d.request.url}
          </span>
          <RelativeTime iso={d.createdAt} className="ml-auto shrink-0 tabular-nums" />
        </span>
      </button>
      {open && <DeliveryDetail delivery={d} />}
    </li>
  );
}

function Headers({ headers }: { headers: [string, string][] }) {
  if (!headers.length) return <p className="text-zinc-500">No headers.</p>;
  return (
    <dl className="grid grid-cols-[minmax(6rem,auto)_1fr] gap-x-3 font-mono text-[11px]">
      {headers.map(([n, v], i) => (
        <div key={i} className="contents">
          <dt className="text-zinc-500">{n}</dt>
          <dd className="break-all">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Body({ body, what }: { body: TDeliveryBody; what: "request" | "response" }) {
  if (body.sameAsCapture) return <p className="text-zinc-500">The capture&apos;s body, byte for byte ({formatBytes(body.size)}).</p>;
  if (body.size === 0) return <p className="text-zinc-500">No body.</p>;
  return (
    <>
      <p className="text-zinc-500">
        {formatBytes(body.size)}
        {body.truncated && what === "response" ? "; only the start was kept" : ""}
        {body.text === null && body.base64 !== null ? "; not UTF-8 text, shown as base64" : ""}
      </p>
      {(body.text ?? body.base64) !== null && (
        <pre
          data-testid={`delivery-${what}-body`}
          className="mt-1 max-h-64 overflow-auto rounded bg-zinc-50 p-2 font-mono text-[11px] break-all whitespace-pre-wrap dark:bg-zinc-900"
        >
          {body.text ?? body.base64}
        </pre>
      )}
    </>
  );
}

function DeliveryDetail({ delivery: d }: { delivery: TDelivery }) {
  return (
    <div
      data-testid="delivery-detail"
      className="space-y-3 border-t border-zinc-100 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-950"
    >
      {d.error && (
        <p className="text-red-700 dark:text-red-300">
          <span className="font-mono">{d.error.code}</span>: {d.error.message}
        </p>
      )}
      <p className="text-zinc-500">
        {new Date(d.createdAt).toLocaleString()} · total {ms(d.durationMs)}
        {d.firstByteMs !== null ? ` · first byte ${ms(d.firstByteMs)}` : ""}
        {d.request.resignedScheme ? ` · re-signed (${d.request.resignedScheme})` : ""}
      </p>
      {d.redirects.length > 0 && (
        <div>
          <h4 className="font-semibold">Redirects</h4>
          <ol className="list-decimal pl-5 font-mono text-[11px]">
            {d.redirects.map((r, i) => (
              <li key={i} className="break-all">
                {r.status} → {r.url}
              </li>
            ))}
          </ol>
        </div>
      )}
      <div>
        <h4 className="mb-1 font-semibold">
          Request <span className="font-mono font-normal">{d.request.method}</span>{" "}
          <span className="font-mono font-normal break-all">{d.request.url}</span>
        </h4>
        <Headers headers={d.request.headers} />
        <div className="mt-1">
          <Body body={d.request.body} what="request" />
        </div>
      </div>
      <div>
        <h4 className="mb-1 font-semibold">
          Response{" "}
          {d.response && (
            <span className="font-normal">
              {d.response.status} {d.response.statusText}
              {d.response.remoteAddress ? ` from ${d.response.remoteAddress}` : ""}
            </span>
          )}
        </h4>
        {d.response ? (
          <>
            <Headers headers={d.response.headers} />
            <div className="mt-1">
              <Body body={d.response.body} what="response" />
            </div>
          </>
        ) : (
          <p className="text-zinc-500">No response.</p>
        )}
      </div>
    </div>
  );
}
