"use client";
// The one save cycle of an endpoint settings form (URL, response, retries, retention): the form
// as saved (the baseline for "Unsaved changes" and what Discard goes back to) and as edited;
// Save checks the form, says which fields are wrong without sending, or PATCHes the endpoint and
// takes the server's answer as the new baseline; a refusal lands on the fields it names and in
// the footer until the next edit. Spread `footer` into FormFooter.
import { useState } from "react";
import type { TFormFooterStatus } from "@/components/ui/form-footer";
import { describeError } from "@/lib/browser/query/api";
import { useUpdateEndpoint } from "@/lib/browser/query/use-endpoints";
import type { TEndpoint, TUpdateEndpointRequest } from "@/lib/shared/validation/endpoints";

export type TParsed<TErrors> = { ok: true; patch: TUpdateEndpointRequest } | { ok: false; errors: TErrors };

export interface SettingsFormOptions<TForm, TErrors> {
  endpoint: TEndpoint;
  /** The form showing these saved settings: at first the endpoint's, after a save the server's answer. */
  formOf: (endpoint: TEndpoint) => TForm;
  /** Whether the edited form (a) asks for what is saved (b): then there is nothing to save. */
  same: (a: TForm, b: TForm) => boolean;
  /** The PATCH the form asks for, or the field errors that stop it. */
  parse: (form: TForm) => TParsed<TErrors>;
  /** No field errors. */
  noErrors: TErrors;
  /** The footer's line when fields are wrong. */
  invalidMessage?: string;
  /** The field errors in a refusal from the server; null when it names no field. */
  serverErrors?: (error: unknown, form: TForm) => TErrors | null;
}

export function useSettingsForm<TForm, TErrors>(o: SettingsFormOptions<TForm, TErrors>) {
  const update = useUpdateEndpoint(o.endpoint.id);
  const [saved, setSaved] = useState<TForm>(() => o.formOf(o.endpoint));
  const [form, setForm] = useState<TForm>(saved);
  const [errors, setErrors] = useState<TErrors>(o.noErrors);
  const [status, setStatus] = useState<TFormFooterStatus>({ kind: "idle" });

  const submit = () => {
    const r = o.parse(form);
    if (!r.ok) {
      setErrors(r.errors);
      setStatus({ kind: "error", message: o.invalidMessage ?? "Fix the highlighted fields; nothing was saved." });
      return;
    }
    setErrors(o.noErrors);
    setStatus({ kind: "idle" });
    update.mutate(r.patch, {
      onSuccess: (updated) => {
        const now = o.formOf(updated);
        setSaved(now);
        setForm(now);
        setStatus({ kind: "saved" });
      },
      onError: (e) => {
        const fields = o.serverErrors?.(e, form) ?? null;
        if (fields !== null) setErrors(fields);
        setStatus({ kind: "error", message: `Not saved: ${describeError(e)}` });
      },
    });
  };

  // An edit is a new question: the last answer (why not saved, or Saved) no longer applies, and
  // the footer says "Unsaved changes" instead.
  const edit: typeof setForm = (next) => {
    setForm(next);
    setStatus((st) => (st.kind === "idle" ? st : { kind: "idle" }));
  };

  const discard = () => {
    setForm(saved);
    setErrors(o.noErrors);
    setStatus({ kind: "idle" });
  };

  return {
    form,
    setForm: edit,
    errors,
    setErrors,
    submit,
    footer: { dirty: !o.same(form, saved), pending: update.isPending, status, onDiscard: discard },
  };
}
