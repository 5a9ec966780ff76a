// A capture's event type: what the provider says happened ("payment_intent.succeeded", "push",
// "pull_request.opened", "orders/create"), read from the headers and, when it is small JSON, the
// body. Pure and universal: the capture write stores it (lib/server/db/capture-insert.ts, column
// captures.event_type) so lists show it and `type:` filters on it; an event catalogue, inferred
// schemas or replay by type should call detectEventType too, so every feature agrees.
//
// Rules, first match wins:
//   stripe    Stripe-Signature header, or a body with object: "event"     → body `type`
//   github    X-GitHub-Event header                                         → event, or event.action ("pull_request.opened")
//   shopify   X-Shopify-Topic header                                        → the topic ("orders/create")
//   slack     X-Slack-Signature header, or type "event_callback" with event → inner event.type for event_callback, else `type`
//   standard  webhook-id or svix-id header (Standard Webhooks / Svix)       → body `type`
//   twilio    X-Twilio-Signature and a form body                            → "message.<MessageStatus|SmsStatus>" or "call.<CallStatus>"
//   generic   a top-level string field `type`, `event`, `event_type` or `eventType` of a JSON object body
//
// Cost bounds (this runs on the capture path): the body is read only when it is at most
// EVENT_TYPE_MAX_BODY_BYTES, not content-encoded (gzip stays gzip), and JSON by its Content-Type
// (or, with none, starts with "{"); Twilio's form only under the same size bound. Headers are
// looked up by name only. A type must be 1–EVENT_TYPE_MAX_LENGTH characters with no control, bidi or
// invisible characters (lib/shared/format/invisible.ts): a type is a name people filter and group
// by, and `invoice.pa\u200Bid` must not pass for `invoice.paid`.

import { mayHide } from "../format/invisible";
import { wildcardMatch } from "../search/wildcard";

export const EVENT_SOURCES = ["stripe", "github", "shopify", "slack", "standard", "twilio", "generic"] as const;
export type TEventSource = (typeof EVENT_SOURCES)[number];

export interface TEventType {
  type: string;
  source: TEventSource;
}

/** Bodies larger than this are not parsed (header rules still apply). */
export const EVENT_TYPE_MAX_BODY_BYTES = 256 * 1024;
/** Longer strings are not taken for an event type. */
export const EVENT_TYPE_MAX_LENGTH = 200;

export type TEventHeaders = readonly (readonly [string, string])[];

export interface TEventInput {
  /** [name, value][] as captured (any case, repeats kept). */
  headers: TEventHeaders;
  /** The body bytes as captured; null or empty when there is none. */
  body: Uint8Array | null;
}

/** Labels for the sources, for badges and tooltips. */
export const EVENT_SOURCE_LABELS: Record<TEventSource, string> = {
  stripe: "Stripe",
  github: "GitHub",
  shopify: "Shopify",
  slack: "Slack",
  standard: "Standard Webhooks",
  twilio: "Twilio",
  generic: "event",
};

const GENERIC_FIELDS = ["type", "event", "event_type", "eventType"] as const;
const decoder = new TextDecoder("utf-8");

function header(headers: TEventHeaders, name: string): string | null {
  for (const [n, v] of headers) if (n.length === name.length && n.toLowerCase() === name) return v;
  return null;
}

/** The value as an event type, or null when it is not a usable one. */
export function cleanEventType(v: unknown): string | null {
  if (typeof v !== "string") return null;
  const s = v.trim();
  if (s.length === 0 || s.length > EVENT_TYPE_MAX_LENGTH || mayHide(s)) return null;
  return s;
}

function isEncoded(headers: TEventHeaders): boolean {
  const enc = header(headers, "content-encoding");
  return enc !== null && enc.trim().toLowerCase() !== "identity" && enc.trim() !== "";
}

