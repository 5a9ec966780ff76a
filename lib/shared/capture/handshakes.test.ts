// Each provider's verification request as its documentation shows it, and the answer the same
// page asks for (links in handshakes.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { configuredAnswer, storedRequest } from "./answer";
import { createHmac } from "node:crypto";
import { providerHandshake, xToken, zoomToken } from "./handshakes";

const req = (method: string, headers: [string, string][], query: string | null, body: string | null) =>
  storedRequest(method, headers, query, body === null ? null : Buffer.from(body));

const DEFAULTS = { status: 200, headers: [] as [string, string][], body: null, contentType: null, delayMs: 0, handshakes: true };
const ID = "0190a0b0-0000-7000-8000-000000000001";

test("Slack url_verification: {challenge} as JSON", () => {
  const body =
    '{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}';
  const h = providerHandshake(req("POST", [["Content-Type", "application/json"]], null, body));
  assert.deepEqual(h, {
    name: "Slack url_verification",
    status: 200,
    contentType: "application/json; charset=utf-8",
    body: '{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}',
    headers: [],
  });
});

test("Meta hub.challenge: the challenge as the whole body, whatever the verify token", () => {
  const h = providerHandshake(req("GET", [], "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meatyhamhock", null));
  assert.equal(h?.body, "1158201444");
  assert.equal(h?.status, 200);
  assert.equal(providerHandshake(req("GET", [], "hub.mode=unsubscribe&hub.challenge=1", null)), null, "only subscribe");
});

test("Microsoft Graph validationToken: the decoded token as text/plain", () => {
  const h = providerHandshake(
    req(
      "POST",
      [["Content-Type", "text/plain; charset=utf-8"]],
      "validationToken=Validation%3a+Testing+client+application+reachability+for+subscription+Request-Id%3a+b8b9d5c0",
      "",
    ),
  );
  assert.equal(h?.body, "Validation: Testing client application reachability for subscription Request-Id: b8b9d5c0");
  assert.equal(h?.contentType, "text/plain; charset=utf-8");
});

test("Dropbox challenge: echoed as text/plain on GET", () => {
  const h = providerHandshake(req("GET", [], "challenge=mPLg0yQbUcSYAvdX4uHkzCxrf8Sq", null));
  assert.deepEqual([h?.name, h?.body, h?.contentType], ["Dropbox challenge", "mPLg0yQbUcSYAvdX4uHkzCxrf8Sq", "text/plain; charset=utf-8"]);
});

test("Twitch EventSub webhook_callback_verification: the raw challenge", () => {
  const body = JSON.stringify({
    challenge: "pogchamp-kappa-360noscope-vohiyo",
    subscription: { id: "f1c2a387-161a-49f9-a165-0f21d7a4e1c4", status: "webhook_callback_verification_pending", type: "channel.follow" },
  });
  const h = providerHandshake(req("POST", [["Twitch-Eventsub-Message-Type", "webhook_callback_verification"]], null, body));
  assert.equal(h?.body, "pogchamp-kappa-360noscope-vohiyo");
  assert.equal(h?.contentType, "text/plain; charset=utf-8");
  assert.equal(
    providerHandshake(req("POST", [["Twitch-Eventsub-Message-Type", "notification"]], null, body)),
    null,
    "a notification is not a handshake",
  );
});

test("Asana X-Hook-Secret: 200 echoing the header, no body", () => {
  const secret = "b537207f20cbfa02357cf448134da559e8bd39d61597dcd5631b8012eae53e81";
  const h = providerHandshake(req("POST", [["X-Hook-Secret", secret]], null, ""));
  assert.deepEqual(h, { name: "Asana X-Hook-Secret", status: 200, contentType: null, body: null, headers: [["X-Hook-Secret", secret]] });
});

test("Okta verification: {verification} as JSON", () => {
  const h = providerHandshake(req("GET", [["X-Okta-Verification-Challenge", "VWgsr8k6QuzaCSNKEf4Iwg55Es9qLGe-BUE9tN6B"]], null, null));
  assert.equal(h?.body, '{"verification":"VWgsr8k6QuzaCSNKEf4Iwg55Es9qLGe-BUE9tN6B"}');
});

test("ordinary requests are no handshake: JSON events, a GET with other params, a large body", () => {
  assert.equal(providerHandshake(req("POST", [], null, '{"type":"payment_intent.succeeded","challenge":"x"}')), null);
  assert.equal(providerHandshake(req("GET", [], "a=1", null)), null);
  assert.equal(
    providerHandshake(req("POST", [], null, JSON.stringify({ type: "url_verification", challenge: "c", pad: "x".repeat(20_000) }))),
    null,
  );
  assert.equal(providerHandshake(req("POST", [], null, "not json")), null);
});

test("configuredAnswer: a handshake replaces the configured answer (status, body, delay) unless handshakes is off", () => {
  const slack = req("POST", [], null, '{"type":"url_verification","challenge":"abc"}');
  const custom = { ...DEFAULTS, status: 500, body: "down", delayMs: 5000 };
  const on = configuredAnswer(slack, custom, ID);
  assert.deepEqual([on.status, on.body?.toString(), on.delayMs, on.handshake], [200, '{"challenge":"abc"}', 0, "Slack url_verification"]);
  assert.ok(on.headers.some(([n, v]) => n === "X-Hookscope-Capture-Id" && v === ID));
  assert.ok(
    on.headers.some(([n]) => n === "Content-Security-Policy"),
    "inert like every answer",
  );
  const off = configuredAnswer(slack, { ...custom, handshakes: false }, ID);
  assert.deepEqual([off.status, off.body?.toString(), off.delayMs, off.handshake], [500, "down", 5000, null]);
});

test("configuredAnswer: Asana's answer carries X-Hook-Secret and Content-Length 0", () => {
  const a = configuredAnswer(req("POST", [["X-Hook-Secret", "s3"]], null, ""), DEFAULTS, ID);
  assert.equal(a.body, null);
  assert.deepEqual(
    a.headers.filter(([n]) => ["X-Hook-Secret", "Content-Length", "Content-Type"].includes(n)),
    [
      ["X-Hook-Secret", "s3"],
      ["Content-Length", "0"],
    ],
  );
});

// Neither Zoom's nor X's page gives the secret behind its example token: the HMACs are computed with node:crypto as the pages describe.
test("Zoom endpoint.url_validation: plainToken and its hex HMAC-SHA256 under the Secret Token; nothing without a secret", () => {
  const body = '{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}';
  const request = req("POST", [["Content-Type", "application/json"]], null, body);
  assert.equal(providerHandshake(request), null);
  const h = providerHandshake(request, (kind, challenge) => (kind === "zoom" ? zoomToken("s3cret", challenge) : null));
  const hex = createHmac("sha256", "s3cret").update("qgg8vlvZRS6UYooatFL8Aw").digest("hex");
  assert.equal(h?.name, "Zoom endpoint.url_validation");
  assert.equal(h?.body, `{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":"${hex}"}`);
  assert.equal(h?.contentType, "application/json; charset=utf-8");
});

test("X CRC: response_token sha256=<base64 HMAC-SHA256 of crc_token under the consumer secret>; nothing without a secret", () => {
  const request = req("GET", [], "crc_token=abc%2B1&nonce=n", null);
  assert.equal(providerHandshake(request), null);
  const h = providerHandshake(request, (kind, challenge) => (kind === "x" ? xToken("consumer", challenge) : null));
  const b64 = createHmac("sha256", "consumer").update("abc+1").digest("base64");
  assert.equal(h?.name, "X CRC");
  assert.equal(h?.body, `{"response_token":"sha256=${b64}"}`);
});
