// Standard Webhooks (and Svix, which it grew out of): webhook-id / webhook-timestamp /
// webhook-signature, or the same with an svix- prefix. The signature header holds
// space-separated `v1,<base64>` entries (several while a secret is rotated) of HMAC-SHA256 over
// `${id}.${timestamp}.${body}`, keyed with the base64-decoded part of a `whsec_<base64>` secret.
import { decodeBase64Strict, hmac, nodeCrypto } from "../crypto";
import { findHeader, type HeaderPairs } from "../headers";
import { standardSamples } from "../sample-events/standard";
import { DEFAULT_TOLERANCE_SECONDS, defineScheme, SecretFormatError, toleranceOf } from "../types";

export const STANDARD_PREFIXES = ["webhook", "svix"] as const;

export function standardKey(secret: string): Buffer {
  const raw = secret.startsWith("whsec_") ? secret.slice(6) : secret;
  const key = decodeBase64Strict(raw);
  if (!key) throw new SecretFormatError("A Standard Webhooks / Svix secret is base64, usually written whsec_<base64>; this one is not.");
  return key;
}

export function standardMac(key: Buffer, id: string, timestamp: string, body: Buffer): Buffer {
  return hmac("sha256", key, `${id}.${timestamp}.`, body);
}

/** Which header family the request uses: webhook-* first, then svix-*. */
export function standardHeaderPrefix(headers: HeaderPairs): (typeof STANDARD_PREFIXES)[number] | null {
  for (const p of STANDARD_PREFIXES) if (findHeader(headers, `${p}-signature`)) return p;
  return null;
}

export function newMessageId(): string {
  return `msg_${nodeCrypto().randomBytes(18).toString("base64url")}`;
}

export const standard = defineScheme({
  id: "standard",
  label: "Standard Webhooks / Svix",
  secretPlaceholder: "whsec_… (base64)",
  timestamped: true,
  detect: ["webhook-signature", "svix-signature"],
  headers: () => STANDARD_PREFIXES.flatMap((p) => [`${p}-id`, `${p}-timestamp`, `${p}-signature`]),
  secretHeaders: ["webhook-signature", "svix-signature"],
  sign({ secret, body, timestamp, id, headerPrefix, original }) {
    // Re-signing keeps the header family and the message id: receivers de-duplicate by the id,
    // and it is part of what is signed.
    const p = headerPrefix ?? (original && standardHeaderPrefix(original)) ?? "webhook";
    const msgId = id ?? (original && findHeader(original, `${p}-id`)?.value) ?? newMessageId();
    const sig = standardMac(standardKey(secret), msgId, String(timestamp), body).toString("base64");
    return {
      headers: [
        [`${p}-id`, msgId],
        [`${p}-timestamp`, String(timestamp)],
        [`${p}-signature`, `v1,${sig}`],
      ],
    };
  },
  testEvents: {
    events: standardSamples,
    note: "webhook-id/-timestamp/-signature (--svix for svix-*), secret whsec_<base64>",
    randomSecret: () => `whsec_${nodeCrypto().randomBytes(24).toString("base64")}`,
  },
  key: (secret) => standardKey(secret),
  inspect(req, options) {
    const prefix = standardHeaderPrefix(req.headers);
    if (!prefix)
      return { kind: "missing", header: "webhook-signature", reason: "The request has no webhook-signature (or svix-signature) header." };
    const sig = findHeader(req.headers, `${prefix}-signature`)!;
    const id = findHeader(req.headers, `${prefix}-id`);
    const ts = findHeader(req.headers, `${prefix}-timestamp`);
    if (!id)
      return {
        kind: "missing",
        header: `${prefix}-id`,
        reason: `${sig.name} is there but ${prefix}-id, which is signed with the body, is missing.`,
      };
    if (!ts)
      return {
        kind: "missing",
        header: `${prefix}-timestamp`,
        reason: `${sig.name} is there but ${prefix}-timestamp, which is signed with the body, is missing.`,
      };
    const tsRaw = ts.value.trim();
    if (!/^\d{1,12}$/.test(tsRaw))
      return { kind: "malformed", header: ts.name, received: ts.value, reason: `${ts.name} is not a Unix time in seconds.` };
    const entries = sig.value.trim().split(/\s+/).filter(Boolean);
    const v1 = entries.filter((e) => e.startsWith("v1,")).map((e) => e.slice(3));
    if (v1.length === 0) {
      const why = entries.some((e) => e.startsWith("v1a,"))
        ? "it carries only v1a (asymmetric ed25519) signatures, which need the sender's public key, not a shared secret"
        : "expected space-separated v1,<base64> entries";
      return { kind: "malformed", header: sig.name, received: sig.value, reason: `${sig.name} has no v1 signature: ${why}.` };
    }
    const msgId = id.value;
    return {
      kind: "ready",
      check: {
        header: sig.name,
        received: sig.value,
        signatures: v1,
        encoding: "base64",
        format: (s) => `v1,${s}`,
        mac: (body, key) => [{ mac: standardMac(key, msgId, tsRaw, body) }],
        timestamp: Number(tsRaw),
        toleranceSeconds: toleranceOf(options, DEFAULT_TOLERANCE_SECONDS),
        bothDirections: true,
        secretAdvice:
          "Use the endpoint's signing secret (whsec_…) from the sender's portal; every endpoint, and every environment of a Svix application, has its own.",
      },
    };
  },
});
