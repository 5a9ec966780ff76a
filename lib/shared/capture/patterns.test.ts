// Path globs run by RE2 against picomatch itself (the oracle: its parser, its matcher), and the
// header regexes' RE2 syntax: what is refused, and with what message.
import assert from "node:assert/strict";
import { test } from "node:test";
import picomatch from "picomatch";
import { compileHeaderRegex, compilePathGlob, MAX_PATTERN_PROGRAM, PatternError } from "./patterns";

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("path globs match as picomatch does, but for dot segments and an empty segment under a star", () => {
  const next = random(18);
  const pick = (from: readonly string[], n: number) => Array.from({ length: n }, () => from[Math.floor(next() * from.length)]).join("");
  const globTokens = ["/", "/", "a", "b", "*", "**", "?", "{a,b}", "[ab]", "x", "/**/", "-", ".json", "+(a|b)", "@(a|x)", "1"];
  // Paths as captured: no empty segments, no `.` or `..` segments.
  const pathTokens = ["/a", "/b", "/x", "/ab", "/a-b", "/x.json", "/1", "/ba", "/v1"];
  let compared = 0;
  for (let i = 0; i < 1500; i++) {
    const glob = pick(globTokens, 1 + Math.floor(next() * 5));
    let oracle: (p: string) => boolean;
    try {
      oracle = picomatch(glob, { dot: true, strictBrackets: true });
    } catch {
      assert.throws(() => compilePathGlob(glob), PatternError, glob);
      continue;
    }
    const ours = compilePathGlob(glob);
    for (let j = 0; j < 30; j++) {
      const path = pick(pathTokens, 1 + Math.floor(next() * 4));
      compared++;
      assert.equal(ours.test(path), oracle(path), `glob ${JSON.stringify(glob)} on ${JSON.stringify(path)}`);
    }
  }
  assert.ok(compared > 30_000, `${compared} comparisons`);
  for (const [glob, path, want] of [
    ["/orders/**", "/orders/1/refund", true],
    ["/orders/*/refund", "/orders/1/refund", true],
    ["/orders/*/refund", "/orders/1/2/refund", false],
    ["/{a,b}/*.json", "/b/x.json", true],
    ["/v?/hook", "/v1/hook", true],
    // Where ours differs on purpose: an empty segment, and `..` is a plain segment.
    ["/orders/*", "/orders/", true],
    ["/orders/*", "/orders/..", true],
  ] as const) {
    assert.equal(compilePathGlob(glob).test(path), want, `${glob} on ${path}`);
  }
});

test("refusals name the problem: negation, an unclosed bracket, lookaround, backreferences, huge repetitions", () => {
  const message = (compile: () => unknown) => {
    try {
      compile();
    } catch (e) {
      assert.ok(e instanceof PatternError);
      return e.message;
    }
    return assert.fail("accepted");
  };
  assert.match(
    message(() => compilePathGlob("/!(internal)/**")),
    /negated patterns/,
  );
  assert.match(
    message(() => compilePathGlob("/a/[b")),
    /Missing closing/,
  );
  assert.match(
    message(() => compileHeaderRegex("^(?!test_)")),
    /lookaround and backreferences are not supported/,
  );
  assert.match(
    message(() => compileHeaderRegex("(?<=x)y")),
    /lookaround/,
  );
  assert.match(
    message(() => compileHeaderRegex("(a)\\1")),
    /backreferences are not supported/,
  );
  assert.match(
    message(() => compileHeaderRegex("a{1001}")),
    /invalid repeat count/,
  );
  assert.match(
    message(() => compileHeaderRegex("[a-z]{1,600}")),
    /too complex/,
  );
  assert.ok(compileHeaderRegex("^sha256=[0-9a-f]{64}$").size < MAX_PATTERN_PROGRAM);
});

test("header regexes find the pattern anywhere, like RegExp.test, with RE2's syntax", () => {
  const cases: [string, string, boolean][] = [
    ["^t=\\d+,v1=[0-9a-f]+$", "t=1700000000,v1=abc123", true],
    ["stripe", "Stripe/1.0 (+https://stripe.com)", true],
    ["(?i)^stripe/", "Stripe/1.0", true],
    ["^stripe/", "Stripe/1.0", false],
    ["(?<ver>v\\d)", "sig v1", true],
    ["\\/hooks\\/", "/hooks/x", true],
    // JavaScript's \u escapes read as RE2's \x{…}; an escaped backslash before a u is not one.
    ["^caf\\u00e9$", "café", true],
    ["^\\u{1F600}$", "😀", true],
    ["^a\\\\u0041$", "a\\u0041", true],
  ];
  for (const [source, value, want] of cases) {
    assert.equal(compileHeaderRegex(source).test(value), want, `${source} on ${value}`);
  }
});
