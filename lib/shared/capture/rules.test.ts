import assert from "node:assert/strict";
import { test } from "node:test";
import { ZPutResponseRulesRequest, ZResponseRule, ZResponseRules, type TResponseRule } from "../validation/response-rules";
import { storedRequest } from "./answer";
import { splitJsonPath } from "../format/json-path";
import { compileRules, eventKeyOf, matchRule, MAX_JSON_MATCH_BYTES } from "./rules";

function rule(id: string, match: Partial<TResponseRule["match"]>): TResponseRule {
  return ZResponseRule.parse({
    id,
    name: id,
    match: { methods: null, path: null, query: [], headers: [], body: null, ...match },
    answer: { status: 200, headers: [], body: null, contentType: null, delayMs: 0 },
    failure: null,
  });
}

const req = (method: string, path: string, headers: [string, string][] = [], query: string | null = null, body: string | null = null) =>
  storedRequest(method, headers, query, body === null ? null : Buffer.from(body), path);

test("JSON paths split into names and indexes", () => {
  assert.deepEqual(splitJsonPath("data.object.id"), ["data", "object", "id"]);
  assert.deepEqual(splitJsonPath("$.items[0].id"), ["items", 0, "id"]);
  assert.deepEqual(splitJsonPath("a[1][2]"), ["a", 1, 2]);
});

test("first match wins; no match is null", () => {
  const compiled = compileRules([rule("a", { methods: ["POST"], path: "/a/*" }), rule("b", { path: "/a/**" })]);
  assert.equal(matchRule(compiled, req("POST", "/a/1"))?.rule.id, "a");
  assert.equal(matchRule(compiled, req("GET", "/a/1"))?.rule.id, "b");
  assert.equal(matchRule(compiled, req("GET", "/a/1/2"))?.rule.id, "b");
  assert.equal(matchRule(compiled, req("GET", "/b")), null);
  assert.equal(matchRule(compileRules([]), req("GET", "/")), null);
});

test("the bare capture URL is matched as /", () => {
  const compiled = compileRules([rule("root", { path: "/" })]);
  assert.equal(matchRule(compiled, req("GET", ""))?.rule.id, "root");
  assert.equal(matchRule(compiled, req("GET", "/x")), null);
});

test("query: equals any of repeated values, present without a value", () => {
  const compiled = compileRules([
    rule("q", {
      query: [
        { name: "a", value: "2" },
        { name: "flag", value: null },
      ],
    }),
  ]);
  assert.ok(matchRule(compiled, req("GET", "/", [], "a=1&a=2&flag")));
  assert.equal(matchRule(compiled, req("GET", "/", [], "a=1&flag")), null);
  assert.equal(matchRule(compiled, req("GET", "/", [], "a=2")), null);
});

test("headers: present, equals (case-insensitive name), regex over a capped value", () => {
  const compiled = compileRules([
    rule("h", {
      headers: [
        { op: "present", name: "X-A" },
        { op: "equals", name: "x-b", value: "yes" },
        { op: "regex", name: "X-C", value: "^t=\\d+$" },
      ],
    }),
  ]);
  const ok: [string, string][] = [
    ["x-a", ""],
    ["X-B", "yes"],
    ["X-C", "t=12"],
  ];
  assert.ok(matchRule(compiled, req("GET", "/", ok)));
  assert.equal(matchRule(compiled, req("GET", "/", [ok[0]!, ["X-B", "Yes"], ok[2]!])), null);
  assert.equal(matchRule(compiled, req("GET", "/", [ok[1]!, ok[2]!])), null);
  const long = compileRules([rule("long", { headers: [{ op: "regex", name: "X-L", value: "z$" }] })]);
  assert.equal(matchRule(long, req("GET", "/", [["X-L", "a".repeat(10_000) + "z"]])), null, "tested over the first 8 KiB only");
});

test("one request cannot stall matching: patterns that backtrack exponentially in JavaScript finish (RE2)", () => {
  // Each of these took seconds to forever with RegExp and picomatch on inputs a tenth this long;
  // this test would hang until the runner's timeout.
  const compiled = compileRules([
    rule("regex", { headers: [{ op: "regex", name: "X-A", value: "(a|a)*$" }] }),
    rule("nested", { headers: [{ op: "regex", name: "X-A", value: "^(a+)+$" }] }),
    rule("glob", { path: "/*a*a*a*a*a*a*a*a*!" }),
  ]);
  const hostile = "a".repeat(8000) + "!";
  assert.equal(matchRule(compiled, req("GET", `/${"a".repeat(8000)}`, [["X-A", hostile]]))?.rule.id, "regex");
  const noRegex = compileRules([
    rule("nested", { headers: [{ op: "regex", name: "X-A", value: "^(a+)+$" }] }),
    rule("glob", { path: "/*a*a*a*a*a*a*a*a*!" }),
  ]);
  assert.equal(matchRule(noRegex, req("GET", `/${"a".repeat(8000)}`, [["X-A", hostile]])), null);
  assert.equal(matchRule(noRegex, req("GET", `/${"a".repeat(8000)}!`))?.rule.id, "glob");
});

