// Slack: `X-Slack-Signature: v0=<hex>` of HMAC-SHA256 over `v0:${X-Slack-Request-Timestamp}:${body}`,
// keyed with the app's signing secret; Slack asks for a five-minute window either way.
import { nodeCrypto } from "../crypto";
import { slackSamples } from "../sample-events/slack";
import { defineScheme } from "../types";
import { inspectV0, v0Mac } from "./v0-timestamp";

export const SLACK_HEADER = "X-Slack-Signature";
export const SLACK_TIMESTAMP_HEADER = "X-Slack-Request-Timestamp";

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
      [SLACK_HEADER, `v0=${v0Mac(secret, String(timestamp), body).toString("hex")}`],
    ],
  }),
  testEvents: {
    events: slackSamples,
    note: "X-Slack-Signature + X-Slack-Request-Timestamp, the app's signing secret",
    randomSecret: () => nodeCrypto().randomBytes(16).toString("hex"),
  },
  key: (secret) => Buffer.from(secret, "utf8"),
  inspect: (req, options) =>
    inspectV0(req, options, {
      header: SLACK_HEADER,
      timestampHeader: SLACK_TIMESTAMP_HEADER,
      secretAdvice:
        "Use the Signing Secret from the app's Basic Information page (not the verification token, not a bot token); each Slack app, including a separate dev app, has its own.",
    }),
});
