// Slack sample events: Slack Events API payloads. Signature headers are added when signing.
import type { SampleBuilder } from "../types";
import { rid, digits, upper, json } from "./random";

const SLACK_HEADERS = (): [string, string][] => [["User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"]];

export const slackSamples: Record<string, SampleBuilder> = {
  event_callback: (ctx) => {
    const team = upper("T0", 9);
    const ts = `${ctx.now}.${digits(6)}`;
    return {
      contentType: "application/json",
      headers: SLACK_HEADERS(),
      body: json({
        token: rid("", 24),
        team_id: team,
        context_team_id: team,
        api_app_id: upper("A0", 9),
        event: { type: "app_mention", user: upper("U0", 9), text: "<@U0HOOKSCOPE> ping", ts, channel: upper("C0", 9), event_ts: ts },
        type: "event_callback",
        event_id: upper("Ev0", 9),
        event_time: ctx.now,
        authorizations: [{ enterprise_id: null, team_id: team, user_id: upper("U0", 9), is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      }),
    };
  },
  url_verification: () => ({
    contentType: "application/json",
    headers: SLACK_HEADERS(),
    body: json({ token: rid("", 24), challenge: rid("", 48), type: "url_verification" }),
  }),
};
