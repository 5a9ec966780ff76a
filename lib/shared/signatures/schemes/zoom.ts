// Zoom: `x-zm-signature: v0=<hex>` of HMAC-SHA256 over `v0:${x-zm-request-timestamp}:${body}`, keyed
// with the app's Secret Token. The same secret answers Zoom's endpoint.url_validation handshake
// (lib/shared/capture/handshakes.ts). https://developers.zoom.us/docs/api/webhooks/#verify-webhook-events
import { defineScheme } from "../types";
import { inspectV0, v0Mac } from "./v0-timestamp";

export const ZOOM_HEADER = "x-zm-signature";
export const ZOOM_TIMESTAMP_HEADER = "x-zm-request-timestamp";

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
      [ZOOM_HEADER, `v0=${v0Mac(secret, String(timestamp), body).toString("hex")}`],
    ],
  }),
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect: (req, options) =>
    inspectV0(req, options, {
      header: ZOOM_HEADER,
      timestampHeader: ZOOM_TIMESTAMP_HEADER,
      secretAdvice: "Use the app's Secret Token (Zoom Marketplace → the app → Features → Access), not the deprecated Verification Token.",
    }),
});
