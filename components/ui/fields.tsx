// Form pieces shared by the settings tabs: one input style, a labelled field with its hint or
// error, and the error line (data-testid="field-error", which the e2e specs read).
export const SETTINGS_INPUT =
  "w-full rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-600 dark:bg-zinc-950 aria-invalid:border-red-500 aria-invalid:ring-1 aria-invalid:ring-red-500";

export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: React.ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className="mb-1 block font-medium">
        {label}
      </label>
      {children}
      {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : hint && <p className="mt-1 text-xs text-zinc-500">{hint}</p>}
    </div>
  );
}

export function FieldError({ id, children }: { id?: string; children: React.ReactNode }) {
  return (
    <p id={id} data-testid="field-error" className="mt-1 text-xs text-red-600 dark:text-red-400">
      {children}
    </p>
  );
}
