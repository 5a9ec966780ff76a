// X (Twitter) Account Activity: `x-twitter-webhooks-signature: sha256=<base64>` of HMAC-SHA256 over
// the body, keyed with the app's consumer secret (API key secret). The same secret answers X's CRC
// check, GET ?crc_token=… (lib/shared/capture/handshakes.ts).
// https://docs.x.com/x-api/webhooks/introduction (securing webhooks)
import { hmac } from "../crypto";
import { findHeader } from "../headers";
import { defineScheme } from "../types";

export const X_HEADER = "x-twitter-webhooks-signature";

export const x = defineScheme({
  id: "x",
  label: "X (Twitter)",
  secretPlaceholder: "The app's consumer secret (API Key Secret)",
  timestamped: false,
  detect: [X_HEADER],
  headers: () => [X_HEADER],
  secretHeaders: [X_HEADER],
  sign: ({ secret, body }) => ({ headers: [[X_HEADER, `sha256=${hmac("sha256", secret, body).toString("base64")}`]] }),
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect(req) {
    const h = findHeader(req.headers, X_HEADER);
    if (!h) return { kind: "missing", header: X_HEADER, reason: "The request has no x-twitter-webhooks-signature header." };
    const value = h.value.trim();
    if (!value.startsWith("sha256=")) {
      return {
        kind: "malformed",
        header: h.name,
        received: h.value,
        reason: "x-twitter-webhooks-signature should look like sha256=<base64>.",
      };
    }
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: [value.slice(7)],
        encoding: "base64",
        format: (sig) => `sha256=${sig}`,
        mac: (body, key) => [{ mac: hmac("sha256", key, body) }],
        timestamp: null,
        toleranceSeconds: null,
        bothDirections: false,
        secretAdvice:
          "Use the app's consumer secret (Developer Portal → the app → Keys and tokens → API Key Secret), not a bearer or access token.",
      },
    };
  },
});
