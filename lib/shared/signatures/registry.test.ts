// Adding a signature scheme is one file and one line: this test defines a toy scheme ("acme"),
// registers it in one line, and shows that nothing else had to change for it to verify, sign,
// re-sign, be detected, be hidden in share links and be accepted by the API. CONTRIBUTING.md's
// recipe "How to add a signature scheme" follows it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { redactHeaders } from "../format/redact-headers";
import type { TSignatureScheme } from "../validation/signatures";
import { hmac } from "./crypto";
import { findHeader } from "./headers";
import { detectScheme, registerScheme } from "./registry";
import { resignRequest } from "./resign";
import { signPayload } from "./sign";
import { defineScheme, type VerifyRequest } from "./types";
import { verifyCaptureSignature, verifyWithSecret } from "./verify";

const ACME_HEADER = "X-Acme-Signature";

/** Acme sends `X-Acme-Signature: sha256=<hex>`, an HMAC-SHA256 of the body keyed with the secret as text. */
const acme = defineScheme({
  id: "acme",
  label: "Acme",
  secretPlaceholder: "The secret from Acme's webhook settings",
  timestamped: false,
  detect: [ACME_HEADER],
  headers: () => [ACME_HEADER],
  secretHeaders: [ACME_HEADER],
  key: (secret) => Buffer.from(secret, "utf8"),
  sign: ({ secret, body }) => ({ headers: [[ACME_HEADER, `sha256=${hmac("sha256", secret, body).toString("hex")}`]] }),
  inspect(req) {
    const h = findHeader(req.headers, ACME_HEADER);
    if (!h) return { kind: "missing", header: ACME_HEADER, reason: "The request has no X-Acme-Signature header." };
    const value = h.value.trim();
    if (!value.startsWith("sha256="))
      return { kind: "malformed", header: h.name, received: h.value, reason: "X-Acme-Signature should look like sha256=<hex>." };
    return {
      kind: "ready",
      check: {
        header: h.name,
        received: h.value,
        signatures: [value.slice("sha256=".length)],
        encoding: "hex",
        format: (sig) => `sha256=${sig}`,
        mac: (body, key) => [{ mac: hmac("sha256", key, body) }],
        timestamp: null,
        toleranceSeconds: null,
        bothDirections: false,
        secretAdvice: "Use the secret shown in Acme's webhook settings.",
      },
    };
  },
});

registerScheme(acme);

// The API's enums are built from the registry when the validation module loads, so it is loaded
// after registering (the built-in schemes are registered before anything can load it).
const { ZCreateSigningSecretRequest, ZSignatureVerdict, SIGNATURE_SCHEMES, SCHEME_LABELS } =
  await import("@/lib/shared/validation/signatures");

// A registered id is a scheme at run time; the compile-time union names only the built-in ones.
const ACME = acme.id as TSignatureScheme;
const SECRET = "acme_secret_1";
const body = Buffer.from('{"event":"order.paid","id":"ord_1"}');
const signature = `sha256=${hmac("sha256", SECRET, body).toString("hex")}`;

function request(headers: [string, string][]): VerifyRequest {
  return { method: "POST", headers, body, urls: ["https://hooks.example.com/h/slug"], receivedAt: 1_700_000_000 };
}
const secret = (value: string, scheme: "auto" | TSignatureScheme = ACME) => ({
  id: null,
  label: "Acme",
  scheme,
  options: {},
  secret: value,
});

describe("a scheme registered in one line", () => {
  test("verifies a correctly signed request and rejects a wrong one", () => {
    const valid = verifyWithSecret(request([[ACME_HEADER, signature]]), secret(SECRET));
    assert.equal(valid.status, "valid", valid.reason);
    assert.match(valid.reason, /^Valid Acme signature/);
    const wrong = verifyWithSecret(request([[ACME_HEADER, signature]]), secret("another_secret"));
    assert.deepEqual([wrong.status, wrong.cause, wrong.expected !== signature], ["invalid", "wrong_secret", true]);
    assert.match(wrong.reason, /Use the secret shown in Acme's webhook settings/);
  });

  test("is detected from its header, for secrets set to auto and for endpoints with no secret", () => {
    assert.deepEqual(detectScheme([["x-acme-signature", signature]]), { scheme: "acme", header: "x-acme-signature" });
    assert.equal(verifyWithSecret(request([[ACME_HEADER, signature]]), secret(SECRET, "auto")).status, "valid");
    const none = verifyCaptureSignature(request([[ACME_HEADER, signature]]), []);
    assert.match(none.reason, /carries a Acme signature \(X-Acme-Signature\)/);
  });

  test("signs (sign → verify round trip) and re-signs in place", () => {
    const signed = signPayload(ACME, { secret: SECRET, body });
    assert.deepEqual(signed.headers, [[ACME_HEADER, signature]]);
    assert.equal(verifyWithSecret(request(signed.headers), secret(SECRET)).status, "valid");
    const resigned = resignRequest(
      {
        method: "POST",
        url: "https://example.test/hook",
        headers: [
          ["Content-Type", "application/json"],
          [ACME_HEADER, signature],
        ],
        body,
      },
      { scheme: "auto", secret: "test_secret" },
    );
    assert.equal(resigned.scheme, "acme");
    assert.equal(resigned.headers.length, 2, "the signature header is replaced, not added");
    assert.equal(verifyWithSecret(request(resigned.headers), secret("test_secret")).status, "valid");
  });

  test("its signature header is hidden in share links", () => {
    assert.deepEqual(
      redactHeaders([
        ["Content-Type", "application/json"],
        [ACME_HEADER, signature],
      ]),
      [
        ["Content-Type", "application/json"],
        [ACME_HEADER, { redacted: true, length: signature.length }],
      ],
    );
  });

  test("the API accepts it as a scheme, and its verdicts, after the built-in ones", () => {
    assert.deepEqual(SIGNATURE_SCHEMES, ["stripe", "github", "shopify", "slack", "standard", "twilio", "zoom", "x", "generic", "acme"]);
    assert.equal(SCHEME_LABELS[ACME], "Acme");
    const created = ZCreateSigningSecretRequest.safeParse({ label: "Acme live", scheme: "acme", secret: SECRET });
    assert.equal(created.success, true, created.error?.message);
    assert.equal(ZCreateSigningSecretRequest.safeParse({ label: "x", scheme: "acme2", secret: SECRET }).success, false);
    const verdict = verifyCaptureSignature(request([[ACME_HEADER, signature]]), [secret(SECRET)]);
    assert.equal(ZSignatureVerdict.parse(verdict).scheme, "acme");
  });

  test("registering after the API's enums are built fails loudly instead of leaving the scheme out", () => {
    assert.throws(() => registerScheme({ ...acme, id: "late" }), /already built; register first/);
  });
});
