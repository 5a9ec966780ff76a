// Provider handshakes: the verification requests a provider sends before it will deliver to a
// URL, answered the way each provider documents, so a capture URL can be registered at all.
// Pure: the request's method, headers, query and body in, the answer out; the capture handler
// sends it and the capture detail rebuilds it (lib/shared/capture/answer.ts). Each one is stored
// like any capture. An endpoint turns them off with its response setting `handshakes: false`.
//
// Not answered here: handshakes that need a secret of the user's (Zoom's endpoint.url_validation,
// X's CRC); Meta's hub.verify_token is echoed whatever it is (we hold no token to compare).

/** The parts of a request a handshake is recognised by. `header` takes a lower-case name. */
export interface HandshakeRequest {
  method: string;
  header(name: string): string | undefined;
  /** The raw query string without "?", or null. */
  query: string | null;
  body: Uint8Array | null;
}

export interface Handshake {
  /** What was answered, for the capture detail: e.g. "Slack url_verification". */
  name: string;
  status: number;
  contentType: string | null;
  body: string | null;
  /** Extra headers the provider looks for in the answer. */
  headers: [string, string][];
}

/** Bodies larger than this are never a handshake (they are all a few hundred bytes). */
const MAX_HANDSHAKE_BODY = 16 * 1024;

function jsonBody(req: HandshakeRequest): Record<string, unknown> | null {
  if (!req.body || req.body.length === 0 || req.body.length > MAX_HANDSHAKE_BODY) return null;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(req.body));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const text = (name: string, body: string): Handshake => ({
  name,
  status: 200,
  contentType: "text/plain; charset=utf-8",
  body,
  headers: [],
});
const json = (name: string, value: unknown): Handshake => ({
  name,
  status: 200,
  contentType: "application/json; charset=utf-8",
  body: JSON.stringify(value),
  headers: [],
});

/** The handshake this request is, answered as its provider documents; null for any other request. */
export function providerHandshake(req: HandshakeRequest): Handshake | null {
  const q = new URLSearchParams(req.query ?? "");
  const method = req.method.toUpperCase();

  // Microsoft Graph change notifications: POST ?validationToken=… → 200 text/plain, the token decoded.
  // https://learn.microsoft.com/graph/change-notifications-delivery-webhooks#notificationurl-validation
  const graph = q.get("validationToken");
  if (method === "POST" && graph !== null) return text("Microsoft Graph validationToken", graph);

  if (method === "GET") {
    // Meta (WhatsApp, Instagram, Messenger): GET ?hub.mode=subscribe&hub.challenge=… → the challenge.
    // https://developers.facebook.com/docs/graph-api/webhooks/getting-started#verification-requests
    const hub = q.get("hub.challenge");
    if (q.get("hub.mode") === "subscribe" && hub !== null) return text("Meta hub.challenge", hub);
    // Dropbox: GET ?challenge=… → the challenge as text/plain (with nosniff, which every answer has).
    // https://www.dropbox.com/developers/reference/webhooks#documentation
    const dropbox = q.get("challenge");
    if (dropbox !== null) return text("Dropbox challenge", dropbox);
    // Okta event hooks: GET with X-Okta-Verification-Challenge → {"verification": "<value>"}.
    // https://developer.okta.com/docs/concepts/event-hooks/#one-time-verification-request
    const okta = req.header("x-okta-verification-challenge");
    if (okta !== undefined) return json("Okta verification", { verification: okta });
  }

  if (method === "POST") {
    // Asana: the first POST carries X-Hook-Secret; the answer echoes it in the same header.
    // https://developers.asana.com/docs/webhooks-guide#the-webhook-handshake
    const asana = req.header("x-hook-secret");
    if (asana !== undefined)
      return { name: "Asana X-Hook-Secret", status: 200, contentType: null, body: null, headers: [["X-Hook-Secret", asana]] };

    const body = jsonBody(req);
    // Twitch EventSub: Twitch-Eventsub-Message-Type webhook_callback_verification → the challenge, raw text.
    // https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#responding-to-a-challenge-request
    if (req.header("twitch-eventsub-message-type") === "webhook_callback_verification" && typeof body?.challenge === "string") {
      return text("Twitch EventSub webhook_callback_verification", body.challenge);
    }
    // Slack Events API: {"type": "url_verification", "challenge": …} → {"challenge": …}.
    // https://api.slack.com/events/url_verification
    if (body?.type === "url_verification" && typeof body.challenge === "string") {
      return json("Slack url_verification", { challenge: body.challenge });
    }
  }
  return null;
}
