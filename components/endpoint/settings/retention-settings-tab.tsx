"use client";
// Settings tab: retention, how many captures the endpoint keeps and for how long. Validated with
// the API's schema as you save and against this instance's ceilings (GET /api/instance); the
// server checks both again. Pruning happens in the background within a minute or so.
import { useState } from "react";
import { FormFooter, type TFormFooterStatus } from "@/components/ui/form-footer";
import { describeError } from "@/lib/browser/query/api";
import { useUpdateEndpoint } from "@/lib/browser/query/use-endpoints";
import { useInstanceInfo } from "@/lib/browser/query/use-instance";
import { ZRetentionSettings, type TRetentionSettings } from "@/lib/shared/validation/endpoints";
import { Field, SETTINGS_INPUT } from "../../ui/fields";
import type { SettingsTabProps } from "./settings-tab";

type TErrors = Partial<Record<keyof TRetentionSettings, string>>;

const n = (v: number) => v.toLocaleString("en");

/** The form's text as numbers, checked with ZRetentionSettings and the ceilings. */
export function retentionFromForm(
  form: { maxCaptures: string; maxAgeDays: string },
  ceilings: TRetentionSettings | undefined,
): { ok: true; value: TRetentionSettings } | { ok: false; errors: TErrors } {
  const num = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : s.trim() === "" ? undefined : Number.NaN);
  const parsed = ZRetentionSettings.safeParse({ maxCaptures: num(form.maxCaptures), maxAgeDays: num(form.maxAgeDays) });
  const errors: TErrors = {};
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const k = i.path[0] as keyof TRetentionSettings;
      errors[k] ??= i.message;
    }
    return { ok: false, errors };
  }
  if (ceilings && parsed.data.maxCaptures > ceilings.maxCaptures)
    errors.maxCaptures = `This instance keeps at most ${n(ceilings.maxCaptures)} captures`;
  if (ceilings && parsed.data.maxAgeDays > ceilings.maxAgeDays)
    errors.maxAgeDays = `This instance keeps captures at most ${n(ceilings.maxAgeDays)} days`;
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: parsed.data };
}

const formOf = (r: TRetentionSettings) => ({ maxCaptures: String(r.maxCaptures), maxAgeDays: String(r.maxAgeDays) });

export function RetentionSettingsTab({ endpoint }: SettingsTabProps) {
  const update = useUpdateEndpoint(endpoint.id);
  const instance = useInstanceInfo();
  const ceilings = instance.data?.retention.ceilings;
  const [saved, setSaved] = useState(() => formOf(endpoint.retention));
  const [form, setForm] = useState(saved);
  const [errors, setErrors] = useState<TErrors>({});
  const [status, setStatus] = useState<TFormFooterStatus>({ kind: "idle" });
  const dirty = form.maxCaptures !== saved.maxCaptures || form.maxAgeDays !== saved.maxAgeDays;

  const submit = () => {
    const r = retentionFromForm(form, ceilings);
    if (!r.ok) {
      setErrors(r.errors);
      setStatus({ kind: "error", message: "Fix the highlighted fields; nothing was saved." });
      return;
    }
    setErrors({});
    setStatus({ kind: "idle" });
    update.mutate(
      { retention: r.value },
      {
        onSuccess: (updated) => {
          const now = formOf(updated.retention);
          setSaved(now);
          setForm(now);
          setStatus({ kind: "saved" });
        },
        onError: (e) => setStatus({ kind: "error", message: `Not saved: ${describeError(e)}` }),
      },
    );
  };

  const capped = (v: number, ceiling: number | undefined) => ceiling !== undefined && v > ceiling;
  const expiry = instance.data?.expireUnusedAfterDays;

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
        Older captures are deleted in the background once the endpoint holds more than it keeps or they pass the age limit. Capture is never
        held up by it.
      </p>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          id="retention-max-captures"
          label="Keep at most (captures)"
          error={errors.maxCaptures}
          hint={ceilings ? `The newest are kept. Up to ${n(ceilings.maxCaptures)} on this instance.` : "The newest are kept."}
        >
          <input
            id="retention-max-captures"
            inputMode="numeric"
            value={form.maxCaptures}
            onChange={(e) => {
              setForm((f) => ({ ...f, maxCaptures: e.target.value }));
              setErrors(({ maxCaptures: _, ...rest }) => rest);
            }}
            aria-invalid={errors.maxCaptures ? true : undefined}
            className={SETTINGS_INPUT}
          />
        </Field>
        <Field
          id="retention-max-age"
          label="Delete after (days)"
          error={errors.maxAgeDays}
          hint={ceilings ? `Up to ${n(ceilings.maxAgeDays)} days on this instance.` : undefined}
        >
          <input
            id="retention-max-age"
            inputMode="numeric"
            value={form.maxAgeDays}
            onChange={(e) => {
              setForm((f) => ({ ...f, maxAgeDays: e.target.value }));
              setErrors(({ maxAgeDays: _, ...rest }) => rest);
            }}
            aria-invalid={errors.maxAgeDays ? true : undefined}
            className={SETTINGS_INPUT}
          />
        </Field>
      </div>
      <p data-testid="retention-summary" className="text-zinc-600 dark:text-zinc-400">
        Now holding {n(endpoint.captureCount)} captures.{" "}
        {(capped(endpoint.retention.maxCaptures, ceilings?.maxCaptures) || capped(endpoint.retention.maxAgeDays, ceilings?.maxAgeDays)) &&
          "This instance's limits are lower than the saved setting, so they apply. "}
        {expiry ? `Endpoints nobody uses for ${n(expiry)} days are deleted on this instance.` : ""}
      </p>

      <FormFooter
        dirty={dirty}
        pending={update.isPending}
        status={status}
        saveLabel="Save retention"
        onDiscard={() => {
          setForm(saved);
          setErrors({});
          setStatus({ kind: "idle" });
        }}
      />
    </form>
  );
}
