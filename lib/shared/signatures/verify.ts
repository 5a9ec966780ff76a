// Judges a captured request's signature against an endpoint's secrets, over the exact stored
// bytes, and explains a failure: which header was read, the signature those bytes call for, and
// the usual cause (body re-serialized, wrong encoding, secret used the wrong way, the other
// environment's secret, or simply another secret). Timestamps are judged against the time the
// request arrived, so a verdict does not change as the capture ages and can be stored.
import type {
  TSchemeOptions,
  TSecretScheme,
  TSignatureAttempt,
  TSignatureCause,
  TSignatureStatus,
  TSignatureVerdict,
} from "../validation/signatures";
import { bodyVariants } from "./body-variants";
import { decodeBase64Strict, decodeSignature, safeEqual } from "./crypto";
import { findHeader } from "./headers";
import { detectScheme, getScheme, listSchemes } from "./registry";
import { SecretFormatError, type ComputedMac, type PreparedCheck, type VerifyRequest } from "./types";

export type { VerifyRequest } from "./types";

export interface SecretForVerification {
  id: string | null;
  label: string | null;
  scheme: TSecretScheme;
  options: TSchemeOptions;
  /** The secret in clear (decrypted by the caller). */
  secret: string;
}

/** Lower wins when several secrets were tried. */
const RANK: Record<TSignatureStatus, number> = { valid: 0, expired: 1, invalid: 2, missing_header: 3, no_secret: 4 };

const BLANK: Omit<TSignatureAttempt, "status" | "reason"> = {
  secretId: null,
  secretLabel: null,
  scheme: null,
  header: null,
  expected: null,
  received: null,
  cause: null,
  skewSeconds: null,
  toleranceSeconds: null,
  signedAt: null,
  url: null,
};

/** The verdict over every secret: the best attempt (valid, then expired, invalid, missing header) decides. */
export function verifyCaptureSignature(req: VerifyRequest, secrets: SecretForVerification[], now = new Date()): TSignatureVerdict {
  const computedAt = now.toISOString();
  if (secrets.length === 0) {
    const d = detectScheme(req.headers);
    const reason = d
      ? `This request carries a ${getScheme(d.scheme).label} signature (${d.header}), but this endpoint has no signing secret. Add the sender's secret under Signing secrets to check it.`
      : "This endpoint has no signing secret, and the request carries no signature header Hookscope recognises.";
    return {
      ...BLANK,
      status: "no_secret",
      scheme: d?.scheme ?? null,
      header: d?.header ?? null,
      received: d ? (findHeader(req.headers, d.header)?.value ?? null) : null,
      reason,
      attempts: [],
      computedAt,
    };
  }
  const attempts = secrets.map((s) => verifyWithSecret(req, s));
  let best = attempts[0]!;
  for (const a of attempts) if (RANK[a.status] < RANK[best.status]) best = a;
  return { ...best, attempts, computedAt };
}

function quoted(label: string | null): string {
  return label ? `“${label}”` : "the given secret";
}

function describeSkew(skew: number): string {
  return skew >= 0 ? `${skew} s before the request arrived` : `${-skew} s after the request arrived (the sender's clock is ahead)`;
}

/** How a valid signature's skew stands against the tolerance (not expired, but not always within it). */
function toleranceNote(skew: number, tolerance: number | null, schemeName: string): string {
  if (tolerance === null) return "";
  if (Math.abs(skew) <= tolerance) return `, within the ${tolerance} s tolerance`;
  // Only a one-sided check lets a signature from the future through (Stripe's verifiers reject only old ones).
  return `, beyond the ${tolerance} s tolerance, which ${schemeName} verifiers apply only to signatures from the past, so they accept it; the sender's clock is off`;
}

