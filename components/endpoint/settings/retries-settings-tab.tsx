"use client";
// Settings tab: how retries are recognised. Captures with the same event key are deliveries of one
// event (lib/shared/events/event-key.ts); this chooses where the key comes from: the providers'
// own keys (auto), a header, a JSON path into the body, or off. Checked with the API's schema as
// you save; the server checks again. New captures use the new setting; stored ones keep their key.
import { FormFooter } from "@/components/ui/form-footer";
import { AUTO_EVENT_KEYS, type TEventKeySetting, type TEventKeySource } from "@/lib/shared/events/event-key";
import { ZEventKeySetting } from "@/lib/shared/validation/endpoints";
import { Field, SETTINGS_INPUT } from "../../ui/fields";
import type { SettingsTabProps } from "./settings-tab";
import { useSettingsForm } from "./use-settings-form";

interface TForm {
  source: TEventKeySource;
  header: string;
  path: string;
}

const formOf = (k: TEventKeySetting): TForm => ({
  source: k.source,
  header: k.source === "header" ? k.name : "",
  path: k.source === "json" ? k.path : "",
});

/** The form as a setting, checked with ZEventKeySetting: the value, or the message for the field. */
export function eventKeyFromForm(form: TForm): { ok: true; value: TEventKeySetting } | { ok: false; error: string } {
  const raw =
    form.source === "header"
      ? { source: "header", name: form.header }
      : form.source === "json"
        ? { source: "json", path: form.path }
        : { source: form.source };
  const parsed = ZEventKeySetting.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.issues[0]?.message ?? "Not a valid setting" };
}

const CHOICES: { source: TEventKeySource; label: string; hint: string }[] = [
  { source: "auto", label: "Automatic", hint: "The key each provider documents (below)." },
  { source: "header", label: "A header", hint: "e.g. Idempotency-Key or X-Request-Id." },
  { source: "json", label: "A JSON field", hint: "A dotted path into a JSON body, e.g. data.id." },
  { source: "off", label: "Off", hint: "Captures are not linked." },
];

export function RetriesSettingsTab({ endpoint }: SettingsTabProps) {
  const {
    form,
    setForm,
    errors: error,
    setErrors: setError,
    submit,
    footer,
  } = useSettingsForm<TForm, string | undefined>({
    endpoint,
    formOf: (e) => formOf(e.eventKey),
    // The field of a source not chosen is not part of the setting.
    same: (a, b) => a.source === b.source && (a.source !== "header" || a.header === b.header) && (a.source !== "json" || a.path === b.path),
    parse: (f) => {
      const r = eventKeyFromForm(f);
      return r.ok ? { ok: true, patch: { eventKey: r.value } } : { ok: false, errors: r.error };
    },
    noErrors: undefined,
    invalidMessage: "Fix the highlighted field; nothing was saved.",
  });

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
        Providers deliver an event again when your endpoint answers with an error or too slowly. Captures with the same event key are shown
        as deliveries of one event (&ldquo;3rd delivery of evt_123&rdquo;), and you can compare a retry with the delivery before it. The
        setting applies to new captures.
      </p>
      <fieldset>
        <legend className="mb-1 font-medium">Event key</legend>
        <div className="grid grid-cols-1 gap-1.5 sm:grid-cols-2">
          {CHOICES.map((c) => (
            <label
              key={c.source}
              className="flex cursor-pointer items-start gap-2 rounded-md border border-zinc-200 px-3 py-2 has-checked:border-indigo-500 dark:border-zinc-700"
            >
              <input
                type="radio"
                name="event-key-source"
                value={c.source}
                checked={form.source === c.source}
                onChange={() => {
                  setForm((f) => ({ ...f, source: c.source }));
                  setError(undefined);
                }}
                data-testid={`event-key-source-${c.source}`}
                className="mt-1"
              />
              <span>
                <span className="block font-medium">{c.label}</span>
                <span className="block text-xs text-zinc-500">{c.hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {form.source === "header" && (
        <Field id="event-key-header" label="Header name" error={error} hint="The first header of this name (any case) is the key.">
          <input
            id="event-key-header"
            value={form.header}
            placeholder="Idempotency-Key"
            onChange={(e) => {
              setForm((f) => ({ ...f, header: e.target.value }));
              setError(undefined);
            }}
            aria-invalid={error ? true : undefined}
            className={`${SETTINGS_INPUT} font-mono`}
          />
        </Field>
      )}
      {form.source === "json" && (
        <Field
          id="event-key-path"
          label="JSON path"
          error={error}
          hint="As in response rules: data.object.id, items[0].id (or items.0.id); a string or number there is the key."
        >
          <input
            id="event-key-path"
            value={form.path}
            placeholder="data.object.id"
            onChange={(e) => {
              setForm((f) => ({ ...f, path: e.target.value }));
              setError(undefined);
            }}
            aria-invalid={error ? true : undefined}
            className={`${SETTINGS_INPUT} font-mono`}
          />
        </Field>
      )}
      {form.source === "auto" && (
        <div>
          <p className="mb-1 text-zinc-600 dark:text-zinc-400">The key is the first of these that the request carries:</p>
          <ul className="grid grid-cols-1 gap-x-4 text-xs sm:grid-cols-2" data-testid="event-key-auto-list">
            {AUTO_EVENT_KEYS.map((k) => (
              <li key={k.doc} className="flex gap-1.5">
                <span className="text-zinc-500">{k.provider}</span>
                <code className="font-mono">{k.doc}</code>
              </li>
            ))}
          </ul>
        </div>
      )}

      <FormFooter {...footer} saveLabel="Save event key" />
    </form>
  );
}