/** The JSON object the body holds, or null (not JSON, too large, encoded, not an object, malformed). */
function jsonObject(input: TEventInput): Record<string, unknown> | null {
  const body = input.body;
  if (!body || body.length === 0 || body.length > EVENT_TYPE_MAX_BODY_BYTES || isEncoded(input.headers)) return null;
  const ct = header(input.headers, "content-type");
  if (ct !== null) {
    if (!ct.toLowerCase().includes("json")) return null;
  } else {
    let i = 0;
    while (i < body.length && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
    if (body[i] !== 0x7b) return null; // "{"
  }
  try {
    const v: unknown = JSON.parse(decoder.decode(body));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function formFields(input: TEventInput): URLSearchParams | null {
  const body = input.body;
  if (!body || body.length === 0 || body.length > EVENT_TYPE_MAX_BODY_BYTES || isEncoded(input.headers)) return null;
  const ct = header(input.headers, "content-type");
  if (!ct?.toLowerCase().includes("application/x-www-form-urlencoded")) return null;
  return new URLSearchParams(decoder.decode(body));
}

const found = (type: string | null, source: TEventSource): TEventType | null => (type === null ? null : { type, source });

/** An event type and the body's JSON object, parsed at most once and only when asked for. */
export interface TEventReading {
  event: TEventType | null;
  /** The body as a JSON object (null: not JSON, too large, encoded, …); parses on first call, then remembers. */
  json(): Record<string, unknown> | null;
}

/**
 * The event type of a request, with its parsed body for callers that read more of it (the event
 * key, lib/shared/events/event-key.ts) without parsing it again. Never throws.
 */
export function readEvent(input: TEventInput): TEventReading {
  let parsed: Record<string, unknown> | null | undefined;
  const json = () => (parsed === undefined ? (parsed = jsonObject(input)) : parsed);
  return { event: detect(input, json), json };
}

/**
 * The event type of a request, from its headers and (small, unencoded JSON or form) body; null
 * when nothing names one. Never throws.
 */
export function detectEventType(input: TEventInput): TEventType | null {
  return readEvent(input).event;
}

function detect(input: TEventInput, json: () => Record<string, unknown> | null): TEventType | null {
  const { headers } = input;
  const github = cleanEventType(header(headers, "x-github-event"));
  if (github !== null) {
    const action = cleanEventType(json()?.action);
    return found(cleanEventType(action === null ? github : `${github}.${action}`) ?? github, "github");
  }
  const topic = cleanEventType(header(headers, "x-shopify-topic"));
  if (topic !== null) return { type: topic, source: "shopify" };

  if (header(headers, "x-twilio-signature") !== null) {
    const form = formFields(input);
    if (form) {
      const message = form.get("MessageStatus") ?? form.get("SmsStatus");
      const call = form.get("CallStatus");
      const t = cleanEventType(message !== null ? `message.${message}` : call !== null ? `call.${call}` : null);
      if (t !== null) return { type: t, source: "twilio" };
    }
  }

  const body = json();
  if (body === null) return null;
  return fromJson(headers, body);
}

/**
 * The JSON rules alone, for callers that already parsed the body (an object); header-only
 * providers (GitHub without its body, Shopify) need detectEventType.
 */
export function fromJson(headers: TEventHeaders, body: Record<string, unknown>): TEventType | null {
  const type = cleanEventType(body.type);
  if (header(headers, "stripe-signature") !== null || body.object === "event") {
    if (type !== null) return { type, source: "stripe" };
  }
  const event = body.event !== null && typeof body.event === "object" ? (body.event as Record<string, unknown>) : null;
  if (header(headers, "x-slack-signature") !== null || (type === "event_callback" && event)) {
    const inner = type === "event_callback" ? cleanEventType(event?.type) : null;
    if (inner !== null || type !== null) return { type: (inner ?? type)!, source: "slack" };
  }
  if (header(headers, "webhook-id") !== null || header(headers, "svix-id") !== null) {
    if (type !== null) return { type, source: "standard" };
  }
  for (const field of GENERIC_FIELDS) {
    const t = cleanEventType(body[field]);
    if (t !== null) return { type: t, source: "generic" };
  }
  return null;
}

/**
 * Whether `type` matches a `type:` search pattern: exact, or with `*` standing for any run of
 * characters ("invoice.*", "*.succeeded"). Case-sensitive, as providers spell types.
 */
export function eventTypeMatches(pattern: string, type: string | null | undefined): boolean {
  if (type === null || type === undefined) return false;
  return pattern.includes("*") ? wildcardMatch(pattern, type, false) : pattern === type;
}