/** One secret against the request. */
export function verifyWithSecret(req: VerifyRequest, s: SecretForVerification): TSignatureAttempt {
  const base = { ...BLANK, secretId: s.id, secretLabel: s.label };
  let scheme = s.scheme === "auto" ? null : s.scheme;
  if (!scheme) {
    const d = detectScheme(req.headers);
    if (!d) {
      return {
        ...base,
        status: "missing_header",
        reason: `The request carries no signature header Hookscope recognises (${listSchemes()
          .flatMap((d) => d.detect)
          .join(
            ", ",
          )}), and the secret ${quoted(s.label)} is set to detect its scheme. Pick a scheme, or a generic HMAC rule, for senders with their own header.`,
      };
    }
    scheme = d.scheme;
  }
  const def = getScheme(scheme);
  const withScheme = { ...base, scheme };

  let inspection;
  try {
    inspection = def.inspect(req, s.options);
  } catch (e) {
    if (!(e instanceof SecretFormatError)) throw e;
    return { ...withScheme, status: "invalid", cause: "secret_format", reason: e.message };
  }
  if (inspection.kind === "missing")
    return { ...withScheme, status: "missing_header", header: inspection.header, reason: inspection.reason };
  if (inspection.kind === "malformed") {
    return {
      ...withScheme,
      status: "invalid",
      header: inspection.header,
      received: inspection.received,
      cause: "malformed_header",
      reason: inspection.reason,
    };
  }

  const check = inspection.check;
  const skew = check.timestamp === null ? null : Math.floor(req.receivedAt) - check.timestamp;
  const tolerance = check.toleranceSeconds;
  const expired = skew !== null && tolerance !== null && (check.bothDirections ? Math.abs(skew) > tolerance : skew > tolerance);
  const read = {
    ...withScheme,
    header: check.header,
    received: check.received,
    skewSeconds: skew,
    toleranceSeconds: tolerance,
    signedAt: check.timestamp === null ? null : new Date(check.timestamp * 1000).toISOString(),
  };

  if (req.oversize) {
    return {
      ...read,
      status: "invalid",
      cause: "body_not_stored",
      reason: "The body was over this server's size limit (MAX_BODY_BYTES) and was not stored, so its signature cannot be checked.",
    };
  }

  let key: Buffer;
  try {
    key = def.key(s.secret, s.options);
  } catch (e) {
    if (!(e instanceof SecretFormatError)) throw e;
    return { ...read, status: "invalid", cause: "secret_format", reason: e.message };
  }

  const macs = check.mac(req.body, key);
  const hit = matchIndex(check, macs);
  const shown = macs[Math.max(hit, 0)]!;
  const result = { ...read, expected: check.format(shown.mac.toString(check.encoding)), url: shown.url ?? null };
  const schemeName = def.label;

  if (hit >= 0) {
    const after = check.afterMatch?.(req.body);
    if (after) return { ...result, status: "invalid", cause: after.cause, reason: after.reason };
    if (expired) {
      return {
        ...result,
        status: "expired",
        reason: `The ${schemeName} signature is correct, but it was made ${describeSkew(skew!)}, outside the ${tolerance} s tolerance. A replayed or long-delayed request, or a clock that is off; a verifier with this tolerance rejects it.`,
      };
    }
    const when = skew === null ? "" : ` Signed ${describeSkew(skew)}${toleranceNote(skew, tolerance, schemeName)}.`;
    const over = shown.url ? ` Over the URL ${shown.url}.` : "";
    return { ...result, status: "valid", reason: `Valid ${schemeName} signature, made with the secret ${quoted(s.label)}.${over}${when}` };
  }

  const d = diagnose(req, check, key, s, macs, schemeName);
  const late = expired ? ` The signed timestamp is also ${describeSkew(skew!)}, outside the ${tolerance} s tolerance.` : "";
  return { ...result, status: "invalid", cause: d.cause, reason: d.reason + late };
}

function matches(check: PreparedCheck, macs: ComputedMac[]): boolean {
  return matchIndex(check, macs) >= 0;
}

function matchIndex(check: PreparedCheck, macs: ComputedMac[]): number {
  let found = -1;
  // Every comparison runs (no early exit), so timing does not tell which candidate matched.
  macs.forEach((m, i) => {
    const expected = m.mac.toString(check.encoding);
    for (const sig of check.signatures) if (safeEqual(sig, expected) && found === -1) found = i;
  });
  return found;
}

interface AltKey {
  key: Buffer;
  description: string;
}

