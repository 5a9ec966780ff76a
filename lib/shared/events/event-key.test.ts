import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildSignedTestEvent } from "../signatures/samples";
import type { TTestEventProvider } from "../validation/signatures";
import { ZEventKeySetting } from "../validation/endpoints";
import { cleanEventKey, deliveryGap, eventKeyOf, ordinal, type TEventKeySetting } from "./event-key";
import { readEvent } from "./event-type";

const enc = new TextEncoder();
const AUTO: TEventKeySetting = { source: "auto" };

function keyOf(headers: [string, string][], body: string | null, setting: TEventKeySetting = AUTO): string | null {
  const input = { headers, body: body === null ? null : enc.encode(body) };
  return eventKeyOf(headers, readEvent(input), setting);
}

/** A provider's sample event (lib/shared/signatures/sample-events), signed as the provider signs it. */
function sample(provider: TTestEventProvider, event: string, headerPrefix?: "webhook" | "svix") {
  const ev = buildSignedTestEvent(provider, {
    event,
    secret: provider === "standard" ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "s3cret",
    url: "https://hooks.test/h/x",
    headerPrefix,
  });
  const headers = ev.headers.map(([n, v]) => [n, v] as [string, string]);
  const text = typeof ev.body === "string" ? ev.body : new TextDecoder().decode(ev.body);
  return { headers, text, key: keyOf(headers, text), json: JSON.parse(text) as Record<string, unknown> };
}
const headerOf = (headers: [string, string][], name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];

describe("eventKeyOf auto: each provider's documented key", () => {
  test("Stripe: the Event object's id (evt_…)", () => {
    const s = sample("stripe", "payment_intent.succeeded");
    assert.match(s.key!, /^evt_/);
    assert.equal(s.key, s.json.id);
  });

  test("GitHub: X-GitHub-Delivery, not the body's ids", () => {
    const s = sample("github", "push");
    assert.equal(s.key, headerOf(s.headers, "x-github-delivery"));
  });

  test("Shopify: X-Shopify-Webhook-Id before X-Shopify-Event-Id; the event id alone also serves", () => {
    const s = sample("shopify", "orders/create");
    assert.equal(s.key, headerOf(s.headers, "x-shopify-webhook-id"));
    const withoutWebhookId = s.headers.filter(([n]) => n.toLowerCase() !== "x-shopify-webhook-id");
    assert.equal(keyOf(withoutWebhookId, s.text), headerOf(s.headers, "x-shopify-event-id"));
  });

  test("Slack: the event wrapper's event_id", () => {
    const s = sample("slack", "event_callback");
    assert.match(s.key!, /^Ev0/);
    assert.equal(s.key, s.json.event_id);
  });

  test("Standard Webhooks: webhook-id; Svix: svix-id", () => {
    const std = sample("standard", "invoice.paid", "webhook");
    assert.equal(std.key, headerOf(std.headers, "webhook-id"));
    const svix = sample("standard", "invoice.paid", "svix");
    assert.equal(svix.key, headerOf(svix.headers, "svix-id"));
  });

  test("Idempotency-Key (GitLab and others) when no provider key is there", () => {
    assert.equal(keyOf([["Idempotency-Key", "908a6d9e-45fd-46c8-97e6-c4f350f219dd"]], "{}"), "908a6d9e-45fd-46c8-97e6-c4f350f219dd");
  });

  test("no key: a plain JSON body's id is not taken for one (an order id repeats across events)", () => {
    assert.equal(keyOf([["Content-Type", "application/json"]], JSON.stringify({ id: "ord_1", type: "order.paid" })), null);
    assert.equal(keyOf([], null), null);
  });

  test("Stripe's id is read only when the event type says Stripe sent it", () => {
    const body = JSON.stringify({ id: "evt_1", object: "event", type: "invoice.paid" });
    assert.equal(keyOf([["Content-Type", "application/json"]], body), "evt_1");
    assert.equal(keyOf([["Content-Type", "application/json"]], JSON.stringify({ id: "evt_1", type: "invoice.paid" })), null);
  });
});

