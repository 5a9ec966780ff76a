"use client";
// A new replay run: which captures (the search, marked rows, or an event type), the target, the
// checks and the options; and the same run as a CLI command for CI. The server validates: its
// field messages show under the form.
import { useId, useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { Field, FieldError, SETTINGS_INPUT } from "@/components/ui/fields";
import { describeError, ApiError } from "@/lib/browser/query/api";
import { useStartReplayRun } from "@/lib/browser/query/replay-runs";
import { useSigningSecrets } from "@/lib/browser/query/signature-secrets";
import { npxCommand } from "@/lib/shared/cli/package-url";
import type { TEndpoint } from "@/lib/shared/validation/endpoints";
import {
  DEFAULT_RUN_CONCURRENCY,
  MAX_RUN_CONCURRENCY,
  type TCreateReplayRunRequest,
  type TReplaySelection,
} from "@/lib/shared/validation/replay";

type TChoice = "query" | "ids" | "type";

/** "Name: value" lines → pairs; blank lines skipped. */
export function parseHeaderLines(text: string): [string, string][] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(":");
      return i < 0 ? [l, ""] : [l.slice(0, i).trim(), l.slice(i + 1).trim()];
    });
}

const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

/** The request's field paths in the form's words. */
const FIELD_NAMES: Record<string, string> = {
  targetUrl: "Target URL",
  "selection.query": "Search",
  "selection.type": "Event type",
  "checks.status": "Expected status",
  "checks.maxLatencyMs": "Max latency",
  "options.concurrency": "Concurrency",
  "options.ratePerSecond": "Rate",
  "options.setHeaders": "Set headers",
  "options.removeHeaders": "Remove headers",
};

function fieldName(path: string): string {
  return Object.entries(FIELD_NAMES).find(([k]) => path === k || path.startsWith(`${k}.`))?.[1] ?? path;
}

