// How verdicts read on screen: words and tone per status and cause. Pure, shared by the badge
// and the verdict panel, and unit tested.
import { SCHEME_LABELS, type TSignatureCause, type TSignatureStatus, type TSignatureSummary } from "@/lib/shared/validation/signatures";

export type Tone = "good" | "bad" | "warn" | "muted";

export interface BadgeView {
  text: string;
  tone: Tone;
  /** Tooltip. */
  title: string;
}

export const STATUS_WORDS: Record<TSignatureStatus, string> = {
  valid: "Valid signature",
  invalid: "Invalid signature",
  expired: "Signature expired",
  missing_header: "No signature header",
  no_secret: "No secret to check with",
};

export const CAUSE_WORDS: Record<TSignatureCause, string> = {
  body_reserialized: "Body re-serialized",
  body_trimmed: "Whitespace changed",
  wrong_encoding: "Wrong encoding",
  wrong_algorithm: "Wrong algorithm",
  secret_format: "Secret used the wrong way",
  other_environment: "Secret of the other environment",
  wrong_secret: "Body or secret differs",
  malformed_header: "Malformed header",
  body_not_stored: "Body not stored",
  body_hash_mismatch: "Body changed (bodySHA256)",
};

export function toneOf(status: TSignatureStatus): Tone {
  return status === "valid" ? "good" : status === "invalid" ? "bad" : status === "expired" ? "warn" : "muted";
}

/** Null: nothing worth a badge (no secret and no signature header). */
export function badgeView(s: TSignatureSummary): BadgeView | null {
  const scheme = s.scheme ? SCHEME_LABELS[s.scheme] : null;
  const by = s.secretLabel ? ` with “${s.secretLabel}”` : "";
  switch (s.status) {
    case "valid":
      return { text: `✓ ${scheme ?? "signed"}`, tone: "good", title: `${STATUS_WORDS.valid}${scheme ? ` (${scheme})` : ""}${by}` };
    case "invalid":
      return { text: `✗ ${scheme ?? "signature"}`, tone: "bad", title: `${STATUS_WORDS.invalid}${scheme ? ` (${scheme})` : ""}${by}` };
    case "expired":
      return { text: `⏱ ${scheme ?? "signature"}`, tone: "warn", title: `${STATUS_WORDS.expired}: outside the timestamp tolerance${by}` };
    case "missing_header":
      return { text: "unsigned", tone: "muted", title: `${STATUS_WORDS.missing_header}${scheme ? ` (expected ${scheme})` : ""}` };
    case "no_secret":
      return scheme
        ? { text: `${scheme} · no secret`, tone: "muted", title: `Signed by ${scheme}; add a signing secret to check it` }
        : null;
  }
}

export const TONE_CLASSES: Record<Tone, string> = {
  good: "border-emerald-300 bg-emerald-50 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  bad: "border-red-300 bg-red-50 text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-300",
  warn: "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-300",
  muted: "border-zinc-300 bg-zinc-50 text-zinc-600 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-400",
};

/** "4 min 12 s before it arrived" style wording for a skew in seconds. */
export function describeSkew(skew: number): string {
  const abs = Math.abs(skew);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  const span = [h ? `${h} h` : "", m ? `${m} min` : "", s || (!h && !m) ? `${s} s` : ""].filter(Boolean).join(" ");
  return skew >= 0 ? `${span} before it arrived` : `${span} after it arrived`;
}
