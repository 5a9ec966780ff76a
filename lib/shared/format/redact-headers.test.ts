import assert from "node:assert/strict";
import { test } from "node:test";
import { isSecretHeader, redactHeaders, SECRET_HEADER_NAMES } from "./redact-headers";

test("credentials and the known signature headers are secret, in any case", () => {
  for (const name of [
    "Authorization",
    "COOKIE",
    "Set-Cookie",
    "Proxy-Authorization",
    "Stripe-Signature",
    "X-Hub-Signature",
    "X-Hub-Signature-256",
    "X-Shopify-Hmac-Sha256",
    "X-Slack-Signature",
    "webhook-signature",
    "svix-signature",
    "X-Twilio-Signature",
  ]) {
    assert.equal(isSecretHeader(name), true, name);
  }
  for (const name of ["Content-Type", "User-Agent", "X-GitHub-Event", "webhook-id", "X-Slack-Request-Timestamp", "Stripe-Signature2"]) {
    assert.equal(isSecretHeader(name), false, name);
  }
  for (const name of SECRET_HEADER_NAMES) assert.equal(name, name.toLowerCase(), "the list is compared lower-case");
});

test("an endpoint's own signature header (generic HMAC rule) counts too", () => {
  assert.equal(isSecretHeader("X-Acme-Sig"), false);
  assert.equal(isSecretHeader("X-Acme-Sig", new Set(["x-acme-sig"])), true);
});

test("redaction keeps names, order and repeats, and says how long each hidden value was", () => {
  const headers: [string, string][] = [
    ["Host", "example.test"],
    ["authorization", "Bearer sk_live_abc"],
    ["Cookie", "a=1"],
    ["cookie", "b=22"],
    ["Stripe-Signature", "t=1,v1=ff"],
    ["Content-Type", "application/json"],
    // latin1 storage: one character per wire byte, so é sent as UTF-8 is two characters here
    ["X-Api-Key", "caf\u00c3\u00a9"],
  ];
  assert.deepEqual(redactHeaders(headers), [
    ["Host", "example.test"],
    ["authorization", { redacted: true, length: 18 }],
    ["Cookie", { redacted: true, length: 3 }],
    ["cookie", { redacted: true, length: 4 }],
    ["Stripe-Signature", { redacted: true, length: 9 }],
    ["Content-Type", "application/json"],
    ["X-Api-Key", { redacted: true, length: 5 }],
  ]);
  const out = JSON.stringify(redactHeaders(headers));
  for (const secret of ["sk_live_abc", "a=1", "b=22", "v1=ff"]) assert.ok(!out.includes(secret), secret);
});

test("an empty secret header is still marked as sent", () => {
  assert.deepEqual(redactHeaders([["Authorization", ""]]), [["Authorization", { redacted: true, length: 0 }]]);
});
