import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { describe, test } from "node:test";
import { buildSignedTestEvent } from "../signatures/samples";
import type { TTestEventProvider } from "../validation/signatures";
import { EVENT_TYPE_MAX_BODY_BYTES, detectEventType, eventTypeMatches, fromJson, type TEventType } from "./event-type";

const enc = new TextEncoder();
const detect = (headers: [string, string][], body: string | Uint8Array | null) =>
  detectEventType({ headers, body: typeof body === "string" ? enc.encode(body) : body });

/** A provider's sample event (lib/shared/signatures/sample-events), signed as the provider signs it. */
function sample(provider: TTestEventProvider, event: string, headerPrefix?: "webhook" | "svix"): TEventType | null {
  const ev = buildSignedTestEvent(provider, {
    event,
    secret: provider === "standard" ? "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" : "s3cret",
    url: "https://hooks.test/h/x",
    headerPrefix,
  });
  return detect(ev.headers, ev.body);
}

describe("detectEventType on the providers' own payloads", () => {
  test("Stripe: the event's type", () => {
    assert.deepEqual(sample("stripe", "payment_intent.succeeded"), { type: "payment_intent.succeeded", source: "stripe" });
    assert.deepEqual(sample("stripe", "checkout.session.completed"), { type: "checkout.session.completed", source: "stripe" });
  });

  test("Stripe without its signature header: recognised by object: event", () => {
    const body = JSON.stringify({ id: "evt_1", object: "event", type: "invoice.paid", data: { object: { object: "invoice" } } });
    assert.deepEqual(detect([["Content-Type", "application/json"]], body), { type: "invoice.paid", source: "stripe" });
  });

  test("GitHub: X-GitHub-Event, with the body's action when it has one", () => {
    assert.deepEqual(sample("github", "push"), { type: "push", source: "github" });
    assert.deepEqual(sample("github", "pull_request"), { type: "pull_request.opened", source: "github" });
    assert.deepEqual(sample("github", "ping"), { type: "ping", source: "github" });
  });

  test("GitHub with a body that cannot be read still has its header's event", () => {
    assert.deepEqual(
      detect(
        [
          ["X-GitHub-Event", "issues"],
          ["Content-Encoding", "gzip"],
        ],
        gzipSync('{"action":"closed"}'),
      ),
      {
        type: "issues",
        source: "github",
      },
    );
  });

  test("Shopify: X-Shopify-Topic", () => {
    const r = sample("shopify", "orders/create");
    assert.deepEqual(r, { type: "orders/create", source: "shopify" });
  });

  test("Slack: event_callback is named by its inner event; other payloads by their type", () => {
    assert.deepEqual(sample("slack", "event_callback"), { type: "app_mention", source: "slack" });
    assert.deepEqual(sample("slack", "url_verification"), { type: "url_verification", source: "slack" });
  });

  test("Standard Webhooks and Svix: the body's type", () => {
    assert.deepEqual(sample("standard", "invoice.paid"), { type: "invoice.paid", source: "standard" });
    assert.deepEqual(sample("standard", "user.created", "svix"), { type: "user.created", source: "standard" });
  });

  test("Twilio: the message status of its form", () => {
    assert.deepEqual(sample("twilio", "message.received"), { type: "message.received", source: "twilio" });
  });
});

describe("detectEventType: the generic fields and the limits", () => {
  const json: [string, string][] = [["Content-Type", "application/json; charset=utf-8"]];

  test("type, event, event_type, eventType at the top level, in that order", () => {
    assert.deepEqual(detect(json, '{"type":"user.created","event":"x"}'), { type: "user.created", source: "generic" });
    assert.deepEqual(detect(json, '{"event":"order.shipped"}'), { type: "order.shipped", source: "generic" });
    assert.deepEqual(detect(json, '{"event_type":"build.failed"}'), { type: "build.failed", source: "generic" });
    assert.deepEqual(detect(json, '{"eventType":"DeviceAdded"}'), { type: "DeviceAdded", source: "generic" });
    assert.deepEqual(detect(json, '{"data":{"type":"nested"},"event":{"type":"obj"}}'), null);
  });

  test("application/*+json and a body with no Content-Type that starts with {", () => {
    assert.deepEqual(detect([["Content-Type", "application/cloudevents+json"]], '{"type":"com.example.created"}'), {
      type: "com.example.created",
      source: "generic",
    });
    assert.deepEqual(detect([], ' {"type":"t"}'), { type: "t", source: "generic" });
  });

  test("nothing for bodies it does not read: not JSON, compressed, too large, malformed, not an object", () => {
    assert.equal(detect([["Content-Type", "text/plain"]], '{"type":"x"}'), null);
    assert.equal(detect([...json, ["Content-Encoding", "gzip"]], gzipSync('{"type":"x"}')), null);
    const big = `{"type":"x","pad":"${"a".repeat(EVENT_TYPE_MAX_BODY_BYTES)}"}`;
    assert.equal(detect(json, big), null);
    assert.equal(detect(json, '{"type":"x"'), null);
    assert.equal(detect(json, '["type"]'), null);
    assert.equal(detect(json, null), null);
    assert.equal(detect([], ""), null);
    assert.equal(detect([["Content-Type", "application/x-www-form-urlencoded"]], "type=x"), null);
  });

  test("a type must be a short string without control, bidi or invisible characters", () => {
    assert.equal(detect(json, '{"type":""}'), null);
    for (const hidden of ["\\u0085", "\\u202e", "\\u2066", "\\u200b", "\\u2028", "\\ufeff", "\\udb40\\udc41"])
      assert.equal(detect(json, `{"type":"invoice.pa${hidden}id"}`), null, hidden);
    assert.equal(detect([["X-GitHub-Event", "push\u202e"]], null), null);
    assert.equal(detect(json, '{"type":42}'), null);
    assert.equal(detect(json, '{"type":"a\\nb"}'), null);
    assert.equal(detect(json, JSON.stringify({ type: "x".repeat(201) })), null);
    assert.deepEqual(detect(json, '{"type":"  padded  "}'), { type: "padded", source: "generic" });
  });

  test("header names match in any case", () => {
    assert.deepEqual(detect([["x-shopify-topic", "app/uninstalled"]], null), { type: "app/uninstalled", source: "shopify" });
  });

  test("fromJson: the JSON rules for an already parsed body", () => {
    assert.deepEqual(fromJson([["Stripe-Signature", "t=1,v1=x"]], { type: "charge.refunded" }), {
      type: "charge.refunded",
      source: "stripe",
    });
  });
});

describe("eventTypeMatches", () => {
  test("exact, * globs, case-sensitive, never a missing type", () => {
    assert.ok(eventTypeMatches("invoice.paid", "invoice.paid"));
    assert.ok(!eventTypeMatches("invoice", "invoice.paid"));
    assert.ok(eventTypeMatches("invoice.*", "invoice.paid"));
    assert.ok(!eventTypeMatches("invoice.*", "invoicex"));
    assert.ok(eventTypeMatches("*.succeeded", "payment_intent.succeeded"));
    assert.ok(!eventTypeMatches("Push", "push"));
    assert.ok(!eventTypeMatches("*", null));
  });
});
