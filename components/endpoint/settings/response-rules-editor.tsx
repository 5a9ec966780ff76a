"use client";
// Settings → Response, below the endpoint's own answer: the response rules (first match wins),
// each with its conditions, its answer and failure on purpose; saved as one list through
// PUT /api/endpoints/:id/response-rules, and tried against a stored capture by its number.
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { FormFooter, type TFormFooterStatus } from "@/components/ui/form-footer";
import { ApiError, describeError } from "@/lib/browser/query/api";
import { usePutResponseRules, useResponseRules, useTryResponseRules } from "@/lib/browser/query/response-rules";
import { describeRuleFailure } from "@/lib/shared/format/rule-failure";
import type { TResponseRule } from "@/lib/shared/validation/response-rules";
import { MAX_SLOW_DELAY_MS } from "@/lib/shared/validation/response-rules";
import { FieldError, SETTINGS_INPUT } from "../../ui/fields";
import {
  errorsFromIssues,
  formFromRule,
  newCondition,
  newRuleForm,
  rulesFromForm,
  type TConditionForm,
  type TConditionKind,
  type TRuleErrors,
  type TRuleForm,
} from "./response-rules-form";

const CONDITION_LABELS: Record<TConditionKind, string> = {
  query: "Query parameter",
  headerPresent: "Header is present",
  headerEquals: "Header equals",
  headerRegex: "Header matches regex",
  jsonEquals: "JSON body path equals",
  jsonExists: "JSON body path exists",
  contains: "Body contains text",
};

const NAME_PLACEHOLDER: Record<TConditionKind, string> = {
  query: "name",
  headerPresent: "X-Header",
  headerEquals: "X-Header",
  headerRegex: "X-Header",
  jsonEquals: "data.object.status",
  jsonExists: "data.object.id",
  contains: "text to find",
};

const VALUE_PLACEHOLDER: Partial<Record<TConditionKind, string>> = {
  query: "value (empty: present)",
  headerEquals: "value",
  headerRegex: "^sha256=",
  jsonEquals: "paid",
};

export function ResponseRulesEditor({ endpointId }: { endpointId: string }) {
  const rules = useResponseRules(endpointId);
  if (rules.isPending) return <p className="text-sm text-zinc-500">Loading response rules…</p>;
  if (rules.isError) return <FieldError>Response rules could not be loaded: {describeError(rules.error)}</FieldError>;
  return <RulesForm endpointId={endpointId} initial={rules.data.rules} />;
}

function RulesForm({ endpointId, initial }: { endpointId: string; initial: TResponseRule[] }) {
  const put = usePutResponseRules(endpointId);
  const [saved, setSaved] = useState<TRuleForm[]>(() => initial.map(formFromRule));
  const [forms, setForms] = useState<TRuleForm[]>(saved);
  const [errors, setErrors] = useState<TRuleErrors>({});
  const [status, setStatus] = useState<TFormFooterStatus>({ kind: "idle" });
  const dirty = JSON.stringify(strip(forms)) !== JSON.stringify(strip(saved));

  const update = (rowKey: number, patch: Partial<TRuleForm>) =>
    setForms((fs) => fs.map((f) => (f.rowKey === rowKey ? { ...f, ...patch } : f)));
  const move = (index: number, by: -1 | 1) =>
    setForms((fs) => {
      const next = [...fs];
      const [r] = next.splice(index, 1);
      next.splice(index + by, 0, r!);
      return next;
    });

  const submit = () => {
    const r = rulesFromForm(forms);
    if (!r.ok) {
      setErrors(r.errors);
      setStatus({ kind: "error", message: "Fix the highlighted fields; nothing was saved." });
      return;
    }
    setErrors({});
    setStatus({ kind: "idle" });
    put.mutate(r.input, {
      onSuccess: (dto) => {
        const now = dto.rules.map(formFromRule);
        setSaved(now);
        setForms(now);
        setStatus({ kind: "saved" });
      },
      onError: (e) => {
        if (e instanceof ApiError && e.issues.length) setErrors(errorsFromIssues(e.issues, forms));
        setStatus({ kind: "error", message: `Not saved: ${describeError(e)}` });
      },
    });
  };

  return (
    <form
      noValidate
      data-testid="response-rules"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      className="space-y-3 border-t border-zinc-200 pt-4 text-sm dark:border-zinc-800"
    >
      <div>
        <h3 className="font-semibold">Response rules</h3>
        <p className="text-zinc-600 dark:text-zinc-400">
          Checked in order before the answer above; the first rule whose conditions all hold answers instead. A rule wins over a provider
          handshake. Failure on purpose lets you watch a provider retry.
        </p>
      </div>
      {forms.length === 0 && <p className="text-zinc-500">No rules: every request gets the answer above.</p>}
      <ol className="space-y-3">
        {forms.map((f, i) => (
          <RuleCard
            key={f.rowKey}
            form={f}
            index={i}
            count={forms.length}
            errors={errors}
            onChange={(patch) => update(f.rowKey, patch)}
            onMove={(by) => move(i, by)}
            onRemove={() => setForms((fs) => fs.filter((x) => x.rowKey !== f.rowKey))}
          />
        ))}
      </ol>
      <button type="button" className={buttonClass("ghost", "-ml-2")} onClick={() => setForms((fs) => [...fs, newRuleForm()])}>
        + Add rule
      </button>
      {errors.form && <FieldError>{errors.form}</FieldError>}
      <TryAgainstCapture
        endpointId={endpointId}
        forms={forms}
        dirty={dirty}
        onChecked={(errs) => {
          setErrors(errs);
          if (Object.keys(errs).length === 0 && status.kind === "error") setStatus({ kind: "idle" });
        }}
      />
      <FormFooter
        dirty={dirty}
        pending={put.isPending}
        status={status}
        saveLabel="Save rules"
        testId="rules-footer"
        onDiscard={() => {
          setForms(saved);
          setErrors({});
          setStatus({ kind: "idle" });
        }}
      />
    </form>
  );
}

