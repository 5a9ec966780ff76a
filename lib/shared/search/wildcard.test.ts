import assert from "node:assert/strict";
import { test } from "node:test";
import { wildcardMatch } from "./wildcard";

/** The RegExp this replaces: the oracle on inputs small enough for it. */
function viaRegExp(pattern: string, text: string, question: boolean): boolean {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(question ? /[*?]/g : /\*/g, (m) => (m === "*" ? "[\\s\\S]*" : "[\\s\\S]"));
  return new RegExp(`^${question ? body : body.replace(/\?/g, "\\?")}$`).test(text);
}

test("matches as the anchored RegExp did, for `*` and `?`, on random patterns and texts", () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
  for (let i = 0; i < 20_000; i++) {
    const pattern = pick("ab*?/.", Math.floor(next() * 7));
    const text = pick("ab/.?*", Math.floor(next() * 8));
    const question = next() < 0.5;
    assert.equal(
      wildcardMatch(pattern, text, question),
      viaRegExp(pattern, text, question),
      `${JSON.stringify(pattern)} ${JSON.stringify(text)} ${question}`,
    );
  }
});

test("a pattern that backtracks exponentially as a RegExp finishes (this test would hang)", () => {
  const text = "a".repeat(20_000);
  assert.equal(wildcardMatch("*a*a*a*a*a*a*a*a*a*a*!", text), false);
  assert.equal(wildcardMatch("*a*a*a*a*a*a*a*a*a*a*", text), true);
});