test("a stored rule whose pattern RE2 cannot run still reads, and only that rule matches nothing", () => {
  // Saved before patterns ran on RE2: a lookahead. Reading the list must not drop every rule.
  const stored = [
    { ...rule("old", {}), match: { ...rule("old", {}).match, headers: [{ op: "regex", name: "X-A", value: "^(?!test_)" }] } },
    rule("fine", { path: "/a/**" }),
  ];
  const parsed = ZResponseRules.safeParse(stored);
  assert.ok(parsed.success);
  const compiled = compileRules(parsed.data);
  assert.equal(matchRule(compiled, req("GET", "/a/1", [["X-A", "live_1"]]))?.rule.id, "fine");
  assert.equal(matchRule(compiled, req("GET", "/b", [["X-A", "live_1"]])), null);
});

test("the rules' patterns together have a budget", () => {
  const heavy = (id: string) => ({ ...rule(id, { headers: [{ op: "regex", name: "X", value: "^[a-z]{1,400}$" }] }) });
  assert.ok(ZPutResponseRulesRequest.safeParse({ rules: [heavy("a"), heavy("b")] }).success);
  const over = ZPutResponseRulesRequest.safeParse({ rules: ["a", "b", "c", "d", "e", "f"].map(heavy) });
  assert.ok(!over.success);
  assert.match(over.error.issues[0]!.message, /too complex together/);
});

test("body: JSON equals (strings as they are, the rest as JSON), exists, contains; non-JSON and oversize bodies do not match JSON conditions", () => {
  const eq = (path: string, value: string) => compileRules([rule("e", { body: { op: "jsonEquals", path, value } })]);
  const body = JSON.stringify({ id: "evt_1", n: 3, ok: true, nil: null, items: [{ id: 7 }] });
  assert.ok(matchRule(eq("id", "evt_1"), req("POST", "/", [], null, body)));
  assert.ok(matchRule(eq("n", "3"), req("POST", "/", [], null, body)));
  assert.ok(matchRule(eq("ok", "true"), req("POST", "/", [], null, body)));
  assert.ok(matchRule(eq("nil", "null"), req("POST", "/", [], null, body)));
  assert.ok(matchRule(eq("items[0].id", "7"), req("POST", "/", [], null, body)));
  assert.equal(matchRule(eq("items[1].id", "7"), req("POST", "/", [], null, body)), null);
  assert.equal(matchRule(eq("id", "evt_1"), req("POST", "/", [], null, "id=evt_1")), null);
  const exists = compileRules([rule("x", { body: { op: "jsonExists", path: "nil" } })]);
  assert.ok(matchRule(exists, req("POST", "/", [], null, body)), "a null value exists");
  assert.equal(matchRule(exists, req("POST", "/", [], null, "{}")), null);
  const proto = compileRules([rule("p", { body: { op: "jsonExists", path: "constructor" } })]);
  assert.equal(matchRule(proto, req("POST", "/", [], null, "{}")), null, "inherited properties are not in the body");
  const huge = JSON.stringify({ id: "evt_1", pad: "x".repeat(MAX_JSON_MATCH_BYTES) });
  assert.equal(matchRule(eq("id", "evt_1"), req("POST", "/", [], null, huge)), null);
  const contains = compileRules([rule("c", { body: { op: "contains", text: "néedle" } })]);
  assert.ok(matchRule(contains, req("POST", "/", [], null, "hay néedle hay")));
  assert.equal(matchRule(contains, req("POST", "/", [], null, "hay needle")), null);
  assert.equal(matchRule(contains, req("GET", "/")), null);
});

test("event keys from a header or a JSON path; none gives null; long keys are cut", () => {
  assert.equal(eventKeyOf({ from: "header", name: "Webhook-Id" }, req("POST", "/", [["webhook-id", "msg_1"]])), "msg_1");
  assert.equal(eventKeyOf({ from: "header", name: "Webhook-Id" }, req("POST", "/")), null);
  assert.equal(eventKeyOf({ from: "json", path: "id" }, req("POST", "/", [], null, '{"id":"evt_1"}')), "evt_1");
  assert.equal(eventKeyOf({ from: "json", path: "data.n" }, req("POST", "/", [], null, '{"data":{"n":5}}')), "5");
  assert.equal(eventKeyOf({ from: "json", path: "id" }, req("POST", "/", [], null, "{}")), null);
  assert.equal(eventKeyOf({ from: "header", name: "K" }, req("POST", "/", [["K", "k".repeat(600)]]))?.length, 512);
});

test("saving refuses rules that can never match, bad globs and regexes RE2 cannot run", () => {
  const bad = (match: Partial<TResponseRule["match"]>) =>
    !ZPutResponseRulesRequest.safeParse({ rules: [{ ...rule("a", {}), match: { ...rule("a", {}).match, ...match } }] }).success;
  assert.ok(bad({ methods: [] }));
  assert.ok(bad({ path: "[" }));
  assert.ok(bad({ path: "/!(internal)" }), "negation needs a lookahead");
  assert.ok(bad({ headers: [{ op: "regex", name: "X", value: "(?=a)b" }] }), "lookaround");
  assert.ok(bad({ headers: [{ op: "regex", name: "X", value: "(a)\\1" }] }), "backreference");
  assert.ok(bad({ headers: [{ op: "regex", name: "X", value: "[a-z]{1,1000}" }] }), "too large a program");
  assert.ok(bad({ headers: [{ op: "regex", name: "X", value: "[" }] }));
  // Backtracking-prone shapes are fine: RE2 runs them in linear time.
  assert.ok(!bad({ headers: [{ op: "regex", name: "X", value: "(a*)*b" }] }));
  assert.ok(!bad({ headers: [{ op: "regex", name: "X", value: "^sha256=[0-9a-f]{64}$" }] }));
  assert.ok(!bad({ path: "/orders/{a,b}/**" }));
});
