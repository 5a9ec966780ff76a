// Every scheme against the provider's own library (or its published example), both ways: what
// the official library signs, Hookscope judges valid; what Hookscope signs, the official
// library's verifier accepts. Then the four failure verdicts per scheme.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { sign as githubSign, verify as githubVerify } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { getExpectedTwilioSignature, validateRequest, validateRequestWithBody } from "twilio/lib/webhooks/webhooks";
import type { TSchemeOptions, TSecretScheme, TSignatureScheme, TTestEventProvider } from "../validation/signatures";
import { buildSignedTestEvent } from "./samples";
import { signPayload } from "./sign";
import type { VerifyRequest } from "./types";
import { verifyCaptureSignature, type SecretForVerification } from "./verify";

const stripe = new Stripe("sk_test_hookscope");

const NOW = Math.floor(Date.now() / 1000);

function request(headers: [string, string][], body: string | Buffer, extra: Partial<VerifyRequest> = {}): VerifyRequest {
  return { method: "POST", headers, body: Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"), urls: [], receivedAt: NOW, ...extra };
}

function secret(value: string, scheme: TSecretScheme = "auto", options: TSchemeOptions = {}, label = "test secret"): SecretForVerification {
  return { id: "00000000-0000-7000-8000-000000000001", label, scheme, options, secret: value };
}

function judge(req: VerifyRequest, ...secrets: SecretForVerification[]) {
  return verifyCaptureSignature(req, secrets);
}

const STRIPE_SECRET = "whsec_" + "a1b2c3d4e5f6".repeat(4);
const GITHUB_SECRET = "It's a Secret to Everybody";
const SHOPIFY_SECRET = "shpss_0123456789abcdef0123456789abcdef";
const SLACK_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const TWILIO_TOKEN = "12345abcdef67890abcdef1234567890";

describe("Stripe (stripe-node)", () => {
  const payload = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded", livemode: false }, null, 2);

  test("a header from stripe.webhooks.generateTestHeaderString is valid", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET, timestamp: NOW - 10 });
    const v = judge(request([["Stripe-Signature", header]], payload), secret(STRIPE_SECRET));
    assert.equal(v.status, "valid", v.reason);
    assert.equal(v.scheme, "stripe");
    assert.equal(v.header, "Stripe-Signature");
    assert.equal(v.skewSeconds, 10);
  });

  test("several v1 signatures (a secret being rolled): any one matching is enough", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET, timestamp: NOW });
    const sig = header.split("v1=")[1]!;
    const rolled = `t=${NOW},v1=${"0".repeat(64)},v1=${sig},v0=${"1".repeat(64)}`;
    assert.equal(judge(request([["stripe-signature", rolled]], payload), secret(STRIPE_SECRET, "stripe")).status, "valid");
  });

  test("Hookscope's signature passes stripe.webhooks.constructEvent", () => {
    const { headers } = signPayload("stripe", { secret: STRIPE_SECRET, body: payload, timestamp: NOW });
    const event = stripe.webhooks.constructEvent(payload, headers[0]![1], STRIPE_SECRET);
    assert.equal(event.id, "evt_1");
    assert.throws(() => stripe.webhooks.constructEvent(payload, headers[0]![1], "whsec_other"), /No signatures found/);
  });

  test("the signed test event passes constructEvent", () => {
    for (const event of ["payment_intent.succeeded", "checkout.session.completed", "invoice.paid"]) {
      const ev = buildSignedTestEvent("stripe", { event, secret: STRIPE_SECRET, url: "https://example.com/hook" });
      const header = ev.headers.find(([n]) => n === "Stripe-Signature")![1];
      assert.equal(stripe.webhooks.constructEvent(ev.body, header, STRIPE_SECRET).type, event);
    }
  });

  test("tampered body, wrong secret, expired timestamp and missing header each have their own verdict", () => {
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET, timestamp: NOW });
    const tampered = judge(request([["Stripe-Signature", header]], payload.replace("succeeded", "failed")), secret(STRIPE_SECRET));
    assert.equal(tampered.status, "invalid");
    assert.equal(tampered.cause, "wrong_secret");
    assert.match(tampered.expected!, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(judge(request([["Stripe-Signature", header]], payload), secret("whsec_wrong")).status, "invalid");

    const old = stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_SECRET, timestamp: NOW - 301 });
    const expired = judge(request([["Stripe-Signature", old]], payload), secret(STRIPE_SECRET));
    assert.equal(expired.status, "expired");
    assert.equal(expired.skewSeconds, 301);
    assert.equal(expired.toleranceSeconds, 300);
    assert.throws(() => stripe.webhooks.constructEvent(payload, old, STRIPE_SECRET), /Timestamp outside the tolerance zone/);
    assert.equal(
      judge(request([["Stripe-Signature", old]], payload), secret(STRIPE_SECRET, "stripe", { toleranceSeconds: 600 })).status,
      "valid",
    );

    const missing = judge(request([["Content-Type", "application/json"]], payload), secret(STRIPE_SECRET, "stripe"));
    assert.equal(missing.status, "missing_header");
    assert.equal(missing.header, "Stripe-Signature");
  });
});