/** Other ways a sender may turn the same secret into key bytes. */
function alternativeKeys(secret: string, primary: Buffer): AltKey[] {
  const bare = secret.startsWith("whsec_") ? secret.slice(6) : secret;
  const out: AltKey[] = [
    { key: Buffer.from(secret, "utf8"), description: "the whole secret as text, whsec_ prefix included (as Stripe does)" },
    { key: Buffer.from(bare, "utf8"), description: "the secret as text without its whsec_ prefix" },
  ];
  const decoded = decodeBase64Strict(bare);
  if (decoded) out.push({ key: decoded, description: "the base64-decoded secret (as Standard Webhooks / Svix do)" });
  if (/^(?:[0-9a-f]{2})+$/i.test(bare)) out.push({ key: Buffer.from(bare, "hex"), description: "the hex-decoded secret" });
  const seen = new Set<string>([primary.toString("hex")]);
  return out.filter((k) => {
    const id = k.key.toString("hex");
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function labelEnvironment(label: string | null): "test" | "live" | null {
  if (!label) return null;
  if (/\b(test|testing|dev|development|staging|sandbox|local|cli)\b/i.test(label)) return "test";
  if (/\b(live|prod|production)\b/i.test(label)) return "live";
  return null;
}

function diagnose(
  req: VerifyRequest,
  check: PreparedCheck,
  key: Buffer,
  s: SecretForVerification,
  macs: ComputedMac[],
  schemeName: string,
): { cause: TSignatureCause; reason: string } {
  for (const v of bodyVariants(req.body)) {
    if (!matches(check, check.mac(v.body, key))) continue;
    const advice =
      v.cause === "body_reserialized"
        ? "The JSON was parsed and written out again between signing and arrival: by the sender, a proxy or API gateway, or a framework's body parser. Verify the raw bytes before any JSON parsing, and forward bodies unchanged."
        : "Whitespace or line endings changed between signing and arrival: a proxy or a tool rewrote the body. Verify the raw bytes, and forward bodies unchanged.";
    return { cause: v.cause, reason: `The signature matches the body ${v.description}, not the exact bytes that arrived. ${advice}` };
  }

  const other = check.encoding === "hex" ? "base64" : "hex";
  for (const sig of check.signatures) {
    const bytes = decodeSignature(sig, other);
    if (bytes && macs.some((m) => m.mac.equals(bytes))) {
      return {
        cause: "wrong_encoding",
        reason: `The signature is right but written in ${other}, while ${schemeName} signatures are ${check.encoding}. Set the rule's encoding to ${other}, or have the sender encode in ${check.encoding}.`,
      };
    }
    if (check.encoding === "hex" && sig !== sig.toLowerCase() && macs.some((m) => m.mac.toString("hex") === sig.toLowerCase())) {
      return {
        cause: "wrong_encoding",
        reason: "The signature is right but in upper-case hex; most verifiers compare lower-case hex exactly.",
      };
    }
  }

  for (const variant of check.algorithmVariants ?? []) {
    if (matches(check, variant.mac(req.body, key))) {
      return {
        cause: "wrong_algorithm",
        reason: `The signature is an HMAC-${variant.label.toUpperCase()}, not what the rule says. Set the rule's algorithm to ${variant.label}.`,
      };
    }
  }

  for (const alt of alternativeKeys(s.secret, key)) {
    if (matches(check, check.mac(req.body, alt.key))) {
      return {
        cause: "secret_format",
        reason: `The secret is right, but the sender uses ${alt.description}. Check the scheme chosen for this secret: a Standard Webhooks / Svix whsec_ secret is base64-decoded, a Stripe whsec_ secret is used as text.`,
      };
    }
  }

  const env = check.environment?.(req.body) ?? null;
  const secretEnv = labelEnvironment(s.label);
  if (env && secretEnv && env.mode !== secretEnv) {
    return {
      cause: "other_environment",
      reason: `${env.note} The secret ${quoted(s.label)} looks like a ${secretEnv}-mode secret, and ${env.mode} and ${secretEnv} endpoints have different secrets. Add the ${env.mode}-mode secret.`,
    };
  }
  return {
    cause: "wrong_secret",
    reason:
      `The signature does not match the exact bytes that arrived using the secret ${quoted(s.label)}, and no re-serialization of the body, other encoding or other form of the secret matches either: the body or the secret differs. Either the body was changed after it was signed, or the sender signs with another secret. ${check.secretAdvice}` +
      (env ? ` ${env.note}` : ""),
  };
}
