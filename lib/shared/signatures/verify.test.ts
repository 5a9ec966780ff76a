// Verdicts beyond the oracle round-trips: how several secrets combine, scheme detection,
// "auto" secrets, and each diagnosis of an invalid signature.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ZSignatureVerdict, type TSchemeOptions, type TSecretScheme } from "../validation/signatures";
import { bodyVariants } from "./body-variants";
import { hmac } from "./crypto";
import { detectScheme } from "./registry";
import { signPayload } from "./sign";
import type { VerifyRequest } from "./types";
import { verifyCaptureSignature, type SecretForVerification } from "./verify";

const NOW = 1_760_000_000;
const req = (headers: [string, string][], body: string | Buffer, extra: Partial<VerifyRequest> = {}): VerifyRequest => ({
  method: "POST",
  headers,
  body: typeof body === "string" ? Buffer.from(body) : body,
  urls: [],
  receivedAt: NOW + 0.75,
  ...extra,
});
let n = 0;
const sec = (
  secret: string,
  scheme: TSecretScheme = "auto",
  label = `secret ${++n}`,
  options: TSchemeOptions = {},
): SecretForVerification => ({
  id: `id-${label}`,
  label,
  scheme,
  options,
  secret,
});

const STRIPE = "whsec_live_or_test_secret";
const pretty = JSON.stringify({ id: "evt_1", livemode: true, amount: 2000, name: "Zoë" }, null, 2);
const stripeHeader = (body: string, secret = STRIPE, t = NOW) => signPayload("stripe", { secret, body, timestamp: t }).headers;

describe("combining secrets", () => {
  test("no secrets: no_secret, naming the detected scheme and header", () => {
    const v = verifyCaptureSignature(req(stripeHeader(pretty), pretty), []);
    assert.equal(v.status, "no_secret");
    assert.equal(v.scheme, "stripe");
    assert.equal(v.header, "Stripe-Signature");
    assert.match(v.reason, /Stripe signature/);
    assert.equal(verifyCaptureSignature(req([], "x"), []).scheme, null);
    ZSignatureVerdict.parse(v);
  });

  test("the matching secret wins over ones that fail, and every attempt is listed", () => {
    const v = verifyCaptureSignature(req(stripeHeader(pretty), pretty), [
      sec("whsec_a", "stripe", "old"),
      sec(STRIPE, "auto", "current"),
      sec("gh", "github", "gh"),
    ]);
    assert.equal(v.status, "valid");
    assert.equal(v.secretLabel, "current");
    assert.deepEqual(
      v.attempts.map((a) => [a.secretLabel, a.status]),
      [
        ["old", "invalid"],
        ["current", "valid"],
        ["gh", "missing_header"],
      ],
    );
    ZSignatureVerdict.parse(v);
  });

  test("expired beats invalid; invalid beats a missing header", () => {
    const old = stripeHeader(pretty, STRIPE, NOW - 1000);
    assert.equal(verifyCaptureSignature(req(old, pretty), [sec("whsec_x"), sec(STRIPE)]).status, "expired");
    assert.equal(verifyCaptureSignature(req(old, pretty), [sec("gh", "github"), sec("whsec_x")]).status, "invalid");
  });

  test("an auto secret with no recognisable header: missing_header without a scheme", () => {
    const v = verifyCaptureSignature(req([["X-Custom-Sig", "abc"]], "{}"), [sec("s")]);
    assert.equal(v.status, "missing_header");
    assert.equal(v.scheme, null);
    assert.match(v.reason, /generic HMAC rule/);
  });

  test("an oversize capture cannot be checked", () => {
    const v = verifyCaptureSignature(req(stripeHeader(pretty), Buffer.alloc(0), { oversize: true }), [sec(STRIPE)]);
    assert.deepEqual([v.status, v.cause], ["invalid", "body_not_stored"]);
  });

  test("a malformed header is invalid with its own cause", () => {
    const v = verifyCaptureSignature(req([["Stripe-Signature", "v1=abc"]], pretty), [sec(STRIPE)]);
    assert.deepEqual([v.status, v.cause], ["invalid", "malformed_header"]);
    assert.match(v.reason, /t= timestamp/);
  });
});

describe("detection", () => {
  test("each provider's header names its scheme, case-insensitively", () => {
    const cases: [string, string][] = [
      ["stripe-signature", "stripe"],
      ["X-HUB-SIGNATURE-256", "github"],
      ["X-Hub-Signature", "github"],
      ["x-shopify-hmac-sha256", "shopify"],
      ["X-Slack-Signature", "slack"],
      ["Webhook-Signature", "standard"],
      ["svix-signature", "standard"],
      ["X-Twilio-Signature", "twilio"],
    ];
    for (const [h, scheme] of cases) assert.deepEqual(detectScheme([[h, "x"]]), { scheme, header: h });
    assert.equal(detectScheme([["X-Signature", "x"]]), null);
  });
});

