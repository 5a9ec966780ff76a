import assert from "node:assert/strict";
import { test } from "node:test";
import { ALIAS_MAX, aliasRefusal, RESERVED_ALIASES, ZEndpointAlias } from "./endpoint-alias";

test("good aliases pass, lower-cased and trimmed", () => {
  for (const good of ["abc", "my-stripe-dev", "a1-b2-c3", "123", "x".repeat(ALIAS_MAX), "pr-1234"]) {
    assert.equal(aliasRefusal(good), null, good);
    assert.equal(ZEndpointAlias.parse(good), good);
  }
  assert.equal(ZEndpointAlias.parse("  My-Stripe-DEV "), "my-stripe-dev");
});

test("each rule has its own message", () => {
  const cases: [string, RegExp][] = [
    ["ab", /at least 3/],
    ["x".repeat(ALIAS_MAX + 1), /limited to 48/],
    ["my_hooks", /lower-case letters/],
    ["my hooks", /lower-case letters/],
    ["my/hooks", /lower-case letters/],
    ["hooks?x", /lower-case letters/],
    ["%2e%2e", /lower-case letters/],
    ["-hooks", /start and end/],
    ["hooks-", /start and end/],
    ["my--hooks", /two hyphens/],
    ["api", /"api" is reserved/],
    ["h", /at least 3/],
  ];
  for (const [bad, why] of cases) assert.match(aliasRefusal(bad) ?? "(accepted)", why, bad);
  assert.match(ZEndpointAlias.safeParse("API").error?.issues[0]?.message ?? "", /"api" is reserved/);
  assert.match(ZEndpointAlias.safeParse(7).error?.issues[0]?.message ?? "", /must be text/);
});

test("every reserved word is itself well-formed (else the rule that refuses it would be another)", () => {
  for (const word of RESERVED_ALIASES) {
    if (word.length < 3) continue;
    assert.match(aliasRefusal(word) ?? "", /is reserved/, word);
  }
});
