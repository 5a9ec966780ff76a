"use client";
// Settings tab: the capture URL's alias (/h/<alias>), a name you choose beside the random slug.
// The preview shows the URL as you type; the alias rules are checked as you type with the API's
// own schema, and what only the server knows (the alias is taken) comes back under the field.
import { FormFooter } from "@/components/ui/form-footer";
import { ApiError } from "@/lib/browser/query/api";
import { ALIAS_MAX, ZEndpointAlias } from "@/lib/shared/validation/endpoint-alias";
import { Field, SETTINGS_INPUT } from "../../ui/fields";
import type { SettingsTabProps } from "./settings-tab";
import { useSettingsForm } from "./use-settings-form";

/** The alias the form's text asks for: null (none) when empty, else the lower-cased alias or why not. */
export function aliasFromForm(text: string): { ok: true; value: string | null } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, value: null };
  const parsed = ZEndpointAlias.safeParse(text);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.issues[0]?.message ?? "Not a valid alias" };
}

export function UrlSettingsTab({ endpoint }: SettingsTabProps) {
  const {
    form: text,
    setForm: setText,
    errors: serverError,
    setErrors: setServerError,
    submit,
    footer,
  } = useSettingsForm<string, string | undefined>({
    endpoint,
    formOf: (e) => e.alias ?? "",
    same: (edited, saved) => {
      const p = aliasFromForm(edited);
      return (p.ok ? (p.value ?? "") : edited) === saved;
    },
    parse: (t) => {
      const r = aliasFromForm(t);
      return r.ok ? { ok: true, patch: { alias: r.value } } : { ok: false, errors: undefined };
    },
    noErrors: undefined,
    invalidMessage: "Fix the alias; nothing was saved.",
    // A taken alias or a rule the server holds: shown by the field it is about.
    serverErrors: (e) =>
      e instanceof ApiError && (e.code === "ALIAS_TAKEN" || e.message.startsWith("alias: ")) ? e.message.replace(/^alias: /, "") : null,
  });
  const base = endpoint.slugUrl.slice(0, endpoint.slugUrl.length - endpoint.slug.length);
  // The alias rules are checked as you type; what only the server knows comes back from a save.
  const parsed = aliasFromForm(text);
  const error = serverError ?? (parsed.ok ? undefined : parsed.error);
  const preview = parsed.ok && parsed.value !== null ? `${base}${parsed.value}` : endpoint.slugUrl;

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
        Give the capture URL a name you choose, so it reads well in a provider&apos;s settings and stays the same across CI runs. The random
        URL keeps working.
      </p>
      <Field
        id="endpoint-alias"
        label="Alias"
        error={error}
        hint={`3–${ALIAS_MAX} lower-case letters, digits and hyphens. Leave empty to use the random URL only.`}
      >
        <div className="flex min-w-0 items-center rounded-md">
          <span className="shrink-0 pr-1 font-mono text-xs text-zinc-500" aria-hidden>
            /h/
          </span>
          <input
            id="endpoint-alias"
            value={text}
            placeholder="my-stripe-dev"
            autoComplete="off"
            spellCheck={false}
            maxLength={ALIAS_MAX + 16}
            onChange={(e) => {
              setText(e.target.value);
              setServerError(undefined);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "endpoint-alias-error" : undefined}
            className={`${SETTINGS_INPUT} font-mono`}
          />
        </div>
      </Field>
      <div className="space-y-1 rounded-md border border-zinc-200 bg-zinc-50 p-2 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="text-xs font-medium text-zinc-600 uppercase dark:text-zinc-400">Capture URL</div>
        <code data-testid="alias-preview" className="block font-mono text-sm break-all">
          {preview}
        </code>
        {preview !== endpoint.slugUrl && (
          <p data-testid="alias-slug-url" className="text-xs text-zinc-600 dark:text-zinc-400">
            Also answers at <code className="font-mono break-all">{endpoint.slugUrl}</code>
          </p>
        )}
      </div>
      <p className="text-zinc-600 dark:text-zinc-400">
        Changing or removing the alias frees the old name at once: requests to it get 404 from then on, and anyone may take it.
      </p>
      <FormFooter {...footer} saveLabel="Save URL" />
    </form>
  );
}
