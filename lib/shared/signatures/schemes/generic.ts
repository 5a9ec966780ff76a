// A generic HMAC rule for senders with their own design: one header, sha1/sha256/sha512, hex or
// base64, an optional prefix such as "sha256=", over the body or timestamp + separator + body.
import type { TGenericOptions } from "../../validation/signatures";
import { hmac, type HashAlgorithm } from "../crypto";
import { findHeader } from "../headers";
import { defineScheme, SecretFormatError, toleranceOf } from "../types";

/** Milliseconds-looking timestamps (13 digits) are read as milliseconds. */
export function parseLooseTimestamp(raw: string): number | null {
  if (!/^\d{1,16}$/.test(raw)) return null;
  const n = Number(raw);
  return n > 1e11 ? Math.floor(n / 1000) : n;
}

export function genericMac(
  rule: TGenericOptions,
  algorithm: HashAlgorithm,
  key: Buffer,
  body: Buffer,
  timestampRaw: string | null,
): Buffer {
  return rule.signed === "timestamp_body"
    ? hmac(algorithm, key, `${timestampRaw ?? ""}${rule.separator}`, body)
    : hmac(algorithm, key, body);
}

const ALGORITHMS: HashAlgorithm[] = ["sha1", "sha256", "sha512"];

export const generic = defineScheme({
  id: "generic",
  label: "Generic HMAC",
  secretPlaceholder: "The shared secret",
  timestamped: true,
  needsRule: true,
  // Its headers are the rule's: nothing to detect, and share links add each endpoint's rule headers.
  detect: [],
  headers: ({ generic: rule }) => (rule ? [rule.header, ...(rule.timestampHeader ? [rule.timestampHeader] : [])] : []),
  secretHeaders: [],
  sign({ secret, body, timestamp, options }) {
    const rule = options?.generic;
    if (!rule) throw new Error("A generic HMAC signature needs options.generic");
    const tsRaw = String(timestamp);
    const sig = genericMac(rule, rule.algorithm, Buffer.from(secret, "utf8"), body, tsRaw).toString(rule.encoding);
    const headers: [string, string][] = [];
    if (rule.signed === "timestamp_body") headers.push([rule.timestampHeader!, tsRaw]);
    headers.push([rule.header, `${rule.prefix}${sig}`]);
    return { headers };
  },
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect(req, options) {
    const rule = options.generic;
    if (!rule) throw new SecretFormatError("This generic HMAC secret has no rule (header, algorithm, encoding).");
    const h = findHeader(req.headers, rule.header);
    if (!h) return { kind: "missing", header: rule.header, reason: `The request has no ${rule.header} header.` };
    let tsRaw: string | null = null;
    let timestamp: number | null = null;
    if (rule.signed === "timestamp_body") {
      const ts = findHeader(req.headers, rule.timestampHeader!);
      if (!ts)
        return {
          kind: "missing",
          header: rule.timestampHeader!,
          reason: `${h.name} is there but the timestamp header ${rule.timestampHeader} is missing.`,
        };
      tsRaw = ts.value.trim();
      timestamp = parseLooseTimestamp(tsRaw);
      if (timestamp === null) return { kind: "malformed", header: ts.name, received: ts.value, reason: `${ts.name} is not a Unix time.` };
    }
    const value = h.value.trim();
    const signature = rule.prefix && value.startsWith(rule.prefix) ? value.slice(rule.prefix.length) : value;
    const macWith = (algorithm: HashAlgorithm) => (body: Buffer, key: Buffer) => [{ mac: genericMac(rule, algorithm, key, body, tsRaw) }];
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: [signature],
        encoding: rule.encoding,
        format: (sig) => `${rule.prefix}${sig}`,
        mac: macWith(rule.algorithm),
        timestamp,
        toleranceSeconds: timestamp === null ? null : toleranceOf(options, null),
        bothDirections: true,
        algorithmVariants: ALGORITHMS.filter((a) => a !== rule.algorithm).map((a) => ({ label: a, mac: macWith(a) })),
        secretAdvice:
          "Check the secret against the sender's settings, and the rule (header, algorithm, encoding, prefix, what is signed) against its documentation.",
      },
    };
  },
});
