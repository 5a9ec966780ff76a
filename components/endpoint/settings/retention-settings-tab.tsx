"use client";
// Settings tab: retention, how many captures the endpoint keeps and for how long. Validated with
// the API's schema as you save and against this instance's ceilings (GET /api/instance); the
// server checks both again. Pruning happens in the background within a minute or so.
import { FormFooter } from "@/components/ui/form-footer";
import { useInstanceInfo } from "@/lib/browser/query/use-instance";
import { ZRetentionSettings, type TRetentionSettings } from "@/lib/shared/validation/endpoints";
import { Field, SETTINGS_INPUT } from "../../ui/fields";
import type { SettingsTabProps } from "./settings-tab";
import { useSettingsForm } from "./use-settings-form";

type TErrors = Partial<Record<keyof TRetentionSettings, string>>;

const n = (v: number) => v.toLocaleString("en");

/** The form's text as numbers, checked with ZRetentionSettings and the ceilings. */
export function retentionFromForm(
  form: TForm,
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

type TForm = { maxCaptures: string; maxAgeDays: string };
const formOf = (r: TRetentionSettings): TForm => ({ maxCaptures: String(r.maxCaptures), maxAgeDays: String(r.maxAgeDays) });

export function RetentionSettingsTab({ endpoint }: SettingsTabProps) {
  const instance = useInstanceInfo();
  const ceilings = instance.data?.retention.ceilings;
  const { form, setForm, errors, setErrors, submit, footer } = useSettingsForm<TForm, TErrors>({
    endpoint,
    formOf: (e) => formOf(e.retention),
    same: (a, b) => a.maxCaptures === b.maxCaptures && a.maxAgeDays === b.maxAgeDays,
    parse: (f) => {
      const r = retentionFromForm(f, ceilings);
      return r.ok ? { ok: true, patch: { retention: r.value } } : r;
    },
    noErrors: {},
  });

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

      <FormFooter {...footer} saveLabel="Save retention" />
    </form>
  );
}
