// Slack: `X-Slack-Signature: v0=<hex>` of HMAC-SHA256 over `v0:${X-Slack-Request-Timestamp}:${body}`,
// keyed with the app's signing secret; Slack asks for a five-minute window either way.
import { hmac, nodeCrypto } from "../crypto";
import { findHeader } from "../headers";
import { slackSamples } from "../sample-events/slack";
import { DEFAULT_TOLERANCE_SECONDS, defineScheme, toleranceOf } from "../types";

export const SLACK_HEADER = "X-Slack-Signature";
export const SLACK_TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";

export function slackMac(key: Buffer | string, timestamp: string, body: Buffer): Buffer {
  return hmac("sha256", key, `v0:${timestamp}:`, body);
}

export const slack = defineScheme({
  id: "slack",
  label: "Slack",
  secretPlaceholder: "The app's Signing Secret (Basic Information)",
  timestamped: true,
  detect: [SLACK_HEADER],
  headers: () => [SLACK_HEADER, SLACK_TIMESTAMP_HEADER],
  secretHeaders: [SLACK_HEADER],
  sign: ({ secret, body, timestamp }) => ({
    headers: [
      [SLACK_TIMESTAMP_HEADER, String(timestamp)],
      [SLACK_HEADER, `v0=${slackMac(secret, String(timestamp), body).toString("hex")}`],
    ],
  }),
  testEvents: {
    events: slackSamples,
    note: "X-Slack-Signature + X-Slack-Request-Timestamp, the app's signing secret",
    randomSecret: () => nodeCrypto().randomBytes(16).toString("hex"),
  },
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect(req, options) {
    const h = findHeader(req.headers, SLACK_HEADER);
    if (!h) return { kind: "missing", header: SLACK_HEADER, reason: "The request has no X-Slack-Signature header." };
    const ts = findHeader(req.headers, SLACK_TIMESTAMP_HEADER);
    if (!ts)
      return {
        kind: "missing",
        header: SLACK_TIMESTAMP_HEADER,
        reason: "X-Slack-Signature is there but X-Slack-Request-Timestamp, which is signed with the body, is missing.",
      };
    const tsRaw = ts.value.trim();
    const value = h.value.trim();
    if (!value.startsWith("v0="))
      return { kind: "malformed", header: h.name, received: h.value, reason: "X-Slack-Signature should look like v0=<hex>." };
    if (!/^\d{1,12}$/.test(tsRaw)) {
      return { kind: "malformed", header: ts.name, received: ts.value, reason: "X-Slack-Request-Timestamp is not a Unix time in seconds." };
    }
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: [value.slice(3)],
        encoding: "hex",
        format: (sig) => `v0=${sig}`,
        mac: (body, key) => [{ mac: slackMac(key, tsRaw, body) }],
        timestamp: Number(tsRaw),
        toleranceSeconds: toleranceOf(options, DEFAULT_TOLERANCE_SECONDS),
        bothDirections: true,
        secretAdvice:
          "Use the Signing Secret from the app's Basic Information page (not the verification token, not a bot token); each Slack app, including a separate dev app, has its own.",
      },
    };
  },
});
