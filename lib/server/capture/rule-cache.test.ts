// Rules (globs, regexes, JSON paths and templates) are compiled once per endpoint and settings
// revision: the capture path gets the same compiled object until the revision changes.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TResponseRule } from "@/lib/shared/validation/response-rules";
import { compiledRulesFor } from "./rule-cache";

const rule: TResponseRule = {
  id: "r1",
  name: "",
  match: { methods: ["POST"], path: "/a/**", query: [], headers: [{ op: "regex", name: "x-a", value: "^v1" }], body: null },
  answer: { status: 200, headers: [["X-Echo", "{{ body.id }}"]], body: '{"got": "{{ body.id }}"}', contentType: null, delayMs: 0 },
  failure: null,
};

test("compiled once per revision, templates included; a new revision compiles again; no rules compile to nothing", () => {
  const first = compiledRulesFor("ep-cache-1", 3, [rule]);
  assert.ok(first?.rules[0]?.templates?.body, "the body template is parsed with the rules");
  assert.equal(compiledRulesFor("ep-cache-1", 3, [rule]), first, "same revision: the same compiled rules, nothing parsed again");
  const next = compiledRulesFor("ep-cache-1", 4, [rule]);
  assert.notEqual(next, first);
  assert.equal(compiledRulesFor("ep-cache-1", 4, [rule]), next);
  assert.equal(compiledRulesFor("ep-cache-2", 1, []), null);
});
