"use client";
// Endpoint settings: the signing secrets captures are checked with. A secret is typed once and
// stored encrypted; afterwards only its label, scheme, options and a hint (whsec_…3f9a) show.
import { useState, type FormEvent } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { SETTINGS_INPUT } from "@/components/ui/fields";
import { FormFooter } from "@/components/ui/form-footer";
import { describeError } from "@/lib/browser/query/api";
import {
  useCreateSigningSecret,
  useDeleteSigningSecret,
  useSigningSecrets,
  useUpdateSigningSecret,
} from "@/lib/browser/query/signature-secrets";
import { getScheme } from "@/lib/shared/signatures/registry";
import {
  MAX_SECRETS_PER_ENDPOINT,
  SCHEME_LABELS,
  SIGNATURE_SCHEMES,
  type TGenericOptions,
  type TSchemeOptions,
  type TSecretScheme,
  type TSigningSecret,
} from "@/lib/shared/validation/signatures";

export interface SigningSecretsPanelProps {
  endpointId: string;
}

// The settings dialog's one input style and button hierarchy.
const input = `${SETTINGS_INPUT} mt-0.5`;
const button = buttonClass("secondary", "", "sm");

/** What the secret field asks for, and whether a tolerance applies: "auto" may pick any scheme. */
function secretPlaceholder(s: TSecretScheme): string {
  return s === "auto" ? "The sender's signing secret" : getScheme(s).secretPlaceholder;
}

function isTimestamped(s: TSecretScheme): boolean {
  return s === "auto" || getScheme(s).timestamped;
}

function schemeName(s: TSecretScheme): string {
  return s === "auto" ? "Detect from headers" : SCHEME_LABELS[s];
}

function describeOptions(o: TSchemeOptions): string {
  const parts: string[] = [];
  if (o.toleranceSeconds !== undefined)
    parts.push(o.toleranceSeconds === 0 ? "timestamp not checked" : `tolerance ${o.toleranceSeconds} s`);
  const g = o.generic;
  if (g)
    parts.push(
      `${g.header}: ${g.prefix}${g.algorithm}/${g.encoding} of ${g.signed === "body" ? "body" : `${g.timestampHeader}${g.separator}body`}`,
    );
  return parts.join(" · ");
}

const EMPTY_GENERIC: TGenericOptions = {
  header: "X-Signature",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "",
  signed: "body",
  separator: ".",
};

function GenericFields({ value, onChange }: { value: TGenericOptions; onChange: (v: TGenericOptions) => void }) {
  const set = <K extends keyof TGenericOptions>(k: K, v: TGenericOptions[K]) => onChange({ ...value, [k]: v });
  return (
    <fieldset className="grid grid-cols-2 gap-2 rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
      <legend className="px-1 text-xs text-zinc-500">Generic HMAC rule</legend>
      <label className="text-xs">
        Signature header
        <input className={input} value={value.header} onChange={(e) => set("header", e.target.value)} required />
      </label>
      <label className="text-xs">
        Prefix (optional)
        <input className={input} value={value.prefix} placeholder="sha256=" onChange={(e) => set("prefix", e.target.value)} />
      </label>
      <label className="text-xs">
        Algorithm
        <select
          className={input}
          value={value.algorithm}
          onChange={(e) => set("algorithm", e.target.value as TGenericOptions["algorithm"])}
        >
          <option value="sha1">HMAC-SHA1</option>
          <option value="sha256">HMAC-SHA256</option>
          <option value="sha512">HMAC-SHA512</option>
        </select>
      </label>
      <label className="text-xs">
        Encoding
        <select className={input} value={value.encoding} onChange={(e) => set("encoding", e.target.value as TGenericOptions["encoding"])}>
          <option value="hex">hex</option>
          <option value="base64">base64</option>
        </select>
      </label>
      <label className="col-span-2 text-xs">
        Signed content
        <select className={input} value={value.signed} onChange={(e) => set("signed", e.target.value as TGenericOptions["signed"])}>
          <option value="body">The body</option>
          <option value="timestamp_body">Timestamp header + separator + body</option>
        </select>
      </label>
      {value.signed === "timestamp_body" && (
        <>
          <label className="text-xs">
            Timestamp header
            <input
              className={input}
              value={value.timestampHeader ?? ""}
              placeholder="X-Timestamp"
              onChange={(e) => set("timestampHeader", e.target.value)}
              required
            />
          </label>
          <label className="text-xs">
            Separator
            <input className={input} value={value.separator} onChange={(e) => set("separator", e.target.value)} />
          </label>
        </>
      )}
    </fieldset>
  );
}

