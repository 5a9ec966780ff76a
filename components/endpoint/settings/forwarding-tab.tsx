"use client";
// Settings tab: forward rules. Every new capture that matches an enabled rule (method, path
// prefix) is queued and sent to its target by a server worker, with retries; each attempt shows in
// the capture's delivery list. A rule may re-sign each request with a test secret (the scheme read
// from the capture's headers, or chosen), so a handler configured with a test secret accepts
// forwarded production events. The form validates with ZCreateForwardRuleRequest, the schema the
// API uses, so the messages are the server's own. The rules' counts follow the live stream: each
// arrival refreshes them (queued at once, sent a moment later), besides the steady poll.
import { npxCommand } from "@/lib/shared/cli/package-url";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { showToast } from "@/components/ui/toaster";
import { ApiError, describeError, type TFieldIssue } from "@/lib/browser/query/api";
import {
  deliveryKeys,
  useCreateForwardRule,
  useDeleteForwardRule,
  useRetryFailedForwards,
  useForwardRules,
  useUpdateForwardRule,
} from "@/lib/browser/query/deliveries";
import { onArrivals } from "@/lib/browser/query/live-arrivals";
import {
  MAX_FORWARD_ATTEMPTS,
  MAX_FORWARD_RULES_PER_ENDPOINT,
  ZCreateForwardRuleRequest,
  type TCreateForwardRuleRequest,
  type TForwardRule,
} from "@/lib/shared/validation/forward-rules";
import { Field, FieldError, SETTINGS_INPUT } from "../../ui/fields";
import { ResignFields } from "@/components/signature/resign-fields";
import type { TSecretScheme } from "@/lib/shared/validation/signatures";
import type { SettingsTabProps } from "./settings-tab";

interface TRuleForm {
  targetUrl: string;
  method: string;
  pathPrefix: string;
  maxAttempts: string;
  followRedirects: boolean;
  /** Re-sign with a test secret (generic HMAC rules need options: API only). */
  resign: boolean;
  resignScheme: TSecretScheme;
  resignSecret: string;
}

const EMPTY: TRuleForm = {
  targetUrl: "",
  method: "",
  pathPrefix: "",
  maxAttempts: "",
  followRedirects: false,
  resign: false,
  resignScheme: "auto",
  resignSecret: "",
};

type TErrors = Record<string, string>;

function errorsFrom(issues: readonly TFieldIssue[]): TErrors {
  const out: TErrors = {};
  for (const i of issues) {
    const key = ["targetUrl", "method", "pathPrefix", "maxAttempts", "resign"].includes(i.path[0] ?? "") ? i.path[0]! : "form";
    out[key] ??= i.message;
  }
  return out;
}

/** The form as an API request, checked with the API's schema. */
export function ruleRequestFromForm(f: TRuleForm): { ok: true; request: TCreateForwardRuleRequest } | { ok: false; errors: TErrors } {
  const errors: TErrors = {};
  let maxAttempts: number | null = null;
  if (f.maxAttempts.trim() !== "") {
    maxAttempts = Number(f.maxAttempts);
    if (!Number.isFinite(maxAttempts)) errors.maxAttempts = `Max attempts must be a number, 1–${MAX_FORWARD_ATTEMPTS}`;
  }
  const request: TCreateForwardRuleRequest = {
    targetUrl: f.targetUrl,
    method: f.method.trim() || null,
    pathPrefix: f.pathPrefix.trim() || null,
    maxAttempts,
    followRedirects: f.followRedirects,
    enabled: true,
  };
  if (f.resign) request.resign = { scheme: f.resignScheme, secret: f.resignSecret };
  const r = ZCreateForwardRuleRequest.safeParse(request);
  if (!r.success) Object.assign(errors, errorsFrom(r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }))));
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, request };
}

/** After an arrival, the counts are asked again now (queued) and once more when it has likely been sent. */
const SENT_RECHECK_MS = 1000;

function useCountsFollowArrivals(endpointId: string) {
  const qc = useQueryClient();
  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const refresh = () => void qc.invalidateQueries({ queryKey: deliveryKeys.rules(endpointId) });
    const off = onArrivals((a) => {
      if (a.endpointId !== endpointId || a.kind !== "captures") return;
      refresh();
      const t = setTimeout(() => {
        timers.delete(t);
        refresh();
      }, SENT_RECHECK_MS);
      timers.add(t);
    });
    return () => {
      off();
      timers.forEach(clearTimeout);
    };
  }, [qc, endpointId]);
}

