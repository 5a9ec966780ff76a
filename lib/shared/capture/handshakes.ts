// Provider handshakes: the verification requests a provider sends before it will deliver to a
// URL, answered the way each provider documents, so a capture URL can be registered at all.
// Pure: the request's method, headers, query and body in, the answer out; the capture handler
// sends it and the capture detail rebuilds it (lib/shared/capture/answer.ts). Each one is stored
// like any capture. An endpoint turns them off with its response setting `handshakes: false`.
//
// Zoom's endpoint.url_validation and X's CRC are answered with an HMAC keyed by the endpoint's
// signing secret of that scheme (lib/shared/signatures/schemes/zoom.ts, x.ts): the handler looks the
// secret up only for such a request (secretHandshakeOf) and passes the HMAC in. Without a secret
// they get the endpoint's own answer: a made-up token would only tell the provider the URL is wrong.
// Meta's hub.verify_token is echoed whatever it is (we hold no token to compare).
import { hmac } from "../signatures/crypto";

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

/** The handshakes answered with an HMAC keyed by one of the endpoint's signing secrets: the scheme of that secret. */
export type SecretHandshake = "zoom" | "x";

/**
 * The HMAC token a secret handshake answers with, given the request's challenge; null when the
 * endpoint holds no secret of that scheme (the handshake is then not answered).
 */
export type HandshakeToken = (kind: SecretHandshake, challenge: string) => string | null;

const NO_TOKEN: HandshakeToken = () => null;

/** Zoom: encryptedToken = hex HMAC-SHA256 of plainToken keyed with the app's Secret Token. */
export const zoomToken = (secret: string, plainToken: string): string => hmac("sha256", secret, plainToken).toString("hex");
/** X: response_token = "sha256=" + base64 HMAC-SHA256 of crc_token keyed with the consumer secret. */
export const xToken = (secret: string, crcToken: string): string => `sha256=${hmac("sha256", secret, crcToken).toString("base64")}`;

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

const ZOOM_EVENT = "endpoint.url_validation";
const SLACK_TYPE = "url_verification";
const bytesOf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The challenge of a Zoom or X handshake, or null: cheap, so the handler looks a secret up only for these. */
export function secretHandshakeOf(req: HandshakeRequest): { kind: SecretHandshake; challenge: string } | null {
  const method = req.method.toUpperCase();
  // X (Twitter) Account Activity CRC: GET ?crc_token=… → {"response_token": "sha256=<base64 HMAC>"}.
  // https://docs.x.com/x-api/webhooks/introduction#challenge-response-checks
  if (method === "GET" && req.query !== null && req.query.includes("crc_token=")) {
    const crc = new URLSearchParams(req.query).get("crc_token");
    if (crc !== null) return { kind: "x", challenge: crc };
  }
  // Zoom: POST {"event": "endpoint.url_validation", "payload": {"plainToken": …}} → {"plainToken", "encryptedToken": hex HMAC}.
  // https://developers.zoom.us/docs/api/webhooks/#validate-your-webhook-endpoint
  // A byte search first: every POST comes through here, and only Zoom's validation holds these bytes.
  if (method === "POST" && req.body !== null && req.body.length <= MAX_HANDSHAKE_BODY && bytesOf(req.body).includes(ZOOM_EVENT)) {
    const body = jsonBody(req);
    const payload = body?.payload;
    if (body?.event === ZOOM_EVENT && payload !== null && typeof payload === "object" && !Array.isArray(payload)) {
      const plain = (payload as Record<string, unknown>).plainToken;
      if (typeof plain === "string") return { kind: "zoom", challenge: plain };
    }
  }
  return null;
}

/**
 * The handshake this request is, answered as its provider documents; null for any other request.
 * `token` gives the HMAC of a Zoom or X handshake (null without a secret: not answered).
 */
export function providerHandshake(req: HandshakeRequest, token: HandshakeToken = NO_TOKEN): Handshake | null {
  const secret = secretHandshakeOf(req);
  if (secret) {
    const t = token(secret.kind, secret.challenge);
    if (t === null) return null;
    return secret.kind === "zoom"
      ? json("Zoom endpoint.url_validation", { plainToken: secret.challenge, encryptedToken: t })
      : json("X CRC", { response_token: t });
  }
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

    // Twitch EventSub: Twitch-Eventsub-Message-Type webhook_callback_verification → the challenge, raw text.
    // https://dev.twitch.tv/docs/eventsub/handling-webhook-events/#responding-to-a-challenge-request
    const twitch = req.header("twitch-eventsub-message-type") === "webhook_callback_verification";
    // Slack Events API: {"type": "url_verification", "challenge": …} → {"challenge": …}.
    // https://api.slack.com/events/url_verification
    // The body is parsed only when it can be one of these (as for Zoom's above): every POST comes
    // through here, and Slack writes "url_verification" plainly.
    const slack = !twitch && req.body !== null && req.body.length <= MAX_HANDSHAKE_BODY && bytesOf(req.body).includes(SLACK_TYPE);
    const body = twitch || slack ? jsonBody(req) : null;
    if (twitch && typeof body?.challenge === "string") {
      return text("Twitch EventSub webhook_callback_verification", body.challenge);
    }
    if (body?.type === SLACK_TYPE && typeof body.challenge === "string") {
      return json("Slack url_verification", { challenge: body.challenge });
    }
  }
  return null;
}
