// Zoom: `x-zm-signature: v0=<hex>` of HMAC-SHA256 over `v0:${x-zm-request-timestamp}:${body}`, keyed
// with the app's Secret Token. The same secret answers Zoom's endpoint.url_validation handshake
// (lib/shared/capture/handshakes.ts). https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
import { hmac } from "../crypto";
import { findHeader } from "../headers";
import { DEFAULT_TOLERANCE_SECONDS, defineScheme, toleranceOf } from "../types";

export const ZOOM_HEADER = "x-zm-signature";
export const ZOOM_TIMESTAMP_HEADER = "x-zm-request-timestamp";

function zoomMac(key: Buffer | string, timestamp: string, body: Buffer): Buffer {
  return hmac("sha256", key, `v0:${timestamp}:`, body);
}

export const zoom = defineScheme({
  id: "zoom",
  label: "Zoom",
  secretPlaceholder: "The app's Secret Token (Features → Access)",
  timestamped: true,
  detect: [ZOOM_HEADER],
  headers: () => [ZOOM_HEADER, ZOOM_TIMESTAMP_HEADER],
  secretHeaders: [ZOOM_HEADER],
  sign: ({ secret, body, timestamp }) => ({
    headers: [
      [ZOOM_TIMESTAMP_HEADER, String(timestamp)],
      [ZOOM_HEADER, `v0=${zoomMac(secret, String(timestamp), body).toString("hex")}`],
    ],
  }),
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect(req, options) {
    const h = findHeader(req.headers, ZOOM_HEADER);
    if (!h) return { kind: "missing", header: ZOOM_HEADER, reason: "The request has no x-zm-signature header." };
    const ts = findHeader(req.headers, ZOOM_TIMESTAMP_HEADER);
    if (!ts) {
      return {
        kind: "missing",
        header: ZOOM_TIMESTAMP_HEADER,
        reason: "x-zm-signature is there but x-zm-request-timestamp, which is signed with the body, is missing.",
      };
    }
    const tsRaw = ts.value.trim();
    const value = h.value.trim();
    if (!value.startsWith("v0="))
      return { kind: "malformed", header: h.name, received: h.value, reason: "x-zm-signature should look like v0=<hex>." };
    if (!/^\d{1,12}$/.test(tsRaw)) {
      return { kind: "malformed", header: ts.name, received: ts.value, reason: "x-zm-request-timestamp is not a Unix time in seconds." };
    }
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: [value.slice(3)],
        encoding: "hex",
        format: (sig) => `v0=${sig}`,
        mac: (body, key) => [{ mac: zoomMac(key, tsRaw, body) }],
        timestamp: Number(tsRaw),
        toleranceSeconds: toleranceOf(options, DEFAULT_TOLERANCE_SECONDS),
        bothDirections: true,
        secretAdvice: "Use the app's Secret Token (Zoom Marketplace → the app → Features → Access), not the deprecated Verification Token.",
      },
    };
  },
});
