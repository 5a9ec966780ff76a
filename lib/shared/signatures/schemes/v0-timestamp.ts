// Slack's signature format, which Zoom adopted: `<header>: v0=<hex>` of HMAC-SHA256 over
// `v0:${timestamp}:${body}`, the timestamp (Unix seconds) in its own header. One inspection for both;
// each scheme gives its header names and its advice on which secret to use.
import { hmac } from "../crypto";
import { findHeader } from "../headers";
import { DEFAULT_TOLERANCE_SECONDS, toleranceOf, type Inspection, type VerifyRequest } from "../types";
import type { TSchemeOptions } from "../../validation/signatures";

export function v0Mac(key: Buffer | string, timestamp: string, body: Buffer): Buffer {
  return hmac("sha256", key, `v0:${timestamp}:`, body);
}

export function inspectV0(
  req: VerifyRequest,
  options: TSchemeOptions,
  o: { header: string; timestampHeader: string; secretAdvice: string },
): Inspection {
  const h = findHeader(req.headers, o.header);
  if (!h) return { kind: "missing", header: o.header, reason: `The request has no ${o.header} header.` };
  const ts = findHeader(req.headers, o.timestampHeader);
  if (!ts) {
    return {
      kind: "missing",
      header: o.timestampHeader,
      reason: `${o.header} is there but ${o.timestampHeader}, which is signed with the body, is missing.`,
    };
  }
  const tsRaw = ts.value.trim();
  const value = h.value.trim();
  if (!value.startsWith("v0="))
    return { kind: "malformed", header: h.name, received: h.value, reason: `${o.header} should look like v0=<hex>.` };
  if (!/^\d{1,12}$/.test(tsRaw)) {
    return { kind: "malformed", header: ts.name, received: ts.value, reason: `${o.timestampHeader} is not a Unix time in seconds.` };
  }
  return {
    kind: "ready",
    check: {
      header: h.name,
      received: h.value,
      signatures: [value.slice(3)],
      encoding: "hex",
      format: (sig) => `v0=${sig}`,
      mac: (body, key) => [{ mac: v0Mac(key, tsRaw, body) }],
      timestamp: Number(tsRaw),
      toleranceSeconds: toleranceOf(options, DEFAULT_TOLERANCE_SECONDS),
      bothDirections: true,
      secretAdvice: o.secretAdvice,
    },
  };
}