describe("GitHub (@octokit/webhooks-methods)", () => {
  const payload = JSON.stringify({ action: "opened", number: 1 });

  test("GitHub's documented example verifies", () => {
    const v = judge(
      request([["X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"]], "Hello, World!"),
      secret(GITHUB_SECRET, "github"),
    );
    assert.equal(v.status, "valid", v.reason);
  });

  test("a signature from @octokit/webhooks-methods sign() is valid", async () => {
    const sig = await githubSign(GITHUB_SECRET, payload);
    const v = judge(request([["X-Hub-Signature-256", sig]], payload), secret(GITHUB_SECRET));
    assert.equal(v.status, "valid", v.reason);
    assert.equal(v.scheme, "github");
  });

  test("Hookscope's signature passes @octokit/webhooks-methods verify(), and the legacy SHA-1 header verifies too", async () => {
    const { headers } = signPayload("github", { secret: GITHUB_SECRET, body: payload });
    const sha256 = headers.find(([n]) => n === "X-Hub-Signature-256")![1];
    assert.equal(await githubVerify(GITHUB_SECRET, payload, sha256), true);
    assert.equal(await githubVerify("other", payload, sha256), false);
    const sha1 = headers.find(([n]) => n === "X-Hub-Signature")!;
    const v = judge(request([sha1], payload), secret(GITHUB_SECRET, "github"));
    assert.equal(v.status, "valid");
    assert.equal(v.header, "X-Hub-Signature");
  });

  test("the signed test events pass verify()", async () => {
    for (const event of ["push", "ping", "pull_request"]) {
      const ev = buildSignedTestEvent("github", { event, secret: GITHUB_SECRET, url: "https://example.com/hook" });
      assert.equal(await githubVerify(GITHUB_SECRET, ev.body, ev.headers.find(([n]) => n === "X-Hub-Signature-256")![1]), true, event);
      assert.equal(ev.headers.find(([n]) => n === "X-GitHub-Event")![1], event);
    }
  });

  test("tampered body, wrong secret and missing header", async () => {
    const sig = await githubSign(GITHUB_SECRET, payload);
    assert.equal(judge(request([["X-Hub-Signature-256", sig]], payload + " "), secret(GITHUB_SECRET)).cause, "body_trimmed");
    assert.equal(judge(request([["X-Hub-Signature-256", sig]], '{"action":"closed","number":1}'), secret(GITHUB_SECRET)).status, "invalid");
    const wrong = judge(request([["X-Hub-Signature-256", sig]], payload), secret("nope", "github"));
    assert.deepEqual([wrong.status, wrong.cause], ["invalid", "wrong_secret"]);
    assert.equal(judge(request([], payload), secret(GITHUB_SECRET, "github")).status, "missing_header");
  });
});

describe("Shopify (published HMAC construction)", () => {
  const payload = JSON.stringify({ id: 1 });

  test("a known vector verifies and Hookscope signs the same", () => {
    // HMAC-SHA256("shop-secret", '{"id":1}') in base64, computed independently of Hookscope.
    const known = "plW8VGqq0nDMIEhDqaNNW99asdUCy7EIqLZVcQwtAZ0=";
    assert.equal(judge(request([["X-Shopify-Hmac-Sha256", known]], payload), secret("shop-secret")).status, "valid");
    assert.equal(signPayload("shopify", { secret: "shop-secret", body: payload }).headers[0]![1], known);
  });

  test("wrong encoding (hex instead of base64) is named", () => {
    const b64 = signPayload("shopify", { secret: SHOPIFY_SECRET, body: payload }).headers[0]![1];
    const hex = Buffer.from(b64, "base64").toString("hex");
    const v = judge(request([["X-Shopify-Hmac-Sha256", hex]], payload), secret(SHOPIFY_SECRET, "shopify"));
    assert.deepEqual([v.status, v.cause], ["invalid", "wrong_encoding"]);
  });

  test("the signed test events carry the topic and verify", () => {
    const ev = buildSignedTestEvent("shopify", { secret: SHOPIFY_SECRET, url: "https://example.com/hook" });
    assert.equal(ev.headers.find(([n]) => n === "X-Shopify-Topic")![1], "orders/create");
    assert.equal(judge(request(ev.headers, ev.body), secret(SHOPIFY_SECRET)).status, "valid");
  });
});

