// Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`, HMAC-SHA256 over
// `${t}.${body}` keyed with the whole whsec_… string. Several v1 entries appear while a secret is
// being rolled; v0 is a fake signature Stripe adds to test-mode events.
import { hmac, nodeCrypto } from "../crypto";
import { findHeader } from "../headers";
import { stripeSamples } from "../sample-events/stripe";
import { DEFAULT_TOLERANCE_SECONDS, defineScheme, toleranceOf } from "../types";

export const STRIPE_HEADER = "Stripe-Signature";

export interface StripeHeader {
  timestamp: number | null;
  v1: string[];
  v0: string[];
}

export function parseStripeHeader(value: string): StripeHeader {
  const out: StripeHeader = { timestamp: null, v1: [], v0: [] };
  for (const item of value.split(",")) {
    const eq = item.indexOf("=");
    if (eq === -1) continue;
    const k = item.slice(0, eq).trim();
    const v = item.slice(eq + 1).trim();
    if (k === "t" && /^\d{1,12}$/.test(v) && out.timestamp === null) out.timestamp = Number(v);
    else if (k === "v1" && v) out.v1.push(v);
    else if (k === "v0" && v) out.v0.push(v);
  }
  return out;
}

export function stripeMac(key: Buffer | string, timestamp: number, body: Buffer): Buffer {
  return hmac("sha256", key, `${timestamp}.`, body);
}

function livemode(body: Buffer): boolean | null {
  try {
    const v = (JSON.parse(body.toString("utf8")) as { livemode?: unknown }).livemode;
    return typeof v === "boolean" ? v : null;
  } catch {
    return null;
  }
}

export const stripe = defineScheme({
  id: "stripe",
  label: "Stripe",
  secretPlaceholder: "whsec_… (Dashboard → Webhooks → the endpoint, or `stripe listen`)",
  timestamped: true,
  detect: [STRIPE_HEADER],
  headers: () => [STRIPE_HEADER],
  secretHeaders: [STRIPE_HEADER],
  sign: ({ secret, body, timestamp: t }) => ({ headers: [[STRIPE_HEADER, `t=${t},v1=${stripeMac(secret, t, body).toString("hex")}`]] }),
  testEvents: {
    events: stripeSamples,
    note: "Stripe-Signature (t=…,v1=…), secret whsec_…",
    randomSecret: () => `whsec_${nodeCrypto().randomBytes(24).toString("hex")}`,
  },
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect(req, options) {
    const h = findHeader(req.headers, STRIPE_HEADER);
    if (!h) return { kind: "missing", header: STRIPE_HEADER, reason: "The request has no Stripe-Signature header." };
    const parsed = parseStripeHeader(h.value);
    if (parsed.timestamp === null || parsed.v1.length === 0) {
      const what = parsed.timestamp === null ? "t= timestamp" : "v1= signature";
      return {
        kind: "malformed",
        header: h.name,
        received: h.value,
        reason: `Stripe-Signature has no ${what}; expected t=<unix time>,v1=<hex>.`,
      };
    }
    const t = parsed.timestamp;
    const testModeByHeader = parsed.v0.length > 0;
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: parsed.v1,
        encoding: "hex",
        format: (sig) => `t=${t},v1=${sig}`,
        mac: (body, key) => [{ mac: stripeMac(key, t, body) }],
        timestamp: t,
        toleranceSeconds: toleranceOf(options, DEFAULT_TOLERANCE_SECONDS),
        bothDirections: false,
        environment(body) {
          const live = livemode(body);
          if (live === true)
            return {
              mode: "live",
              note: "This is a live-mode event (livemode: true): it is signed with the secret of a live-mode endpoint.",
            };
          if (live === false || testModeByHeader)
            return {
              mode: "test",
              note: "This is a test-mode event (livemode: false): it is signed with the secret of a test-mode endpoint or of `stripe listen`.",
            };
          return null;
        },
        secretAdvice:
          "Each Stripe endpoint has its own whsec_ secret (Dashboard → Developers → Webhooks → the endpoint → Signing secret), test and live endpoints differ, and `stripe listen` prints yet another one.",
      },
    };
  },
});