/** Same rules on screen, whatever the row keys. */
function strip(forms: TRuleForm[]) {
  return forms.map(({ rowKey: _r, conditions, ...rest }) => ({ ...rest, conditions: conditions.map(({ rowKey: _c, ...c }) => c) }));
}

function RuleCard({
  form: f,
  index,
  count,
  errors,
  onChange,
  onMove,
  onRemove,
}: {
  form: TRuleForm;
  index: number;
  count: number;
  errors: TRuleErrors;
  onChange: (patch: Partial<TRuleForm>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  const err = (field: string) => errors[`${f.rowKey}.${field}`];
  const input = (
    field: string,
    label: string,
    value: string,
    set: (v: string) => void,
    opts: { placeholder?: string; className?: string } = {},
  ) => (
    <label className={`block ${opts.className ?? ""}`}>
      <span className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</span>
      <input
        aria-label={`Rule ${n} ${label}`}
        value={value}
        placeholder={opts.placeholder}
        onChange={(e) => set(e.target.value)}
        aria-invalid={err(field) ? true : undefined}
        className={SETTINGS_INPUT}
      />
      {err(field) && <FieldError>{err(field)}</FieldError>}
    </label>
  );
  const setCondition = (rowKey: number, patch: Partial<TConditionForm>) =>
    onChange({ conditions: f.conditions.map((c) => (c.rowKey === rowKey ? { ...c, ...patch } : c)) });

  return (
    <li data-testid="rule-card" className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex items-center gap-2">
        <span className="font-mono text-xs text-zinc-500">#{n}</span>
        <input
          aria-label={`Rule ${n} name`}
          placeholder="Name (optional)"
          value={f.name}
          onChange={(e) => onChange({ name: e.target.value })}
          className={`${SETTINGS_INPUT} min-w-0 flex-1 font-medium`}
        />
        <button
          type="button"
          aria-label={`Move rule ${n} up`}
          className={buttonClass("ghost", "", "sm")}
          disabled={index === 0}
          onClick={() => onMove(-1)}
        >
          ↑
        </button>
        <button
          type="button"
          aria-label={`Move rule ${n} down`}
          className={buttonClass("ghost", "", "sm")}
          disabled={index === count - 1}
          onClick={() => onMove(1)}
        >
          ↓
        </button>
        <button type="button" aria-label={`Delete rule ${n}`} className={buttonClass("dangerGhost", "", "sm")} onClick={onRemove}>
          Delete
        </button>
      </div>

      <fieldset className="space-y-2">
        <legend className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">When</legend>
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
          {input("methods", "Methods", f.methods, (v) => onChange({ methods: v }), { placeholder: "any, or POST, PUT" })}
          {input("path", "Path glob", f.path, (v) => onChange({ path: v }), { placeholder: "any, or /orders/**" })}
        </div>
        {f.conditions.map((c, ci) => (
          <div key={c.rowKey} data-testid="rule-condition">
            <div className="flex flex-wrap gap-2 sm:flex-nowrap">
              <select
                aria-label={`Rule ${n} condition ${ci + 1} kind`}
                value={c.kind}
                onChange={(e) => setCondition(c.rowKey, { kind: e.target.value as TConditionKind })}
                className={`${SETTINGS_INPUT} basis-full sm:shrink-0 sm:basis-52`}
              >
                {Object.entries(CONDITION_LABELS).map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
              <input
                aria-label={`Rule ${n} condition ${ci + 1} ${c.kind === "contains" ? "text" : c.kind.startsWith("json") ? "path" : "name"}`}
                placeholder={NAME_PLACEHOLDER[c.kind]}
                value={c.name}
                onChange={(e) => setCondition(c.rowKey, { name: e.target.value })}
                aria-invalid={err(`cond.${c.rowKey}`) ? true : undefined}
                className={`${SETTINGS_INPUT} min-w-0 flex-1 font-mono`}
              />
              {VALUE_PLACEHOLDER[c.kind] !== undefined && (
                <input
                  aria-label={`Rule ${n} condition ${ci + 1} value`}
                  placeholder={VALUE_PLACEHOLDER[c.kind]}
                  value={c.value}
                  onChange={(e) => setCondition(c.rowKey, { value: e.target.value })}
                  aria-invalid={err(`cond.${c.rowKey}`) ? true : undefined}
                  className={`${SETTINGS_INPUT} min-w-0 flex-1 font-mono`}
                />
              )}
              <button
                type="button"
                aria-label={`Remove rule ${n} condition ${ci + 1}`}
                className={buttonClass("ghost")}
                onClick={() => onChange({ conditions: f.conditions.filter((x) => x.rowKey !== c.rowKey) })}
              >
                ✕
              </button>
            </div>
            {err(`cond.${c.rowKey}`) && <FieldError>{err(`cond.${c.rowKey}`)}</FieldError>}
          </div>
        ))}
        <button
          type="button"
          className={buttonClass("ghost", "-ml-2", "sm")}
          onClick={() => onChange({ conditions: [...f.conditions, newCondition()] })}
        >
          + Add condition
        </button>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Answer</legend>
        <p className="text-xs text-zinc-500" data-testid={`rule-${n}-template-hint`}>
          Header values and the body accept Liquid templates, e.g. <code className="font-mono">{"{{ body.id }}"}</code>: method, path,
          query, headers (lower-case names), body (JSON or text), id, seq, now.
        </p>
        <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
          {input("answer.status", "Status", f.status, (v) => onChange({ status: v }))}
          {input("answer.contentType", "Content type", f.contentType, (v) => onChange({ contentType: v }), {
            placeholder: "application/json",
          })}
          {input("answer.delayMs", "Delay (ms)", f.delayMs, (v) => onChange({ delayMs: v }))}
        </div>
        <label className="block">
          <span className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">Headers, one “Name: value” per line</span>
          <textarea
            aria-label={`Rule ${n} headers`}
            rows={2}
            value={f.headers}
            placeholder="X-Env: test"
            onChange={(e) => onChange({ headers: e.target.value })}
            aria-invalid={err("answer.headers") ? true : undefined}
            className={`${SETTINGS_INPUT} font-mono text-xs`}
          />
          {err("answer.headers") && <FieldError>{err("answer.headers")}</FieldError>}
        </label>
        <label className="flex items-center gap-2 text-xs font-medium">
          <input
            type="checkbox"
            aria-label={`Rule ${n} Custom body`}
            checked={f.customBody}
            onChange={(e) => onChange({ customBody: e.target.checked })}
          />
          Custom body (off: the default JSON naming the capture)
        </label>
        {f.customBody && (
          <>
            <textarea
              aria-label={`Rule ${n} body`}
              rows={3}
              value={f.body}
              onChange={(e) => onChange({ body: e.target.value })}
              aria-invalid={err("answer.body") ? true : undefined}
              className={`${SETTINGS_INPUT} font-mono text-xs`}
            />
            {err("answer.body") && <FieldError>{err("answer.body")}</FieldError>}
          </>
        )}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Failure on purpose</legend>
        <select
          aria-label={`Rule ${n} failure`}
          value={f.failure}
          onChange={(e) => onChange({ failure: e.target.value as TRuleForm["failure"] })}
          className={`${SETTINGS_INPUT} sm:max-w-sm`}
        >
          <option value="none">None</option>
          <option value="percentage">Error for a percentage of requests</option>
          <option value="firstN">Error for the first N deliveries of each event</option>
          <option value="slow">Answer slower than the provider waits</option>
          <option value="close">Close the connection without an answer</option>
        </select>
        {(f.failure === "percentage" || f.failure === "firstN") && (
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
            {f.failure === "percentage"
              ? input("failure.percent", "Percent", f.percent, (v) => onChange({ percent: v }))
              : input("failure.count", "First N", f.count, (v) => onChange({ count: v }))}
            {input("failure.status", "Error status", f.failureStatus, (v) => onChange({ failureStatus: v }))}
          </div>
        )}
        {f.failure === "firstN" && (
          <div>
            <span className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">
              Event key: tells deliveries of one event apart (webhook-id, X-GitHub-Delivery, Idempotency-Key, or Stripe&apos;s JSON id)
            </span>
            <div className="flex gap-2">
              <select
                aria-label={`Rule ${n} event key from`}
                value={f.keyFrom}
                onChange={(e) => onChange({ keyFrom: e.target.value as "header" | "json" })}
                className={`${SETTINGS_INPUT} shrink-0 basis-32`}
              >
                <option value="header">Header</option>
                <option value="json">JSON path</option>
              </select>
              <input
                aria-label={`Rule ${n} event key`}
                value={f.key}
                placeholder={f.keyFrom === "header" ? "webhook-id" : "id"}
                onChange={(e) => onChange({ key: e.target.value })}
                aria-invalid={err("failure.key") ? true : undefined}
                className={`${SETTINGS_INPUT} min-w-0 flex-1 font-mono`}
              />
            </div>
            {err("failure.key") && <FieldError>{err("failure.key")}</FieldError>}
          </div>
        )}
        {f.failure === "slow" &&
          input(
            "failure.delayMs",
            `Answer after (ms, up to ${MAX_SLOW_DELAY_MS.toLocaleString("en")})`,
            f.slowMs,
            (v) => onChange({ slowMs: v }),
            {
              className: "sm:w-1/3",
            },
          )}
      </fieldset>
    </li>
  );
}

/** Which rule capture #N matches (the rules on screen, saved or not) and what it would be answered. */
function TryAgainstCapture({
  endpointId,
  forms,
  dirty,
  onChecked,
}: {
  endpointId: string;
  forms: TRuleForm[];
  dirty: boolean;
  /** The rules on screen were checked: their errors (none when valid). */
  onChecked: (errors: TRuleErrors) => void;
}) {
  const tryRules = useTryResponseRules(endpointId);
  const [seq, setSeq] = useState("");
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    const n = Number(seq.replace(/^#/, ""));
    if (!Number.isInteger(n) || n < 1) return setError("Enter a capture number, e.g. 12");
    const built = rulesFromForm(forms);
    onChecked(built.ok ? {} : built.errors);
    if (!built.ok) return setError("Fix the highlighted rule fields first.");
    setError(null);
    tryRules.mutate({ seq: n, rules: built.input.rules }, { onError: (e) => setError(describeError(e, "capture")) });
  };
  const result = tryRules.data;
  return (
    <div className="rounded-md bg-zinc-50 p-3 dark:bg-zinc-900/60" data-testid="try-rules">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="try-seq" className="font-medium">
          Try against capture #
        </label>
        <input
          id="try-seq"
          inputMode="numeric"
          value={seq}
          placeholder="12"
          onChange={(e) => setSeq(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              run();
            }
          }}
          className={`${SETTINGS_INPUT} shrink-0 grow-0 basis-24`}
        />
        <button type="button" className={buttonClass("secondary")} disabled={tryRules.isPending} onClick={run}>
          Try
        </button>
        <span className="text-xs text-zinc-500">
          {dirty ? "Uses the rules on screen, unsaved edits included." : "Uses the saved rules."}
        </span>
      </div>
      {error && <FieldError>{error}</FieldError>}
      {result && !error && (
        <div data-testid="try-result" className="mt-2 space-y-1">
          <p>
            Capture #{result.seq}:{" "}
            {result.rule ? (
              <>
                rule {result.rule.index + 1}
                {result.rule.name ? ` “${result.rule.name}”` : ""} answers
              </>
            ) : result.response.handshake ? (
              <>no rule matches; the {result.response.handshake} handshake answers</>
            ) : (
              <>no rule matches; the endpoint&apos;s own answer</>
            )}{" "}
            <span className="font-mono font-semibold">{result.response.status}</span>
            {result.response.delayMs > 0 && ` after ${result.response.delayMs} ms`}
          </p>
          {result.failure && (
            <p className="text-amber-800 dark:text-amber-200">Failure on purpose: {describeRuleFailure(result.failure)}</p>
          )}
          {result.response.error && (
            <p data-testid="try-template-error" className="text-red-700 dark:text-red-300">
              The rule&apos;s template failed ({result.response.error}); the endpoint&apos;s own answer goes instead.
            </p>
          )}
          {result.response.headers.length > 0 && (
            <pre
              data-testid="try-headers"
              className="max-h-24 overflow-auto rounded bg-white p-2 font-mono text-xs break-all whitespace-pre-wrap dark:bg-zinc-950"
            >
              {result.response.headers.map(([name, value]) => `${name}: ${value}`).join("\n")}
            </pre>
          )}
          {result.response.body !== null && (
            <pre className="max-h-32 overflow-auto rounded bg-white p-2 font-mono text-xs break-all whitespace-pre-wrap dark:bg-zinc-950">
              {result.response.body}
            </pre>
          )}
        </div>
      )}
    </div>
  );
}
