// The scheme and test secret a resend or a forward rule re-signs with, shown once its "Re-sign"
// box is ticked. Schemes come from the registry (those that need no rule options).
import { FieldError, SETTINGS_INPUT } from "@/components/ui/fields";
import { RESIGN_SCHEMES, SCHEME_LABELS, type TSecretScheme } from "@/lib/shared/validation/signatures";

export function ResignFields(props: {
  scheme: TSecretScheme;
  secret: string;
  error: string | undefined;
  onScheme(scheme: TSecretScheme): void;
  onSecret(secret: string): void;
  /** Prefix of the fields' test ids (`<prefix>-scheme`, `<prefix>-secret`), when tests need them. */
  testId?: string;
}) {
  return (
    <div className="grid grid-cols-[10rem_1fr] gap-2 pl-6">
      <select
        aria-label="Signature scheme"
        className={SETTINGS_INPUT}
        value={props.scheme}
        onChange={(e) => props.onScheme(e.target.value as TSecretScheme)}
        data-testid={props.testId && `${props.testId}-scheme`}
      >
        <option value="auto">From the headers</option>
        {RESIGN_SCHEMES.map((s) => (
          <option key={s} value={s}>
            {SCHEME_LABELS[s]}
          </option>
        ))}
      </select>
      <input
        aria-label="Test secret"
        className={`${SETTINGS_INPUT} font-mono`}
        placeholder="whsec_test_…"
        autoComplete="off"
        value={props.secret}
        onChange={(e) => props.onSecret(e.target.value)}
        aria-invalid={Boolean(props.error)}
        data-testid={props.testId && `${props.testId}-secret`}
      />
      {props.error && (
        <div className="col-span-2">
          <FieldError>{props.error}</FieldError>
        </div>
      )}
    </div>
  );
}
