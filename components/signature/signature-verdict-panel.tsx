"use client";
// The signature verdict of one capture, explained: status, the reason in words, which header was
// read and with which secret, the signature the stored bytes call for next to the one received,
// the timestamp skew, and every secret tried. Everything shown is text (never HTML).
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { useSignatureVerdict } from "@/lib/browser/query/signature-verdicts";
import { SCHEME_LABELS, type TSignatureAttempt } from "@/lib/shared/validation/signatures";
import { CAUSE_WORDS, describeSkew, STATUS_WORDS, TONE_CLASSES, toneOf } from "./signature-view";

export interface SignatureVerdictPanelProps {
  captureId: string;
  /** Called by "Add a signing secret" when the verdict is no_secret (e.g. open the settings). */
  onAddSecret?: () => void;
}

function CopyButton({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="shrink-0 rounded px-1.5 text-xs text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
      onClick={() =>
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        })
      }
    >
      {copied ? "Copied" : "Copy"}
    </button>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 py-1 text-sm">
      <dt className="text-zinc-500">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

function Signature({ value, mismatch }: { value: string; mismatch?: boolean }) {
  return (
    <div className="flex items-start gap-1">
      <code className={`min-w-0 flex-1 break-all font-mono text-xs ${mismatch ? "text-red-700 dark:text-red-400" : ""}`}>{value}</code>
      <CopyButton value={value} />
    </div>
  );
}

function Details({ a }: { a: TSignatureAttempt }) {
  return (
    <dl>
      {a.scheme && <Row label="Scheme">{SCHEME_LABELS[a.scheme]}</Row>}
      {a.header && (
        <Row label="Header read">
          <code className="font-mono text-xs">{a.header}</code>
        </Row>
      )}
      {a.secretLabel && <Row label="Secret">{a.secretLabel}</Row>}
      {a.cause && <Row label="Likely cause">{CAUSE_WORDS[a.cause]}</Row>}
      {a.received && (
        <Row label="Received">
          <Signature value={a.received} mismatch={a.status === "invalid"} />
        </Row>
      )}
      {a.expected && a.status !== "valid" && (
        <Row label="Expected">
          <Signature value={a.expected} />
          <p className="mt-0.5 text-xs text-zinc-500">Computed from the exact bytes stored for this capture.</p>
        </Row>
      )}
      {a.url && (
        <Row label="Signed URL">
          <code className="break-all font-mono text-xs">{a.url}</code>
        </Row>
      )}
      {a.signedAt && (
        <Row label="Signed at">
          {a.signedAt}
          {a.skewSeconds !== null && <span className="text-zinc-500"> · {describeSkew(a.skewSeconds)}</span>}
          {a.toleranceSeconds !== null && <span className="text-zinc-500"> · tolerance {a.toleranceSeconds} s</span>}
        </Row>
      )}
    </dl>
  );
}

export function SignatureVerdictPanel({ captureId, onAddSecret }: SignatureVerdictPanelProps) {
  const q = useSignatureVerdict(captureId);
  if (q.isPending)
    return <div className="h-24 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900" aria-label="Checking the signature" />;
  if (q.isError) return <p className="text-sm text-red-700 dark:text-red-400">Could not check the signature: {q.error.message}</p>;
  const v = q.data;
  const others = v.attempts.filter((a) => a.secretId !== v.secretId || a.status !== v.status);
  return (
    <section aria-label="Signature" data-signature-status={v.status} className="space-y-2">
      {/* One line when it can be: the verdict, the scheme, the reason, and what to do about it. */}
      <header className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <span className={`rounded border px-2 py-0.5 text-sm font-medium ${TONE_CLASSES[toneOf(v.status)]}`}>{STATUS_WORDS[v.status]}</span>
        {v.scheme && <span className="text-sm text-zinc-500">{SCHEME_LABELS[v.scheme]}</span>}
        <p className="text-sm leading-relaxed">{v.reason}</p>
        {v.status === "no_secret" && onAddSecret && (
          <button type="button" onClick={onAddSecret} className={buttonClass("secondary", "", "sm")}>
            Add a signing secret
          </button>
        )}
      </header>
      {/* What to fix is open (invalid, expired); the particulars of a valid or unchecked one fold, so the body stays near the top. */}
      {v.status === "invalid" || v.status === "expired" ? (
        <Details a={v} />
      ) : (
        <details className="text-sm" data-testid="signature-details">
          <summary className="w-fit cursor-pointer text-xs text-zinc-600 dark:text-zinc-400">Details</summary>
          <Details a={v} />
        </details>
      )}
      {others.length > 0 && (
        <details className="rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
          <summary className="cursor-pointer text-sm text-zinc-600 dark:text-zinc-400">
            {v.attempts.length} secret{v.attempts.length === 1 ? "" : "s"} tried
          </summary>
          <ul className="mt-2 space-y-3">
            {v.attempts.map((a, i) => (
              <li
                key={`${a.secretId ?? "none"}-${i}`}
                className="border-t border-zinc-100 pt-2 first:border-0 first:pt-0 dark:border-zinc-900"
              >
                <p className="text-sm">
                  <span className={`mr-2 rounded border px-1 text-xs ${TONE_CLASSES[toneOf(a.status)]}`}>{STATUS_WORDS[a.status]}</span>
                  {a.reason}
                </p>
                <Details a={a} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