function AddSecretForm({ endpointId, onSaved, onCancel }: { endpointId: string; onSaved: () => void; onCancel: () => void }) {
  const create = useCreateSigningSecret(endpointId);
  const [label, setLabel] = useState("");
  const [scheme, setScheme] = useState<TSecretScheme>("auto");
  const [secret, setSecret] = useState("");
  const [show, setShow] = useState(false);
  const [tolerance, setTolerance] = useState("");
  const [generic, setGeneric] = useState<TGenericOptions>(EMPTY_GENERIC);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const options: TSchemeOptions = {};
    if (tolerance.trim() !== "") options.toleranceSeconds = Number(tolerance);
    if (scheme === "generic") options.generic = generic.signed === "body" ? { ...generic, timestampHeader: undefined } : generic;
    create.mutate({ label: label.trim() || schemeName(scheme), scheme, secret: secret.trim(), options }, { onSuccess: onSaved });
  };

  return (
    <form onSubmit={submit} className="space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="grid grid-cols-2 gap-2">
        <label className="text-xs">
          Label
          <input className={input} value={label} maxLength={100} placeholder="Stripe live" onChange={(e) => setLabel(e.target.value)} />
        </label>
        <label className="text-xs">
          Scheme
          <select className={input} value={scheme} onChange={(e) => setScheme(e.target.value as TSecretScheme)}>
            <option value="auto">Detect from headers</option>
            {SIGNATURE_SCHEMES.map((s) => (
              <option key={s} value={s}>
                {SCHEME_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="block text-xs">
        Secret
        <span className="flex gap-1">
          <input
            className={`${input} font-mono`}
            type={show ? "text" : "password"}
            autoComplete="off"
            spellCheck={false}
            value={secret}
            placeholder={secretPlaceholder(scheme)}
            onChange={(e) => setSecret(e.target.value)}
            required
          />
          <button type="button" className={button} onClick={() => setShow(!show)}>
            {show ? "Hide" : "Show"}
          </button>
        </span>
      </label>
      {isTimestamped(scheme) && (
        <label className="block text-xs">
          Timestamp tolerance in seconds (empty: the provider&apos;s default, 300; 0: don&apos;t check)
          <input className={input} type="number" min={0} max={86400} value={tolerance} onChange={(e) => setTolerance(e.target.value)} />
        </label>
      )}
      {scheme === "generic" && <GenericFields value={generic} onChange={setGeneric} />}
      <p className="text-xs text-zinc-500">Stored encrypted. After saving, only a hint of it is ever shown.</p>
      <FormFooter
        dirty={secret.trim() !== ""}
        dirtyNote={null}
        pending={create.isPending}
        status={create.isError ? { kind: "error", message: `Not saved: ${describeError(create.error)}` } : { kind: "idle" }}
        saveLabel="Save secret"
        discardLabel="Cancel"
        discardAlways
        onDiscard={onCancel}
      />
    </form>
  );
}

function SecretRow({ endpointId, s }: { endpointId: string; s: TSigningSecret }) {
  const update = useUpdateSigningSecret(endpointId);
  const remove = useDeleteSigningSecret(endpointId);
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(s.label);
  const [confirming, setConfirming] = useState(false);
  const options = describeOptions(s.options);
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2" data-secret-id={s.id}>
      <div className="min-w-0 flex-1">
        {editing ? (
          <form
            className="flex gap-1"
            onSubmit={(e) => {
              e.preventDefault();
              update.mutate({ id: s.id, label: label.trim() }, { onSuccess: () => setEditing(false) });
            }}
          >
            <input className={input} value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} autoFocus />
            <button type="submit" className={button} disabled={!label.trim() || update.isPending}>
              Save
            </button>
          </form>
        ) : (
          <p className="truncate text-sm font-medium">{s.label}</p>
        )}
        <p className="text-xs text-zinc-500">
          {schemeName(s.scheme)} · <code className="font-mono">{s.hint}</code>
          {options && ` · ${options}`}
        </p>
        {(update.isError || remove.isError) && (
          <p className="text-xs text-red-700 dark:text-red-400">{(update.error ?? remove.error)!.message}</p>
        )}
      </div>
      {confirming ? (
        <span className="flex items-center gap-1 text-sm">
          Delete?
          <button type="button" className={button} disabled={remove.isPending} onClick={() => remove.mutate(s.id)}>
            Delete
          </button>
          <button type="button" className={button} onClick={() => setConfirming(false)}>
            Keep
          </button>
        </span>
      ) : (
        <span className="flex gap-1">
          {!editing && (
            <button type="button" className={button} onClick={() => setEditing(true)}>
              Rename
            </button>
          )}
          <button type="button" className={button} onClick={() => setConfirming(true)}>
            Delete
          </button>
        </span>
      )}
    </li>
  );
}

export function SigningSecretsPanel({ endpointId }: SigningSecretsPanelProps) {
  const q = useSigningSecrets(endpointId);
  const [adding, setAdding] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  return (
    <section aria-label="Signing secrets" className="space-y-2">
      <header className="flex items-center justify-between gap-2">
        <div>
          <h3 className="text-sm font-semibold">Signing secrets</h3>
          <p className="text-xs text-zinc-500">Every capture is checked against these; the verdict shows on each request.</p>
        </div>
        {!adding && (
          <span className="flex shrink-0 items-center gap-3">
            {justSaved && (
              <span role="status" data-testid="form-status" data-status="saved" className="text-sm text-emerald-700 dark:text-emerald-400">
                ✓ Saved
              </span>
            )}
            <button
              type="button"
              className={buttonClass("secondary")}
              onClick={() => {
                setJustSaved(false);
                setAdding(true);
              }}
              disabled={(q.data?.length ?? 0) >= MAX_SECRETS_PER_ENDPOINT}
            >
              Add secret
            </button>
          </span>
        )}
      </header>
      {q.isPending && <div className="h-10 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" />}
      {q.isError && <p className="text-sm text-red-700 dark:text-red-400">{q.error.message}</p>}
      {q.data && q.data.length === 0 && !adding && <p className="text-sm text-zinc-500">No signing secrets yet.</p>}
      {q.data && q.data.length > 0 && (
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-900">
          {q.data.map((s) => (
            <SecretRow key={s.id} endpointId={endpointId} s={s} />
          ))}
        </ul>
      )}
      {adding && (
        <AddSecretForm
          endpointId={endpointId}
          onSaved={() => {
            setAdding(false);
            setJustSaved(true);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
    </section>
  );
}
