// A capture's event key: what stays the same when a provider delivers one event again (a retry
// after an error or a timeout, a manual redelivery), so captures with the same key are shown as
// deliveries of one event ("3rd delivery of evt_123"). Pure and universal: the capture write
// stores it (lib/server/db/capture-insert.ts, column captures.event_key).
//
// Each endpoint chooses where the key comes from (TEventKeySetting):
//   auto     the providers' documented keys, first found wins (AUTO_EVENT_KEYS below)
//   header   the first header of that name
//   json     a JSON path into a JSON object body ("data.id", "items[0].id" or "items.0.id"; the
//            syntax of rules and replay checks, lib/shared/format/json-path.ts)
//   off      no key: no capture is linked
//
// Cost (this runs on the capture path): headers are looked up by name; the body is read only
// through the event-type reading (lib/shared/events/event-type.ts readEvent), which parses a
// small unencoded JSON body at most once for both.

import { jsonAt, splitJsonPath } from "../format/json-path";
import type { TEventHeaders, TEventReading } from "./event-type";

export const EVENT_KEY_SOURCES = ["auto", "header", "json", "off"] as const;
export type TEventKeySource = (typeof EVENT_KEY_SOURCES)[number];

export type TEventKeySetting =
  { source: "auto" } | { source: "header"; name: string } | { source: "json"; path: string } | { source: "off" };

export const DEFAULT_EVENT_KEY_SETTING: TEventKeySetting = { source: "auto" };

/** Longer values are not taken for a key (ids are far shorter). */
export const EVENT_KEY_MAX_LENGTH = 200;

/**
 * The keys `auto` looks for, in order, with where each is documented. A header rule applies
 * whenever the header is there; a JSON rule only when the event type says the provider sent it.
 */
export const AUTO_EVENT_KEYS: readonly (
  { provider: string; header: string; doc: string } | { provider: string; source: "stripe" | "slack"; field: string; doc: string }
)[] = [
  // Unique per event, kept by redeliveries (docs.github.com webhook-events-and-payloads#delivery-headers,
  // clarified in github/docs#32822: "X-GitHub-Delivery is unique per event, not per delivery").
  { provider: "GitHub", header: "x-github-delivery", doc: "X-GitHub-Delivery" },
  // shopify.dev/docs/apps/build/webhooks/verify-deliveries: the delivery id to detect duplicates;
  // X-Shopify-Event-Id (shopify.dev/apps/build/webhooks/ignore-duplicates) is shared by every
  // subscription to the event, so it comes second.
  { provider: "Shopify", header: "x-shopify-webhook-id", doc: "X-Shopify-Webhook-Id" },
  { provider: "Shopify", header: "x-shopify-event-id", doc: "X-Shopify-Event-Id" },
  // standardwebhooks.com: webhook-id is the message id, the same on every retry; Svix sends svix-id.
  { provider: "Standard Webhooks", header: "webhook-id", doc: "webhook-id" },
  { provider: "Svix", header: "svix-id", doc: "svix-id" },
  // docs.stripe.com/webhooks: the Event object's `id` (evt_…) is the same on every retry.
  { provider: "Stripe", source: "stripe", field: "id", doc: "JSON id" },
  // api.slack.com/types/event: `event_id`, the same when Slack retries (X-Slack-Retry-Num).
  { provider: "Slack", source: "slack", field: "event_id", doc: "JSON event_id" },
  // The IETF Idempotency-Key header, sent by GitLab webhooks (kept across their retries).
  { provider: "Idempotency-Key", header: "idempotency-key", doc: "Idempotency-Key" },
];

function headerValue(headers: TEventHeaders, lower: string): string | null {
  for (const [n, v] of headers) if (n.length === lower.length && n.toLowerCase() === lower) return v;
  return null;
}

/** The value as an event key, or null: a string or a finite number, 1–200 characters, no control characters. */
export function cleanEventKey(v: unknown): string | null {
  const s = typeof v === "string" ? v.trim() : typeof v === "number" && Number.isFinite(v) ? String(v) : null;
  if (s === null || s.length === 0 || s.length > EVENT_KEY_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(s)) return null;
  return s;
}

/** The event key of a request under an endpoint's setting, or null when it has none. Never throws. */
export function eventKeyOf(headers: TEventHeaders, reading: TEventReading, setting: TEventKeySetting): string | null {
  switch (setting.source) {
    case "off":
      return null;
    case "header":
      return cleanEventKey(headerValue(headers, setting.name.toLowerCase()));
    case "json": {
      const at = jsonAt(reading.json(), splitJsonPath(setting.path));
      return at.found ? cleanEventKey(at.value) : null;
    }
    case "auto":
      for (const rule of AUTO_EVENT_KEYS) {
        if ("header" in rule) {
          const key = cleanEventKey(headerValue(headers, rule.header));
          if (key !== null) return key;
        } else if (reading.event?.source === rule.source) {
          const key = cleanEventKey(reading.json()?.[rule.field]);
          if (key !== null) return key;
        }
      }
      return null;
  }
}

/** "1st", "2nd", "3rd", "4th", … "11th", "12th", "13th", "21st". */
export function ordinal(n: number): string {
  const mod100 = n % 100;
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`;
  return `${n}${["th", "st", "nd", "rd"][n % 10] ?? "th"}`;
}

/** How long after the first delivery this one came: "within a second", "12 s", "4 min", "2 h 5 min", "3 d 4 h". */
export function deliveryGap(firstIso: string, thisIso: string): string {
  const ms = Date.parse(thisIso) - Date.parse(firstIso);
  if (!Number.isFinite(ms) || ms < 1000) return "within a second";
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