/** Shell single-quoting. */
const q = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export function NewRunForm({
  endpoint,
  search,
  markedIds,
  onStarted,
}: {
  endpoint: TEndpoint;
  search: string | null;
  markedIds: string[];
  onStarted: (runId: string) => void;
}) {
  const id = useId();
  const start = useStartReplayRun(endpoint.id);
  const secrets = useSigningSecrets(endpoint.id);
  const [choice, setChoice] = useState<TChoice>(markedIds.length > 0 ? "ids" : "query");
  const [query, setQuery] = useState(search ?? "");
  const [type, setType] = useState("");
  const [target, setTarget] = useState("");
  const [expect, setExpect] = useState("2xx");
  const [jsonPath, setJsonPath] = useState("");
  const [jsonEquals, setJsonEquals] = useState("");
  const [latency, setLatency] = useState("");
  const [concurrency, setConcurrency] = useState(String(DEFAULT_RUN_CONCURRENCY));
  const [rate, setRate] = useState("");
  const [setHeaders, setSetHeaders] = useState("");
  const [removeHeaders, setRemoveHeaders] = useState("");
  const [secretId, setSecretId] = useState("");

  const selection: TReplaySelection =
    choice === "ids" ? { kind: "ids", ids: markedIds } : choice === "type" ? { kind: "type", type } : { kind: "query", query };
  const request: TCreateReplayRunRequest = {
    selection,
    targetUrl: target,
    options: {
      concurrency: Number(concurrency) || DEFAULT_RUN_CONCURRENCY,
      ratePerSecond: rate.trim() ? Number(rate) : null,
      setHeaders: parseHeaderLines(setHeaders),
      removeHeaders: list(removeHeaders),
      resign: secretId ? { secretId } : null,
    },
    checks: {
      status: list(expect),
      json: jsonPath.trim() ? [{ path: jsonPath.trim(), equals: jsonEquals }] : [],
      maxLatencyMs: latency.trim() ? Number(latency) : null,
    },
  };
  const err = start.error;
  const issues = err instanceof ApiError ? err.issues : [];
  const cliQuery = choice === "type" ? `type:${type}` : choice === "query" ? query : "";
  const command = npxCommand(
    typeof window === "undefined" ? "" : window.location.origin,
    `replay --endpoint ${endpoint.captureUrl}${cliQuery.trim() ? ` --query ${q(cliQuery.trim())}` : ""} --to ${q(target.trim() || "http://localhost:3000/webhooks")} --expect ${list(expect).join(",") || "2xx"} --key "$HOOKSCOPE_KEY"`,
  );

  return (
    <form
      data-testid="replay-form"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        start.mutate(request, { onSuccess: (run) => onStarted(run.id) });
      }}
    >
      <fieldset className="space-y-2">
        <legend className="mb-1 font-medium">Captures</legend>
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-sel`} checked={choice === "query"} onChange={() => setChoice("query")} />
          Matching a search
        </label>
        {choice === "query" && (
          <input
            aria-label="Search query"
            data-testid="replay-query"
            className={`${SETTINGS_INPUT} font-mono`}
            value={query}
            placeholder="empty: every capture · e.g. type:invoice.* after:1d method:POST"
            onChange={(e) => setQuery(e.target.value)}
          />
        )}
        <label className="flex items-center gap-2">
          <input type="radio" name={`${id}-sel`} checked={choice === "type"} onChange={() => setChoice("type")} />
          One event type
        </label>
        {choice === "type" && (
          <input
            aria-label="Event type"
            className={`${SETTINGS_INPUT} font-mono`}
            value={type}
            placeholder="invoice.paid or invoice.*"
            onChange={(e) => setType(e.target.value)}
          />
        )}
        {markedIds.length > 0 && (
          <label className="flex items-center gap-2">
            <input type="radio" name={`${id}-sel`} checked={choice === "ids"} onChange={() => setChoice("ids")} />
            The {markedIds.length} marked capture{markedIds.length === 1 ? "" : "s"}
          </label>
        )}
        <p className="text-xs text-zinc-500">
          Sent in the order received (oldest first). The set is fixed when the run starts, at most 10,000.
        </p>
      </fieldset>

      <Field id={`${id}-target`} label="Target URL" hint="Sent from this server, through the same address rules as Resend.">
        <input
          id={`${id}-target`}
          data-testid="replay-target"
          className={`${SETTINGS_INPUT} font-mono`}
          value={target}
          required
          placeholder="https://staging.example.com/webhooks"
          onChange={(e) => setTarget(e.target.value)}
        />
      </Field>

      <div className="grid gap-3 sm:grid-cols-3">
        <Field id={`${id}-expect`} label="Expected status" hint="Classes or codes, e.g. 2xx,409">
          <input
            id={`${id}-expect`}
            data-testid="replay-expect"
            className={`${SETTINGS_INPUT} font-mono`}
            value={expect}
            onChange={(e) => setExpect(e.target.value)}
          />
        </Field>
        <Field id={`${id}-json`} label="JSON path equals (optional)" hint="In the answer's body">
          <div className="flex gap-1">
            <input
              id={`${id}-json`}
              aria-label="JSON path"
              className={`${SETTINGS_INPUT} font-mono`}
              value={jsonPath}
              placeholder="received"
              onChange={(e) => setJsonPath(e.target.value)}
            />
            <input
              aria-label="Equals"
              className={`${SETTINGS_INPUT} font-mono`}
              value={jsonEquals}
              placeholder="true"
              onChange={(e) => setJsonEquals(e.target.value)}
            />
          </div>
        </Field>
        <Field id={`${id}-latency`} label="Max latency, ms (optional)">
          <input
            id={`${id}-latency`}
            inputMode="numeric"
            className={SETTINGS_INPUT}
            value={latency}
            onChange={(e) => setLatency(e.target.value)}
          />
        </Field>
      </div>

      <details className="rounded-md border border-zinc-200 p-3 dark:border-zinc-700">
        <summary className="cursor-pointer font-medium">Options: concurrency, rate, headers, re-sign</summary>
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <Field id={`${id}-conc`} label="Concurrency" hint={`1–${MAX_RUN_CONCURRENCY}; 1 keeps the order exactly`}>
            <input
              id={`${id}-conc`}
              type="number"
              min={1}
              max={MAX_RUN_CONCURRENCY}
              className={SETTINGS_INPUT}
              value={concurrency}
              onChange={(e) => setConcurrency(e.target.value)}
            />
          </Field>
          <Field id={`${id}-rate`} label="Rate, per second (optional)">
            <input
              id={`${id}-rate`}
              inputMode="decimal"
              className={SETTINGS_INPUT}
              value={rate}
              onChange={(e) => setRate(e.target.value)}
            />
          </Field>
          <Field id={`${id}-set`} label="Set headers" hint="One per line: Name: value">
            <textarea
              id={`${id}-set`}
              rows={2}
              className={`${SETTINGS_INPUT} font-mono`}
              value={setHeaders}
              onChange={(e) => setSetHeaders(e.target.value)}
            />
          </Field>
          <Field id={`${id}-remove`} label="Remove headers" hint="Names, comma-separated">
            <input
              id={`${id}-remove`}
              className={`${SETTINGS_INPUT} font-mono`}
              value={removeHeaders}
              onChange={(e) => setRemoveHeaders(e.target.value)}
            />
          </Field>
          <Field id={`${id}-resign`} label="Re-sign with" hint="A signing secret of this endpoint (Settings › Secrets)">
            <select id={`${id}-resign`} className={SETTINGS_INPUT} value={secretId} onChange={(e) => setSecretId(e.target.value)}>
              <option value="">Don&apos;t re-sign (send the captured signature)</option>
              {secrets.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label} ({s.scheme})
                </option>
              ))}
            </select>
          </Field>
        </div>
      </details>

      {err && (
        // The server's message; with field issues, each under its own name (targetUrl, options.concurrency…).
        <div role="alert" data-testid="replay-error">
          {issues.length === 0 ? (
            <FieldError>{describeError(err)}</FieldError>
          ) : (
            issues.map((i) => (
              <FieldError key={i.path.join(".")}>
                {fieldName(i.path.join("."))}: {i.message}
              </FieldError>
            ))
          )}
        </div>
      )}
      <div className="flex justify-end">
        <button type="submit" className={buttonClass("primary")} disabled={start.isPending} data-testid="replay-start">
          {start.isPending ? "Starting…" : "Start run"}
        </button>
      </div>

      <div className="rounded-md border border-zinc-200 p-3 dark:border-zinc-700" data-testid="replay-cli">
        <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
          From CI, or to a handler on your own machine: the same run with the CLI this instance serves (the endpoint&apos;s management key
          in <code className="font-mono">HOOKSCOPE_KEY</code>). It exits non-zero when a check fails.
        </p>
        <div className="flex items-start gap-2">
          <pre
            tabIndex={0}
            aria-label="hookscope replay command"
            className="min-w-0 flex-1 overflow-x-auto rounded bg-zinc-50 px-2 py-1.5 font-mono text-xs whitespace-pre dark:bg-zinc-900"
          >
            {command}
          </pre>
          <ClipboardButton text={command} label="Copy" copiedMessage="Copied command" size="sm" testId="replay-cli-copy" />
        </div>
      </div>
    </form>
  );
}
