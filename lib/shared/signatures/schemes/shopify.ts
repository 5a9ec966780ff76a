// Shopify: `X-Shopify-Hmac-Sha256: <base64>`, HMAC-SHA256 of the body keyed with the app's
// client secret (or the shop's webhook signing secret for admin-created webhooks).
import { hmac, nodeCrypto } from "../crypto";
import { findHeader } from "../headers";
import { shopifySamples } from "../sample-events/shopify";
import { defineScheme } from "../types";

export const SHOPIFY_HEADER = "X-Shopify-Hmac-Sha256";

export const shopify = defineScheme({
  id: "shopify",
  label: "Shopify",
  secretPlaceholder: "The app's client secret",
  timestamped: false,
  detect: [SHOPIFY_HEADER],
  headers: () => [SHOPIFY_HEADER],
  secretHeaders: [SHOPIFY_HEADER],
  sign: ({ secret, body }) => ({ headers: [[SHOPIFY_HEADER, hmac("sha256", secret, body).toString("base64")]] }),
  testEvents: {
    events: shopifySamples,
    note: "X-Shopify-Hmac-Sha256, the app's client secret",
    randomSecret: () => nodeCrypto().randomBytes(16).toString("hex"),
  },
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect(req) {
    const h = findHeader(req.headers, SHOPIFY_HEADER);
    if (!h) return { kind: "missing", header: SHOPIFY_HEADER, reason: "The request has no X-Shopify-Hmac-Sha256 header." };
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: [h.value.trim()],
        encoding: "base64",
        format: (sig) => sig,
        mac: (body, key) => [{ mac: hmac("sha256", key, body) }],
        timestamp: null,
        toleranceSeconds: null,
        bothDirections: false,
        secretAdvice:
          "For an app, the key is the app's client secret (Partner Dashboard → the app → Client credentials); for a webhook created in the shop admin, the signing secret shown under Settings → Notifications → Webhooks.",
      },
    };
  },
});