export function ForwardingTab({ endpoint }: SettingsTabProps) {
  const rules = useForwardRules(endpoint.id);
  useCountsFollowArrivals(endpoint.id);
  const create = useCreateForwardRule(endpoint.id);
  const [form, setForm] = useState<TRuleForm>(EMPTY);
  const [errors, setErrors] = useState<TErrors>({});
  const set = <K extends keyof TRuleForm>(k: K, v: TRuleForm[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = ruleRequestFromForm(form);
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    create.mutate(r.request, {
      onSuccess: () => {
        setForm(EMPTY);
        showToast("Forward rule added");
      },
      onError: (err) => setErrors(err instanceof ApiError && err.issues.length ? errorsFrom(err.issues) : { form: describeError(err) }),
    });
  };

  const list = rules.data ?? [];
  return (
    <div className="space-y-4 text-sm" data-testid="forwarding-tab">
      <p className="text-xs text-zinc-500">
        Every new capture that matches an enabled rule is sent to its target by the server, byte for byte (headers as received, minus Host
        and hop-by-hop ones; the capture&apos;s path and query are appended to the target). Network errors, timeouts and 5xx are retried
        with backoff.
      </p>
      <ForwardToLocalhost captureUrl={endpoint.captureUrl} />

      {rules.isError && <FieldError>Could not load forward rules: {describeError(rules.error)}</FieldError>}
      {list.length > 0 && (
        <ul className="divide-y divide-zinc-100 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-700">
          {list.map((r) => (
            <RuleRow key={r.id} endpointId={endpoint.id} rule={r} />
          ))}
        </ul>
      )}

      {list.length < MAX_FORWARD_RULES_PER_ENDPOINT && (
        <form
          onSubmit={submit}
          noValidate
          className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-700"
          data-testid="forward-rule-form"
        >
          <h3 className="font-medium">Add a forward rule</h3>
          <Field id="fwd-target" label="Target URL" error={errors.targetUrl}>
            <input
              id="fwd-target"
              className={`${SETTINGS_INPUT} font-mono`}
              placeholder="https://example.com/webhooks"
              value={form.targetUrl}
              onChange={(e) => set("targetUrl", e.target.value)}
              aria-invalid={Boolean(errors.targetUrl)}
              data-testid="forward-target"
            />
          </Field>
          <div className="grid grid-cols-3 gap-2">
            <Field id="fwd-method" label="Method" error={errors.method} hint="Empty: any">
              <input
                id="fwd-method"
                className={`${SETTINGS_INPUT} font-mono`}
                placeholder="POST"
                value={form.method}
                onChange={(e) => set("method", e.target.value)}
                aria-invalid={Boolean(errors.method)}
                data-testid="forward-method"
              />
            </Field>
            <Field id="fwd-path" label="Path prefix" error={errors.pathPrefix} hint="Empty: any path">
              <input
                id="fwd-path"
                className={`${SETTINGS_INPUT} font-mono`}
                placeholder="/stripe"
                value={form.pathPrefix}
                onChange={(e) => set("pathPrefix", e.target.value)}
                aria-invalid={Boolean(errors.pathPrefix)}
                data-testid="forward-path"
              />
            </Field>
            <Field id="fwd-attempts" label="Max attempts" error={errors.maxAttempts} hint="Empty: server default">
              <input
                id="fwd-attempts"
                inputMode="numeric"
                className={SETTINGS_INPUT}
                value={form.maxAttempts}
                onChange={(e) => set("maxAttempts", e.target.value)}
                aria-invalid={Boolean(errors.maxAttempts)}
                data-testid="forward-attempts"
              />
            </Field>
          </div>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={form.followRedirects} onChange={(e) => set("followRedirects", e.target.checked)} />
            Follow redirects (each hop is checked again)
          </label>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={form.resign} onChange={(e) => set("resign", e.target.checked)} data-testid="forward-resign" />
            Re-sign with a test secret (for a handler that verifies with its test secret)
          </label>
          {form.resign && (
            <ResignFields
              scheme={form.resignScheme}
              secret={form.resignSecret}
              error={errors.resign}
              onScheme={(v) => set("resignScheme", v)}
              onSecret={(v) => set("resignSecret", v)}
              testId="forward-resign"
            />
          )}
          {errors.form && <FieldError>{errors.form}</FieldError>}
          <div className="flex justify-end">
            <button type="submit" className={buttonClass("primary")} disabled={create.isPending} data-testid="forward-add">
              Add rule
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function RuleRow({ endpointId, rule: r }: { endpointId: string; rule: TForwardRule }) {
  const update = useUpdateForwardRule(endpointId);
  const remove = useDeleteForwardRule(endpointId);
  const retry = useRetryFailedForwards(endpointId);
  const filters = [r.method ?? "any method", r.pathPrefix ? `path starts ${r.pathPrefix}` : "any path"].join(" · ");
  return (
    <li data-testid="forward-rule" data-enabled={r.enabled} className="flex items-center gap-3 px-3 py-2">
      <label className="flex shrink-0 items-center" title={r.enabled ? "On: new captures are forwarded" : "Off"}>
        <input
          type="checkbox"
          role="switch"
          aria-label={`Forward to ${r.targetUrl}`}
          checked={r.enabled}
          disabled={update.isPending}
          onChange={(e) =>
            update.mutate(
              { id: r.id, enabled: e.target.checked },
              { onError: (err) => showToast(`Could not change the rule: ${describeError(err)}`, "error") },
            )
          }
          data-testid="forward-rule-toggle"
        />
      </label>
      <div className="min-w-0 flex-1">
        <p className="truncate font-mono text-xs" title={r.targetUrl}>
          {r.targetUrl}
        </p>
        <p className="text-xs text-zinc-500">
          {filters} · up to {r.effectiveMaxAttempts} {r.effectiveMaxAttempts === 1 ? "attempt" : "attempts"}
          {r.followRedirects ? " · follows redirects" : ""}
          {r.resign ? ` · re-signs (${r.resign.scheme}, ${r.resign.hint})` : ""}
        </p>
        <p className="text-xs text-zinc-500 tabular-nums" data-testid="forward-rule-counts">
          {r.counts.delivered} delivered · {r.counts.pending} pending · {r.counts.failed} failed
        </p>
      </div>
      {r.counts.failed > 0 && (
        <button
          type="button"
          className={buttonClass("secondary", "", "sm")}
          disabled={retry.isPending}
          onClick={() =>
            retry.mutate(r.id, {
              onSuccess: ({ requeued, enabled }) =>
                showToast(
                  `${requeued.toLocaleString("en")} failed ${requeued === 1 ? "capture" : "captures"} queued again` +
                    (enabled ? "" : ": the rule is off, switch it on to send them"),
                ),
              onError: (err) => showToast(`Could not retry: ${describeError(err)}`, "error"),
            })
          }
          data-testid="forward-rule-retry"
        >
          Retry {r.counts.failed.toLocaleString("en")} failed
        </button>
      )}
      <button
        type="button"
        className={buttonClass("dangerGhost", "", "sm")}
        disabled={remove.isPending}
        onClick={() =>
          remove.mutate(r.id, {
            onSuccess: () => showToast("Forward rule removed"),
            onError: (err) => showToast(`Could not remove the rule: ${describeError(err)}`, "error"),
          })
        }
        data-testid="forward-rule-delete"
      >
        Remove
      </button>
    </li>
  );
}

/** The CLI command that forwards to the user's own machine, served by this instance (no clone, no registry). */
function ForwardToLocalhost({ captureUrl }: { captureUrl: string }) {
  const command = npxCommand(window.location.origin, `forward ${captureUrl} --to http://localhost:3000/webhooks --key "$HOOKSCOPE_KEY"`);
  return (
    <div className="rounded-md border border-zinc-200 p-3 dark:border-zinc-700" data-testid="forward-cli">
      <p className="mb-2 text-xs text-zinc-600 dark:text-zinc-400">
        To your own machine (the server never needs to reach it): run this where your handler runs, with the endpoint&apos;s management key
        in <code className="font-mono">HOOKSCOPE_KEY</code> and your handler&apos;s URL after <code className="font-mono">--to</code>.
      </p>
      <div className="flex items-start gap-2">
        <pre
          tabIndex={0}
          aria-label="hookscope forward command"
          className="min-w-0 flex-1 overflow-x-auto rounded bg-zinc-50 px-2 py-1.5 font-mono text-xs whitespace-pre dark:bg-zinc-900"
        >
          {command}
        </pre>
        <ClipboardButton text={command} label="Copy" copiedMessage="Copied command" size="sm" testId="forward-cli-copy" />
      </div>
    </div>
  );
}