describe("eventKeyOf with a configured source", () => {
  const body = JSON.stringify({ id: "evt_9", object: "event", type: "x", data: { id: 42, items: [{ ref: "a-1" }] } });
  const headers: [string, string][] = [
    ["Content-Type", "application/json"],
    ["X-Request-Id", "  req-7  "],
    ["x-request-id", "second"],
  ];

  test("a header: the first of that name in any case, trimmed", () => {
    assert.equal(keyOf(headers, body, { source: "header", name: "X-REQUEST-ID" }), "req-7");
    assert.equal(keyOf(headers, body, { source: "header", name: "X-Missing" }), null);
  });

  test("a JSON path: names and array indexes; numbers become text; objects are not keys", () => {
    assert.equal(keyOf(headers, body, { source: "json", path: "data.id" }), "42");
    assert.equal(keyOf(headers, body, { source: "json", path: "data.items.0.ref" }), "a-1");
    assert.equal(keyOf(headers, body, { source: "json", path: "data" }), null);
    assert.equal(keyOf(headers, body, { source: "json", path: "data.items.x" }), null);
    assert.equal(keyOf(headers, body, { source: "json", path: "constructor" }), null);
  });

  test("off: no key even where auto finds one", () => {
    assert.equal(keyOf(headers, body, AUTO), "evt_9");
    assert.equal(keyOf(headers, body, { source: "off" }), null);
  });

  test("the body is parsed once for the event type and the key together", () => {
    let parses = 0;
    const original = JSON.parse;
    JSON.parse = ((...args: Parameters<typeof JSON.parse>) => {
      parses++;
      return original(...args);
    }) as typeof JSON.parse;
    try {
      const input = { headers, body: enc.encode(body) };
      const reading = readEvent(input);
      assert.equal(reading.event?.source, "stripe");
      assert.equal(eventKeyOf(headers, reading, { source: "json", path: "data.id" }), "42");
      assert.equal(eventKeyOf(headers, reading, AUTO), "evt_9");
    } finally {
      JSON.parse = original;
    }
    assert.equal(parses, 1);
  });
});

describe("key values, paths and labels", () => {
  test("cleanEventKey: strings and finite numbers of 1–200 characters without control characters", () => {
    assert.equal(cleanEventKey(" evt_1 "), "evt_1");
    assert.equal(cleanEventKey(7), "7");
    assert.equal(cleanEventKey(""), null);
    assert.equal(cleanEventKey("a".repeat(201)), null);
    assert.equal(cleanEventKey("a\nb"), null);
    assert.equal(cleanEventKey(true), null);
    assert.equal(cleanEventKey(Number.NaN), null);
  });

  test("a JSON key path reads own fields only, and takes the rules' syntax: items[0].id and items.0.id", () => {
    const body = '{"a":{"b":1},"items":[{"id":"i-0"}]}';
    assert.equal(keyOf([], '{"x":1}', { source: "json", path: "__proto__" }), null);
    assert.equal(keyOf([], '{"x":1}', { source: "json", path: "constructor" }), null);
    assert.equal(keyOf([], body, { source: "json", path: "a.b" }), "1");
    assert.equal(keyOf([], body, { source: "json", path: "items.0.id" }), "i-0");
    assert.equal(keyOf([], body, { source: "json", path: "$.items[0].id" }), "i-0");
    assert.equal(keyOf([], body, { source: "json", path: "items[1].id" }), null);
    assert.equal(ZEventKeySetting.safeParse({ source: "json", path: "$.items[0].id" }).success, true);
  });

  test("ZEventKeySetting: clear errors for a bad header name or path, and an unknown source", () => {
    assert.deepEqual(ZEventKeySetting.parse({ source: "header", name: " Idempotency-Key " }), {
      source: "header",
      name: "Idempotency-Key",
    });
    const badHeader = ZEventKeySetting.safeParse({ source: "header", name: "X Bad" });
    assert.match(badHeader.error!.issues[0]!.message, /header name may only contain/);
    const badPath = ZEventKeySetting.safeParse({ source: "json", path: "data..id" });
    assert.match(badPath.error!.issues[0]!.message, /JSON path must look like data.object.id or items\[0\].id/);
    const noPath = ZEventKeySetting.safeParse({ source: "json" });
    assert.match(noPath.error!.issues[0]!.message, /Enter a JSON path/);
    const bad = ZEventKeySetting.safeParse({ source: "body" });
    assert.match(bad.error!.issues[0]!.message, /"auto", "header", "json" or "off"/);
    assert.equal(ZEventKeySetting.safeParse({ source: "auto", name: "x" }).success, false);
  });

  test("ordinal and deliveryGap", () => {
    assert.deepEqual([1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal), [
      "1st",
      "2nd",
      "3rd",
      "4th",
      "11th",
      "12th",
      "13th",
      "21st",
      "22nd",
      "101st",
      "111th",
    ]);
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000).toISOString();
    assert.equal(deliveryGap(at(0), at(0.2)), "within a second");
    assert.equal(deliveryGap(at(0), at(12)), "12 s");
    assert.equal(deliveryGap(at(0), at(4 * 60 + 5)), "4 min");
    assert.equal(deliveryGap(at(0), at(2 * 3600 + 5 * 60)), "2 h 5 min");
    assert.equal(deliveryGap(at(0), at(3 * 86400)), "3 d");
  });
});
