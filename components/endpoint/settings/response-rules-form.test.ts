import assert from "node:assert/strict";
import { test } from "node:test";
import { ZResponseRule } from "@/lib/shared/validation/response-rules";
import { errorsFromIssues, formFromRule, newCondition, newRuleForm, rulesFromForm } from "./response-rules-form";

test("a saved rule round-trips through the form", () => {
  const rule = ZResponseRule.parse({
    id: "r1",
    name: "paid",
    match: {
      methods: ["POST", "PUT"],
      path: "/events/**",
      query: [{ name: "mode", value: null }],
      headers: [{ op: "regex", name: "X-Sig", value: "^v1=" }],
      body: { op: "jsonEquals", path: "type", value: "invoice.paid" },
    },
    answer: { status: 202, headers: [["X-A", "1"]], body: "ok", contentType: "text/plain", delayMs: 5 },
    failure: { mode: "firstN", count: 2, status: 503, key: { from: "json", path: "id" } },
  });
  const r = rulesFromForm([formFromRule(rule)]);
  assert.ok(r.ok);
  assert.deepEqual(r.input.rules[0], rule);
});

test("errors land on the field that caused them: methods, a condition row, the answer, the failure", () => {
  const f = newRuleForm();
  const cond = { ...newCondition("headerRegex"), name: "X-A", value: "(?=a)a+" };
  const bad = rulesFromForm([{ ...f, path: "/a/[b", conditions: [cond], status: "99", failure: "percentage", percent: "120" }]);
  assert.ok(!bad.ok);
  assert.match(bad.errors[`${f.rowKey}.path`] ?? "", /Invalid path glob/);
  assert.match(bad.errors[`${f.rowKey}.cond.${cond.rowKey}`] ?? "", /lookaround and backreferences are not supported/);
  assert.match(bad.errors[`${f.rowKey}.answer.status`] ?? "", /200–599/);
  assert.match(bad.errors[`${f.rowKey}.failure.percent`] ?? "", /0–100/);
  const server = errorsFromIssues([{ path: ["rules", "0", "match", "methods"], message: "never" }], [f]);
  assert.deepEqual(server, { [`${f.rowKey}.methods`]: "never" });
});

test("two body conditions in one rule are refused on the second", () => {
  const f = newRuleForm();
  const a = { ...newCondition("contains"), name: "x" };
  const b = { ...newCondition("jsonExists"), name: "id" };
  const r = rulesFromForm([{ ...f, conditions: [a, b] }]);
  assert.ok(!r.ok);
  assert.equal(r.errors[`${f.rowKey}.cond.${b.rowKey}`], "Only one body condition per rule");
});
