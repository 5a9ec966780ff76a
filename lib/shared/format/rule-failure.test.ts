import assert from "node:assert/strict";
import { test } from "node:test";
import { describeAppliedFailure, describeRuleFailure } from "./rule-failure";

test("what failure on purpose did, in words", () => {
  assert.equal(
    describeAppliedFailure({ mode: "firstN", key: "evt_1", delivery: 3, count: 2, failed: false }),
    "Delivery 3 of event evt_1: answered (the rule fails only the first 2 deliveries of each event).",
  );
  assert.match(describeAppliedFailure({ mode: "firstN", key: null, delivery: null, count: 1, failed: false }), /no event key/);
  assert.equal(describeAppliedFailure({ mode: "percentage", percent: 100, failed: true }), "Failed on purpose (100 % of requests fail).");
  assert.match(describeAppliedFailure({ mode: "close" }), /closed on purpose/);
});

test("what a rule's failure mode does, in words", () => {
  assert.equal(
    describeRuleFailure({ mode: "firstN", count: 1, status: 503, key: { from: "json", path: "id" } }),
    "Answers 503 to the first delivery of each event (told apart by JSON path id).",
  );
  assert.equal(describeRuleFailure({ mode: "slow", delayMs: 45_000 }), "Answers after 45000 ms.");
});