describe("Slack (the documented example)", () => {
  const body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  const headers: [string, string][] = [
    ["X-Slack-Request-Timestamp", "1531420618"],
    ["X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"],
  ];

  test("Slack's example verifies when judged at its own time, and Hookscope signs it identically", () => {
    const v = judge(request(headers, body, { receivedAt: 1531420618 + 1 }), secret(SLACK_SECRET));
    assert.equal(v.status, "valid", v.reason);
    assert.equal(v.scheme, "slack");
    const signed = signPayload("slack", { secret: SLACK_SECRET, body, timestamp: 1531420618 });
    assert.deepEqual(signed.headers, headers);
  });

  test("judged now, the same request is expired, with the skew", () => {
    const v = judge(request(headers, body), secret(SLACK_SECRET));
    assert.equal(v.status, "expired");
    assert.equal(v.skewSeconds, NOW - 1531420618);
  });

  test("a timestamp from the future beyond tolerance is expired too", () => {
    const signed = signPayload("slack", { secret: SLACK_SECRET, body, timestamp: NOW + 400 });
    const v = judge(request(signed.headers, body), secret(SLACK_SECRET));
    assert.equal(v.status, "expired");
    assert.equal(v.skewSeconds, -400);
  });

  test("missing timestamp header, tampered body, wrong secret", () => {
    assert.equal(judge(request([headers[1]!], body, { receivedAt: 1531420618 }), secret(SLACK_SECRET)).status, "missing_header");
    assert.equal(
      judge(request(headers, body.replace("foobar", "foobaz"), { receivedAt: 1531420618 }), secret(SLACK_SECRET)).status,
      "invalid",
    );
    assert.equal(judge(request(headers, body, { receivedAt: 1531420618 }), secret("0".repeat(32))).cause, "wrong_secret");
  });
});

describe("Standard Webhooks (standardwebhooks)", () => {
  const payload = JSON.stringify({ type: "user.created", data: { id: "u_1" } });
  const wh = new Webhook(STANDARD_SECRET);

  test("a signature from Webhook.sign is valid, with webhook-* and svix-* headers", () => {
    const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const sig = wh.sign(id, new Date(NOW * 1000), payload);
    for (const p of ["webhook", "svix"]) {
      const v = judge(
        request(
          [
            [`${p}-id`, id],
            [`${p}-timestamp`, String(NOW)],
            [`${p}-signature`, `v1,${"A".repeat(43)}= ${sig}`],
          ],
          payload,
        ),
        secret(STANDARD_SECRET),
      );
      assert.equal(v.status, "valid", `${p}: ${v.reason}`);
      assert.equal(v.scheme, "standard");
    }
  });

  test("Hookscope's signature passes Webhook.verify", () => {
    const { headers } = signPayload("standard", { secret: STANDARD_SECRET, body: payload });
    assert.deepEqual(wh.verify(payload, Object.fromEntries(headers)), JSON.parse(payload));
    for (const event of ["invoice.paid", "user.created"]) {
      const ev = buildSignedTestEvent("standard", { event, secret: STANDARD_SECRET, url: "https://example.com/hook" });
      assert.equal((wh.verify(ev.body, Object.fromEntries(ev.headers)) as { type: string }).type, event);
    }
  });

  test("expired, tampered, wrong secret, missing id, and a secret that is not base64", () => {
    const id = "msg_1";
    const old = NOW - 3600;
    const h = (ts: number, sig: string): [string, string][] => [
      ["webhook-id", id],
      ["webhook-timestamp", String(ts)],
      ["webhook-signature", sig],
    ];
    const expired = judge(request(h(old, wh.sign(id, new Date(old * 1000), payload)), payload), secret(STANDARD_SECRET));
    assert.deepEqual([expired.status, expired.skewSeconds], ["expired", 3600]);
    const sig = wh.sign(id, new Date(NOW * 1000), payload);
    assert.equal(judge(request(h(NOW, sig), payload + "x"), secret(STANDARD_SECRET)).status, "invalid");
    assert.equal(judge(request(h(NOW, sig), payload), secret("whsec_" + Buffer.from("another").toString("base64"))).cause, "wrong_secret");
    assert.equal(judge(request(h(NOW, sig).slice(1), payload), secret(STANDARD_SECRET)).status, "missing_header");
    const notB64 = judge(request(h(NOW, sig), payload), secret("whsec_not base64!", "standard"));
    assert.deepEqual([notB64.status, notB64.cause], ["invalid", "secret_format"]);
  });

  test("the right secret used the wrong way (prefix kept or dropped, base64-decoded or not) is named", () => {
    // A sender that keys its HMAC with the secret's text minus the whsec_ prefix.
    const bare = STANDARD_SECRET.slice(6);
    const { headers } = signPayload("github", { secret: bare, body: payload });
    const v = judge(request(headers, payload), secret(STANDARD_SECRET, "github"));
    assert.deepEqual([v.status, v.cause], ["invalid", "secret_format"]);
  });
});

