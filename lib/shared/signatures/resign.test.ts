// Re-signing a captured request with a test secret: the result verifies under the new secret
// (checked by the scheme's verifier), the body is untouched, and header order is kept.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { validateRequest } from "twilio/lib/webhooks/webhooks";
import { buildSignedTestEvent } from "./samples";
import { resignRequest, ResignError } from "./resign";
import { verifyCaptureSignature } from "./verify";

const stripe = new Stripe("sk_test_hookscope");
const PROD = "whsec_production_secret";
const TEST = "whsec_local_test_secret";

describe("resignRequest", () => {
  test("a Stripe event signed with production's secret, re-signed, passes constructEvent with the test secret", () => {
    const ev = buildSignedTestEvent("stripe", { secret: PROD, url: "https://x.test/h/a", now: new Date(Date.now() - 3_600_000) });
    const out = resignRequest(
      { method: "POST", url: "http://localhost:4000/webhooks", headers: ev.headers, body: Buffer.from(ev.body) },
      { scheme: "auto", secret: TEST },
    );
    assert.equal(out.scheme, "stripe");
    const header = out.headers.find(([n]) => n === "Stripe-Signature")![1];
    assert.equal(stripe.webhooks.constructEvent(ev.body, header, TEST).type, "payment_intent.succeeded");
    // Same headers in the same order, only the signature value changed.
    assert.deepEqual(
      out.headers.map(([n]) => n),
      ev.headers.map(([n]) => n),
    );
    assert.equal(out.headers.filter(([n]) => n !== "Stripe-Signature").length, ev.headers.length - 1);
  });

  test("Standard Webhooks keeps the message id and header family", () => {
    const secret = "whsec_" + Buffer.from("production").toString("base64");
    const testSecret = "whsec_" + Buffer.from("local test").toString("base64");
    const ev = buildSignedTestEvent("standard", { secret, url: "https://x.test", headerPrefix: "svix" });
    const out = resignRequest(
      { method: "POST", url: "http://localhost/x", headers: ev.headers, body: Buffer.from(ev.body) },
      { scheme: "standard", secret: testSecret },
    );
    const h = Object.fromEntries(out.headers.map(([n, v]) => [n.replace(/^svix-/, "webhook-"), v]));
    assert.equal(h["webhook-id"], ev.headers.find(([n]) => n === "svix-id")![1]);
    assert.ok(new Webhook(testSecret).verify(ev.body, h));
  });

  test("Twilio is re-signed over the new URL", () => {
    const ev = buildSignedTestEvent("twilio", { secret: "prod-token", url: "https://hooks.example.com/h/a" });
    const url = "http://localhost:3001/sms?x=1";
    const out = resignRequest(
      { method: "POST", url, headers: ev.headers, body: Buffer.from(ev.body) },
      { scheme: "twilio", secret: "test-token" },
    );
    const sig = out.headers.find(([n]) => n === "X-Twilio-Signature")![1];
    assert.equal(validateRequest("test-token", sig, url, Object.fromEntries(new URLSearchParams(ev.body))), true);
  });

  test("every provider's re-signed event verifies with the new secret and no longer with the old", () => {
    for (const provider of ["stripe", "github", "shopify", "slack", "standard", "twilio"] as const) {
      const old = provider === "standard" ? "whsec_" + Buffer.from("old").toString("base64") : "old-secret";
      const fresh = provider === "standard" ? "whsec_" + Buffer.from("new").toString("base64") : "new-secret";
      const ev = buildSignedTestEvent(provider, { secret: old, url: "https://a.test/h/x" });
      const out = resignRequest(
        { method: "POST", url: "https://b.test/in", headers: ev.headers, body: Buffer.from(ev.body) },
        { scheme: "auto", secret: fresh },
      );
      const request = { method: "POST", headers: out.headers, body: Buffer.from(ev.body), urls: [out.url], receivedAt: Date.now() / 1000 };
      const mk = (secret: string) => [{ id: null, label: null, scheme: "auto" as const, options: {}, secret }];
      assert.equal(verifyCaptureSignature(request, mk(fresh)).status, "valid", provider);
      assert.equal(verifyCaptureSignature(request, mk(old)).status, "invalid", provider);
    }
  });

  test("generic rules replace their own header; no scheme to detect is an error", () => {
    const options = {
      generic: {
        header: "X-Sig",
        algorithm: "sha256" as const,
        encoding: "hex" as const,
        prefix: "",
        signed: "body" as const,
        separator: ".",
      },
    };
    const out = resignRequest(
      {
        method: "POST",
        url: "http://x",
        headers: [
          ["X-Sig", "old"],
          ["X-Other", "1"],
        ],
        body: Buffer.from("b"),
      },
      { scheme: "generic", secret: "k", options },
    );
    assert.deepEqual(
      out.headers.map(([n]) => n),
      ["X-Sig", "X-Other"],
    );
    assert.notEqual(out.headers[0]![1], "old");
    assert.throws(
      () => resignRequest({ method: "POST", url: "http://x", headers: [], body: Buffer.alloc(0) }, { scheme: "auto", secret: "k" }),
      ResignError,
    );
  });
});
