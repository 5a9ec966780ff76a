import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SIGNATURE_STATUSES, ZSignatureCause } from "@/lib/shared/validation/signatures";
import { badgeView, CAUSE_WORDS, describeSkew, toneOf } from "./signature-view";

describe("badgeView", () => {
  test("each status has its words and tone", () => {
    assert.deepEqual(badgeView({ status: "valid", scheme: "stripe", secretLabel: "live" }), {
      text: "✓ Stripe",
      tone: "good",
      title: "Valid signature (Stripe) with “live”",
    });
    assert.equal(badgeView({ status: "invalid", scheme: "github", secretLabel: null })!.tone, "bad");
    assert.equal(badgeView({ status: "expired", scheme: "slack", secretLabel: null })!.tone, "warn");
    assert.equal(badgeView({ status: "missing_header", scheme: null, secretLabel: null })!.text, "unsigned");
    assert.equal(badgeView({ status: "no_secret", scheme: "shopify", secretLabel: null })!.text, "Shopify · no secret");
    assert.equal(
      badgeView({ status: "no_secret", scheme: null, secretLabel: null }),
      null,
      "nothing to show for unsigned requests without secrets",
    );
    for (const s of SIGNATURE_STATUSES) assert.ok(toneOf(s));
  });

  test("every cause has words", () => {
    for (const c of ZSignatureCause.options) assert.ok(CAUSE_WORDS[c], c);
  });
});

describe("describeSkew", () => {
  test("reads naturally both ways", () => {
    assert.equal(describeSkew(0), "0 s before it arrived");
    assert.equal(describeSkew(301), "5 min 1 s before it arrived");
    assert.equal(describeSkew(3600), "1 h before it arrived");
    assert.equal(describeSkew(-42), "42 s after it arrived");
  });
});