describe("Twilio (twilio's validateRequest)", () => {
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = { CallSid: "CA1234567890ABCDE", Caller: "+12349013030", Digits: "1234", From: "+12349013030", To: "+18005551212" };
  const body = new URLSearchParams(params).toString();
  const form: [string, string] = ["Content-Type", "application/x-www-form-urlencoded"];

  test("a signature from getExpectedTwilioSignature is valid over the URL and sorted form parameters", () => {
    const sig = getExpectedTwilioSignature(TWILIO_TOKEN, url, params);
    const v = judge(request([form, ["X-Twilio-Signature", sig]], body, { urls: [url] }), secret(TWILIO_TOKEN));
    assert.equal(v.status, "valid", v.reason);
    assert.equal(v.url, url);
  });

  test("Twilio's port variants: a signature over the URL with :443 matches the URL without it", () => {
    const sig = getExpectedTwilioSignature(TWILIO_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", params);
    assert.equal(judge(request([form, ["X-Twilio-Signature", sig]], body, { urls: [url] }), secret(TWILIO_TOKEN)).status, "valid");
  });

  test("repeated parameters are signed as the library does", () => {
    const repeated = "To=%2B1&Media=b&Media=a&Media=b";
    const sig = getExpectedTwilioSignature(TWILIO_TOKEN, url, { To: "+1", Media: ["b", "a", "b"] });
    assert.equal(
      judge(request([form, ["X-Twilio-Signature", sig]], repeated, { urls: [url] }), secret(TWILIO_TOKEN, "twilio")).status,
      "valid",
    );
  });

  test("parameters named like Object's properties (__proto__, constructor, toString) are signed as sent, both ways", () => {
    // JSON.parse makes __proto__ an own key, as a form parser that keeps every name must.
    const named = JSON.parse('{"__proto__":"p","constructor":"c","toString":"t","To":"+1"}') as Record<string, string>;
    const sent = "__proto__=p&constructor=c&toString=t&To=%2B1";
    const sig = getExpectedTwilioSignature(TWILIO_TOKEN, url, named);
    const v = judge(request([form, ["X-Twilio-Signature", sig]], sent, { urls: [url] }), secret(TWILIO_TOKEN, "twilio"));
    assert.equal(v.status, "valid", v.reason);
    const signed = signPayload("twilio", { secret: TWILIO_TOKEN, body: sent, url, contentType: "application/x-www-form-urlencoded" });
    assert.equal(validateRequest(TWILIO_TOKEN, signed.headers[0]![1], url, named), true);
  });

  test("Hookscope's signature passes validateRequest, form and JSON (bodySHA256) bodies", () => {
    const signed = signPayload("twilio", { secret: TWILIO_TOKEN, body, url, contentType: "application/x-www-form-urlencoded" });
    assert.equal(validateRequest(TWILIO_TOKEN, signed.headers[0]![1], url, params), true);
    assert.equal(validateRequest("wrong-token", signed.headers[0]![1], url, params), false);

    const json = JSON.stringify({ event: "x" });
    const j = signPayload("twilio", { secret: TWILIO_TOKEN, body: json, url, contentType: "application/json" });
    assert.match(j.url!, /bodySHA256=[0-9a-f]{64}$/);
    assert.equal(validateRequestWithBody(TWILIO_TOKEN, j.headers[0]![1], j.url!, json), true);
    const back = judge(request([["Content-Type", "application/json"], j.headers[0]!], json, { urls: [j.url!] }), secret(TWILIO_TOKEN));
    assert.equal(back.status, "valid", back.reason);
    const changed = judge(
      request([["Content-Type", "application/json"], j.headers[0]!], json + " ", { urls: [j.url!] }),
      secret(TWILIO_TOKEN),
    );
    assert.deepEqual([changed.status, changed.cause], ["invalid", "body_hash_mismatch"]);
  });

  test("the signed test event passes validateRequest", () => {
    const target = "https://hooks.example.com/h/abc123?x=1";
    const ev = buildSignedTestEvent("twilio", { secret: TWILIO_TOKEN, url: target });
    const p = Object.fromEntries(new URLSearchParams(ev.body));
    assert.equal(validateRequest(TWILIO_TOKEN, ev.headers.find(([n]) => n === "X-Twilio-Signature")![1], target, p), true);
  });

  test("tampered parameters, wrong token, missing header", () => {
    const sig = getExpectedTwilioSignature(TWILIO_TOKEN, url, params);
    assert.equal(
      judge(request([form, ["X-Twilio-Signature", sig]], body.replace("1234", "4321"), { urls: [url] }), secret(TWILIO_TOKEN)).status,
      "invalid",
    );
    assert.equal(
      judge(request([form, ["X-Twilio-Signature", sig]], body, { urls: [url] }), secret("x".repeat(32), "twilio")).cause,
      "wrong_secret",
    );
    assert.equal(judge(request([form], body, { urls: [url] }), secret(TWILIO_TOKEN, "twilio")).status, "missing_header");
  });
});

describe("generic HMAC rules", () => {
  const payload = '{"hello":"world"}';
  const rule = (o: Partial<NonNullable<TSchemeOptions["generic"]>> = {}): TSchemeOptions => ({
    generic: { header: "X-Signature", algorithm: "sha256", encoding: "hex", prefix: "", signed: "body", separator: ".", ...o },
  });

  test("every algorithm, encoding, prefix and signed-content combination round-trips", () => {
    for (const algorithm of ["sha1", "sha256", "sha512"] as const)
      for (const encoding of ["hex", "base64"] as const)
        for (const prefix of ["", "sha256="])
          for (const signed of ["body", "timestamp_body"] as const) {
            const options = rule({ algorithm, encoding, prefix, signed, timestampHeader: "X-Timestamp", separator: ":" });
            const s = signPayload("generic", { secret: "k", body: payload, options, timestamp: NOW });
            const v = judge(request(s.headers, payload), secret("k", "generic", options));
            assert.equal(v.status, "valid", `${algorithm} ${encoding} ${prefix} ${signed}: ${v.reason}`);
          }
  });

  test("the wrong algorithm and the wrong encoding are named", () => {
    const s512 = signPayload("generic", { secret: "k", body: payload, options: rule({ algorithm: "sha512" }) });
    assert.equal(judge(request(s512.headers, payload), secret("k", "generic", rule())).cause, "wrong_algorithm");
    const b64 = signPayload("generic", { secret: "k", body: payload, options: rule({ encoding: "base64" }) });
    assert.equal(judge(request(b64.headers, payload), secret("k", "generic", rule())).cause, "wrong_encoding");
  });

  test("a millisecond timestamp with a tolerance is judged", () => {
    const options: TSchemeOptions = { ...rule({ signed: "timestamp_body", timestampHeader: "X-Timestamp" }), toleranceSeconds: 60 };
    const ms = String((NOW - 120) * 1000);
    const s = signPayload("generic", { secret: "k", body: payload, options, timestamp: NOW - 120 });
    // The sender put milliseconds in the header and signed them.
    const sig = signPayload("generic", { secret: "k", body: payload, options: { ...options }, timestamp: Number(ms) });
    const v = judge(request([["X-Timestamp", ms], sig.headers[1]!], payload), secret("k", "generic", options));
    assert.deepEqual([v.status, v.skewSeconds], ["expired", 120]);
    assert.equal(judge(request(s.headers, payload), secret("k", "generic", { ...options, toleranceSeconds: 0 })).status, "valid");
  });
});

describe("every provider's signed test event verifies under its scheme", () => {
  const secrets: Record<TTestEventProvider, string> = {
    stripe: STRIPE_SECRET,
    github: GITHUB_SECRET,
    shopify: SHOPIFY_SECRET,
    slack: SLACK_SECRET,
    standard: STANDARD_SECRET,
    twilio: TWILIO_TOKEN,
  };
  for (const provider of Object.keys(secrets) as TTestEventProvider[]) {
    test(provider, () => {
      const url = "https://hooks.example.com/h/slug/path?q=1";
      const ev = buildSignedTestEvent(provider, { secret: secrets[provider], url });
      const v = judge(request(ev.headers, ev.body, { urls: [ev.url] }), secret(secrets[provider]));
      assert.equal(v.status, "valid", v.reason);
      assert.equal(v.scheme, provider as TSignatureScheme);
    });
  }
});
