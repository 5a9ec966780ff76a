"use client";
// Settings tab: custom response, what the capture URL answers (status, headers, body, content
// type, delay). Checked with the API's schema as you save; the server's 400 messages land on the same fields.
import { buttonClass } from "@/components/ui/button-styles";
import { FormFooter } from "@/components/ui/form-footer";
import { ApiError } from "@/lib/browser/query/api";
import { MAX_RESPONSE_DELAY_MS } from "@/lib/shared/validation/endpoints";
import {
  errorsFromServer,
  formFromSettings,
  newHeaderRow,
  settingsFromForm,
  type TFieldErrors,
  type TSettingsForm,
} from "./response-settings-form";
import { Field, FieldError, SETTINGS_INPUT } from "../../ui/fields";
import { ResponseRulesEditor } from "./response-rules-editor";
import type { SettingsTabProps } from "./settings-tab";
import { useSettingsForm } from "./use-settings-form";

export function ResponseSettingsTab(props: SettingsTabProps) {
  return (
    <div className="space-y-6">
      <EndpointAnswerForm {...props} />
      <ResponseRulesEditor endpointId={props.endpoint.id} />
    </div>
  );
}

/** The endpoint's own answer: to every request no response rule matches. */
function EndpointAnswerForm({ endpoint }: SettingsTabProps) {
  const { form, setForm, errors, setErrors, submit, footer } = useSettingsForm<TSettingsForm, TFieldErrors>({
    endpoint,
    formOf: (e) => formFromSettings(e.response),
    same: sameForm,
    parse: (f) => {
      const r = settingsFromForm(f);
      return r.ok ? { ok: true, patch: { response: r.settings } } : r;
    },
    noErrors: {},
    // The server's 400 messages land on the same fields.
    serverErrors: (e, f) => (e instanceof ApiError && e.issues.length ? errorsFromServer(e.issues, f) : null),
  });

  // An edited field loses its error, as on the other tabs; the others keep theirs until the next save.
  // Adding or removing a header row renumbers the rows, so every header error goes then.
  const clearErrors = (drop: (field: string) => boolean) =>
    setErrors((e) => (Object.keys(e).some(drop) ? Object.fromEntries(Object.entries(e).filter(([k]) => !drop(k))) : e));
  const set = (patch: Partial<TSettingsForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    const fields = new Set<string>(["form", ...Object.keys(patch), ...("customBody" in patch ? ["body"] : [])]);
    clearErrors((k) => fields.has(k));
  };
  const setHeader = (row: number, patch: { name?: string; value?: string }) => {
    setForm((f) => ({ ...f, headers: f.headers.map((h, i) => (i === row ? { ...h, ...patch } : h)) }));
    const fields = new Set(["form", "headers", ...Object.keys(patch).map((k) => `headers.${row}.${k}`)]);
    clearErrors((k) => fields.has(k));
  };
  const setHeaders = (next: (headers: TSettingsForm["headers"]) => TSettingsForm["headers"]) => {
    setForm((f) => ({ ...f, headers: next(f.headers) }));
    clearErrors((k) => k === "form" || k === "headers" || k.startsWith("headers."));
  };

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      className="space-y-4 text-sm"
    >
      <p className="text-zinc-600 dark:text-zinc-400">
        What the capture URL answers to every request no response rule below matches. Providers see this response; the request is stored
        either way.
      </p>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-3">
        <Field id="status" label="Status" error={errors.status}>
          <input
            id="status"
            inputMode="numeric"
            value={form.status}
            onChange={(e) => set({ status: e.target.value })}
            aria-invalid={errors.status ? true : undefined}
            aria-describedby={errors.status ? "status-error" : undefined}
            className={SETTINGS_INPUT}
          />
        </Field>
        <Field id="contentType" label="Content type" error={errors.contentType} hint="Empty: JSON for the default body, else text/plain">
          <input
            id="contentType"
            value={form.contentType}
            placeholder="application/json"
            onChange={(e) => set({ contentType: e.target.value })}
            aria-invalid={errors.contentType ? true : undefined}
            aria-describedby={errors.contentType ? "contentType-error" : undefined}
            className={SETTINGS_INPUT}
          />
        </Field>
        <Field id="delayMs" label="Delay (ms)" error={errors.delayMs} hint={`0 to ${MAX_RESPONSE_DELAY_MS.toLocaleString("en")}`}>
          <input
            id="delayMs"
            inputMode="numeric"
            value={form.delayMs}
            onChange={(e) => set({ delayMs: e.target.value })}
            aria-invalid={errors.delayMs ? true : undefined}
            aria-describedby={errors.delayMs ? "delayMs-error" : undefined}
            className={SETTINGS_INPUT}
          />
        </Field>
      </div>

      <fieldset>
        <legend className="mb-1 font-medium">Headers</legend>
        <p className="mb-2 text-zinc-500">
          Headers that act on the whole site rather than this answer (Set-Cookie, Service-Worker-Allowed, Clear-Site-Data, Refresh, Link, …)
          cannot be set, and Location must be a path on this host (e.g. /h/{endpoint.slug}/done). Every answer also carries a sandboxing
          Content-Security-Policy and nosniff, so a browser runs nothing from it.
        </p>
        {errors.headers && <FieldError id="headers-error">{errors.headers}</FieldError>}
        <div className="space-y-2">
          {form.headers.map((h, row) => {
            const nameErr = errors[`headers.${row}.name`];
            const valueErr = errors[`headers.${row}.value`];
            return (
              <div key={h.rowKey} data-testid="settings-header-row">
                <div className="flex gap-2">
                  <input
                    aria-label={`Header ${row + 1} name`}
                    placeholder="X-Header"
                    value={h.name}
                    onChange={(e) => setHeader(row, { name: e.target.value })}
                    aria-invalid={nameErr ? true : undefined}
                    className={`${SETTINGS_INPUT} w-auto min-w-0 basis-2/5 font-mono`}
                  />
                  <input
                    aria-label={`Header ${row + 1} value`}
                    placeholder="value"
                    value={h.value}
                    onChange={(e) => setHeader(row, { value: e.target.value })}
                    aria-invalid={valueErr ? true : undefined}
                    className={`${SETTINGS_INPUT} w-auto min-w-0 flex-1 font-mono`}
                  />
                  <button
                    type="button"
                    aria-label={`Remove header ${row + 1}`}
                    className={buttonClass("ghost")}
                    onClick={() => setHeaders((hs) => hs.filter((_, i) => i !== row))}
                  >
                    ✕
                  </button>
                </div>
                {nameErr && <FieldError>{nameErr}</FieldError>}
                {valueErr && <FieldError>{valueErr}</FieldError>}
              </div>
            );
          })}
        </div>
        <button type="button" className={buttonClass("ghost", "mt-2 -ml-2")} onClick={() => setHeaders((hs) => [...hs, newHeaderRow()])}>
          + Add header
        </button>
      </fieldset>

      <div>
        <label className="flex items-center gap-2 font-medium">
          <input type="checkbox" checked={form.customBody} onChange={(e) => set({ customBody: e.target.checked })} />
          Custom body
        </label>
        {form.customBody ? (
          <>
            <textarea
              id="body"
              aria-label="Response body"
              rows={6}
              value={form.body}
              onChange={(e) => set({ body: e.target.value })}
              aria-invalid={errors.body ? true : undefined}
              className={`${SETTINGS_INPUT} mt-2 font-mono text-xs`}
            />
            {errors.body && <FieldError id="body-error">{errors.body}</FieldError>}
          </>
        ) : (
          <p className="mt-1 text-zinc-500">The default: a small JSON body naming the stored capture&apos;s id.</p>
        )}
      </div>

      <div>
        <label className="flex items-center gap-2 font-medium">
          <input type="checkbox" checked={form.handshakes} onChange={(e) => set({ handshakes: e.target.checked })} />
          Answer provider handshakes
        </label>
        <p className="mt-1 text-zinc-500">
          Verification requests (Slack url_verification, Meta hub.challenge, Microsoft Graph validationToken, Dropbox, Twitch EventSub,
          Asana, Okta) get the answer their provider expects instead of the one above, so the URL can be registered. Each is stored like any
          capture.
        </p>
      </div>

      {errors.form && <FieldError>{errors.form}</FieldError>}
      <FormFooter {...footer} saveLabel="Save settings" />
    </form>
  );
}

/** Same settings on screen, whatever the row keys of the header list. */
function sameForm(a: TSettingsForm, b: TSettingsForm): boolean {
  const strip = (f: TSettingsForm) => ({ ...f, headers: f.headers.map(({ name, value }) => ({ name, value })) });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
