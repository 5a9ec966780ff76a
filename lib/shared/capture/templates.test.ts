// Templates: the variables, the sandbox and the limits, without a server (test/response-templates.test.ts runs them over sockets).
import assert from "node:assert/strict";
import { test } from "node:test";
import { storedRequest } from "./answer";
import { MAX_TEMPLATE_OUTPUT_CHARS, parseTemplate, renderTemplate, templateError, templateVars, warmUpTemplates } from "./templates";

// As the server does at start: a first, cold render compiles the engine's code paths, which on a
// loaded machine can take longer than a template's 10 ms (these tests are about what renders).
warmUpTemplates();

const vars = templateVars(
  storedRequest(
    "POST",
    [
      ["X-A", "1"],
      ["x-a", "2"],
      ["Content-Type", "application/json"],
    ],
    "q=1&q=2",
    Buffer.from('{"id":"evt_1","n":[1,2]}'),
    "",
  ),
  "cid",
  3,
  "2026-12-06T14:00:00.123456Z",
);
const render = (src: string) => renderTemplate(parseTemplate(src), vars);

test("variables: method, path ('/' for the URL itself), first query value, joined lower-case headers, JSON body, id, seq, now in ms", () => {
  assert.deepEqual(
    render("{{ method }} {{ path }} {{ query.q }} {{ headers.x-a }} {{ body.id }} {{ body.n[1] }} {{ id }} {{ seq }} {{ now }}"),
    {
      ok: true,
      text: "POST / 1 1, 2 evt_1 2 cid 3 2026-12-06T14:00:00.123Z",
    },
  );
});

test("a body that is not JSON is its text", () => {
  const v = templateVars(storedRequest("POST", [], null, Buffer.from("a=b"), "/x"), "c", 1, "t");
  assert.deepEqual(renderTemplate(parseTemplate("{{ body }}"), v), { ok: true, text: "a=b" });
});

test("the sandbox: no globals, no prototype or constructor reads", () => {
  assert.deepEqual(
    render("{{ process }}{{ require }}{{ global }}{{ body.constructor }}{{ body.__proto__ }}{{ headers.constructor }}{{ body.id.length }}"),
    {
      ok: true,
      text: "5",
    },
  );
});

test("limits: output over 64 KiB and a long loop return an error, not text", () => {
  // The output limit is checked with time to spare: in CI a 65-turn render once took longer than
  // the 10 ms a template gets, and failed for time instead of passing for size.
  const sized = (src: string) => renderTemplate(parseTemplate(src), vars, 1_000);
  const big = sized(`{% for i in (1..70) %}${"x".repeat(1000)}{% endfor %}`);
  assert.equal(big.ok, false);
  assert.match(!big.ok ? big.error : "", /over the limit/);
  assert.equal(sized(`{% for i in (1..65) %}${"x".repeat(1000)}{% endfor %}`).ok, MAX_TEMPLATE_OUTPUT_CHARS >= 65_000);
  const slow = render("{% for i in (1..99999) %}{% if i == 0 %}x{% endif %}{% endfor %}");
  assert.match(!slow.ok ? slow.error : "", /render limit exceeded/);
});

test("templateError: null for plain text and good templates; the parser's message for bad ones, files never read", () => {
  assert.equal(templateError("plain { text }"), null);
  assert.equal(templateError("{{ body.id }}"), null);
  assert.match(templateError("{% if x %}") ?? "", /not closed/);
  assert.match(templateError('{% include "/etc/passwd" %}') ?? "", /tag "include" not found/);
  assert.match(templateError("{{ x | nope }}") ?? "", /undefined filter: nope/);
});