describe("diagnosis of an invalid signature", () => {
  test("the expected signature is computed from the exact stored bytes", () => {
    const body = pretty + "\n";
    const v = verifyCaptureSignature(req([["Stripe-Signature", `t=${NOW},v1=${"0".repeat(64)}`]], body), [sec(STRIPE)]);
    assert.equal(v.expected, `t=${NOW},v1=${hmac("sha256", STRIPE, `${NOW}.`, body).toString("hex")}`);
    assert.equal(v.received, `t=${NOW},v1=${"0".repeat(64)}`);
  });

  test("signed compact JSON, delivered pretty-printed: body_reserialized", () => {
    const compact = JSON.stringify(JSON.parse(pretty));
    const v = verifyCaptureSignature(req(stripeHeader(compact), pretty), [sec(STRIPE)]);
    assert.deepEqual([v.status, v.cause], ["invalid", "body_reserialized"]);
    assert.match(v.reason, /compact JSON/);
  });

  test("signed by Python's json.dumps: body_reserialized", () => {
    const obj = { a: "é", b: [1, 2] };
    const python = '{"a": "\\u00e9", "b": [1, 2]}';
    const v = verifyCaptureSignature(req(stripeHeader(python), JSON.stringify(obj)), [sec(STRIPE)]);
    assert.equal(v.cause, "body_reserialized");
    assert.match(v.reason, /json\.dumps/);
  });

  test("a trailing newline added on the way: body_trimmed", () => {
    const v = verifyCaptureSignature(req(stripeHeader(pretty), pretty + "\r\n"), [sec(STRIPE)]);
    assert.equal(v.cause, "body_trimmed");
  });

  test("a test-mode secret for a live event: other_environment", () => {
    const v = verifyCaptureSignature(req(stripeHeader(pretty, "whsec_the_live_one"), pretty), [sec(STRIPE, "stripe", "Stripe test")]);
    assert.deepEqual([v.status, v.cause], ["invalid", "other_environment"]);
    assert.match(v.reason, /live-mode event/);
  });

  test("without a label hint it is a wrong secret, mentioning the event's mode", () => {
    const v = verifyCaptureSignature(req(stripeHeader(pretty, "whsec_the_live_one"), pretty), [sec(STRIPE, "stripe", "main")]);
    assert.equal(v.cause, "wrong_secret");
    assert.match(v.reason, /livemode: true/);
    assert.match(v.reason, /stripe listen/);
  });

  test("upper-case hex is named", () => {
    const sig = hmac("sha256", "k", "body").toString("hex").toUpperCase();
    const v = verifyCaptureSignature(req([["X-Hub-Signature-256", `sha256=${sig}`]], "body"), [sec("k", "github")]);
    assert.equal(v.cause, "wrong_encoding");
  });
});

describe("body variants", () => {
  test("none for binary bodies; none equal to the body", () => {
    assert.deepEqual(bodyVariants(Buffer.from([0xff, 0xfe, 0x00])), []);
    const body = Buffer.from('{"a":1}');
    for (const v of bodyVariants(body)) assert.ok(!v.body.equals(body));
  });
  test("JSON nested 100,000 deep is judged without overflowing the stack (no re-serialized variants)", () => {
    for (const depth of [5_000, 100_000]) {
      const deep = Buffer.from("[".repeat(depth) + "]".repeat(depth));
      const variants = bodyVariants(deep);
      assert.ok(variants.every((v) => v.cause === "body_trimmed"));
      const stripe = verifyCaptureSignature(req([["Stripe-Signature", `t=${NOW},v1=${"0".repeat(64)}`]], deep), [sec(STRIPE, "stripe")]);
      assert.equal(stripe.status, "invalid");
    }
  });
});

describe("verdict wording", () => {
  test("a Stripe signature from 3600 s in the future is not called within the 300 s tolerance", () => {
    const body = '{"id":"evt_1"}';
    const v = verifyCaptureSignature(req(stripeHeader(body, STRIPE, NOW + 3600), body), [sec(STRIPE, "stripe")]);
    assert.equal(v.status, "valid");
    assert.doesNotMatch(v.reason, /within/);
    assert.match(v.reason, /3600 s after the request arrived .*beyond the 300 s tolerance/);
    const near = verifyCaptureSignature(req(stripeHeader(body, STRIPE, NOW - 10), body), [sec(STRIPE, "stripe")]);
    assert.match(near.reason, /10 s before the request arrived, within the 300 s tolerance/);
  });
  test("a Stripe-Signature without v1= or t= says so in plain words", () => {
    const noV1 = verifyCaptureSignature(req([["Stripe-Signature", `t=${NOW}`]], "{}"), [sec(STRIPE, "stripe")]);
    assert.match(noV1.reason, /^Stripe-Signature has no v1= signature;/);
    const noT = verifyCaptureSignature(req([["Stripe-Signature", "v1=abc"]], "{}"), [sec(STRIPE, "stripe")]);
    assert.match(noT.reason, /^Stripe-Signature has no t= timestamp;/);
  });
  test("a tampered body is reported as the body or the secret differing, not as a wrong secret", () => {
    const body = '{"amount":100}';
    const v = verifyCaptureSignature(req(stripeHeader(body), '{"amount":999}'), [sec(STRIPE, "stripe")]);
    assert.equal(v.cause, "wrong_secret");
    assert.match(v.reason, /the body or the secret differs/);
    assert.doesNotMatch(v.reason, /most likely signs with another secret/);
  });
});
