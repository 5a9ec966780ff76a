// Response rule templates over real sockets (lib/shared/capture/templates.ts, rendered by the
// capture handler after the capture is stored so `seq` is known): variables echoed into the body
// and a header, the sandbox (no process, require, globals, constructors or prototypes), the output
// and time limits (the endpoint's own answer goes and the capture says why), "try against capture"
// rendering, and a template that does not parse refused with a 400 naming the field.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { TPutResponseRulesRequest } from "@/lib/shared/validation/response-rules";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { getCapture, type EndpointRef } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("response_templates");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

type RuleInput = TPutResponseRulesRequest["rules"][number];

const rule = (answer: Partial<RuleInput["answer"]>): RuleInput => ({
  name: "templated",
  match: { methods: null, path: null, query: [], headers: [], body: null },
  answer: { status: 201, headers: [], body: null, contentType: "application/json", delayMs: 0, ...answer },
  failure: null,
});

function putRules(ep: EndpointRef, rules: RuleInput[]): Promise<Response> {
  return fetch(`${app.baseUrl}/api/endpoints/${ep.id}/response-rules`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
    body: JSON.stringify({ rules }),
  });
}

async function setRules(ep: EndpointRef, rules: RuleInput[]): Promise<void> {
  const r = await putRules(ep, rules);
  assert.equal(r.status, 200, await r.text());
}

test("a template echoes the body's id, a header, the query, method, path, capture id, seq and time; the detail and try show the same", async () => {
  const ep = await createEndpoint(app.baseUrl, { response: { status: 200, body: "default" } });
  await setRules(ep, [
    rule({
      body: '{"received": "{{ body.id }}", "from": "{{ headers.x-source }}", "q": "{{ query.mode }}", "req": "{{ method }} {{ path }}", "capture": "{{ id }}", "seq": {{ seq }}, "at": "{{ now }}"}',
      headers: [["X-Echo", "{{ body.id }}-{{ seq }}"]],
    }),
  ]);
  for (const expectedSeq of [1, 2]) {
    const r = await fetch(`${app.baseUrl}/h/${ep.slug}/orders/7?mode=test`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Source": "billing" },
      body: `{"id":"evt_${expectedSeq}","type":"invoice.paid"}`,
    });
    const id = r.headers.get("x-hookscope-capture-id")!;
    const text = await r.text();
    assert.equal(r.status, 201);
    const body = JSON.parse(text) as Record<string, unknown>;
    const capture = await getCapture(app.baseUrl, ep, id);
    assert.deepEqual(body, {
      received: `evt_${expectedSeq}`,
      from: "billing",
      q: "test",
      req: "POST /orders/7",
      capture: id,
      seq: expectedSeq,
      at: `${capture.receivedAt.slice(0, 23)}Z`,
    });
    assert.equal(r.headers.get("x-echo"), `evt_${expectedSeq}-${expectedSeq}`);
    assert.equal(capture.seq, expectedSeq);
    assert.equal(capture.response?.body, text, "the detail renders the answer that was sent");
    assert.deepEqual(
      capture.response?.headers.find(([n]) => n === "X-Echo"),
      ["X-Echo", `evt_${expectedSeq}-${expectedSeq}`],
    );
    assert.equal(capture.response?.error, null);
    const tried = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/response-rules/try`, {
      method: "POST",
      headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
      body: JSON.stringify({ seq: expectedSeq }),
    });
    const t = (await tried.json()) as { response: { body: string } };
    assert.equal(t.response.body, text, "try against capture #N renders the same answer");
  }
});

test("the sandbox: process, require, globals, env, constructors and prototypes read as nothing", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const probes = [
    "{{ process }}",
    "{{ process.env }}",
    "{{ require }}",
    "{{ global }}",
    "{{ globalThis }}",
    "{{ env }}",
    "{{ body.constructor }}",
    "{{ body.constructor.constructor }}",
    "{{ body.id.constructor }}",
    "{{ headers.constructor }}",
    "{{ query.__proto__ }}",
    "{{ body.toString }}",
    "{{ body.hasOwnProperty }}",
  ];
  // The last part proves the template did render.
  await setRules(ep, [rule({ body: [...probes, "{{ body.id }}"].join("|"), contentType: "text/plain" })]);
  const r = await fetch(`${app.baseUrl}/h/${ep.slug}`, { method: "POST", body: '{"id":"evt_1"}' });
  assert.equal(r.status, 201);
  assert.equal(await r.text(), [...probes.map(() => ""), "evt_1"].join("|"));
});

test("a template over 64 KiB or past its time limit answers the endpoint's default; the capture records why", async () => {
  const ep = await createEndpoint(app.baseUrl, { response: { status: 202, body: "default answer" } });
  // 70 turns of 1,000 characters: over 64 KiB long before the time limit. 99,999 turns that write nothing: only the clock stops it.
  const kilobyte = "0123456789abcdef".repeat(64).slice(0, 1000);
  const cases: [string, string, RegExp][] = [
    ["output", `{% for i in (1..70) %}${kilobyte}{% endfor %}`, /Body template: Template output is over the limit of 64 KiB/],
    ["time", "{% for i in (1..99999) %}{% if i == 0 %}x{% endif %}{% endfor %}", /Body template: template render limit exceeded/],
    ["header", "", /Header X-Big template: .*64 KiB/],
  ];
  for (const [what, body, why] of cases) {
    await setRules(ep, [
      what === "header"
        ? rule({ body: "rule answer", headers: [["X-Big", `{% for i in (1..70) %}${kilobyte}{% endfor %}`]] })
        : rule({ body }),
    ]);
    const r = await fetch(`${app.baseUrl}/h/${ep.slug}`, { method: "POST", body: "{}" });
    assert.equal(r.status, 202, what);
    assert.equal(await r.text(), "default answer", what);
    const c = await getCapture(app.baseUrl, ep, r.headers.get("x-hookscope-capture-id")!);
    assert.equal(c.responseStatus, 202, `${what}: the status stored is the one sent`);
    assert.equal(c.response?.status, 202, what);
    assert.equal(c.response?.body, "default answer", what);
    assert.equal(c.response?.rule?.name, "templated", `${what}: the rule that matched is named`);
    assert.match(c.response?.error ?? "", why, what);
  }
});

test("a template that does not parse is refused with a 400 naming the field", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const cases: [string, RuleInput, RegExp][] = [
    ["unclosed tag", rule({ body: '{"a": "{% if body.id %}"}' }), /rules\.0\.answer\.body: Body template does not parse: .*if/],
    ["unknown filter", rule({ body: "{{ body.id | shell }}" }), /rules\.0\.answer\.body: .*undefined filter: shell/],
    ["include", rule({ body: '{% include "/etc/passwd" %}' }), /rules\.0\.answer\.body: .*tag "include" not found/],
    ["header", rule({ headers: [["X-A", "{{ body.id"]] }), /rules\.0\.answer\.headers\.0\.1: Header X-A template does not parse/],
  ];
  for (const [what, r, message] of cases) {
    const res = await putRules(ep, [r]);
    assert.equal(res.status, 400, what);
    const err = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(err.error.code, "BAD_REQUEST", what);
    assert.match(err.error.message, message, what);
  }
});

test("a rendered header value is held to the header refusals: a Location off this origin or a line break sends the default", async () => {
  const ep = await createEndpoint(app.baseUrl, { response: { status: 202, body: "default answer" } });
  await setRules(ep, [rule({ status: 302, body: "moved", headers: [["Location", "/{{query.next}}"]] })]);
  const local = await fetch(`${app.baseUrl}/h/${ep.slug}?next=done`, { redirect: "manual" });
  assert.equal(local.status, 302);
  assert.equal(local.headers.get("location"), "/done");
  // "/" + "/evil.example/" is protocol-relative: another site.
  for (const next of ["/evil.example/", "a%0D%0ASet-Cookie:%20x=1"]) {
    const r = await fetch(`${app.baseUrl}/h/${ep.slug}?next=${next}`, { redirect: "manual" });
    assert.equal(r.status, 202, next);
    assert.equal(r.headers.get("location"), null, next);
    assert.equal(r.headers.get("set-cookie"), null, next);
    const c = await getCapture(app.baseUrl, ep, r.headers.get("x-hookscope-capture-id")!);
    assert.match(c.response?.error ?? "", /^Header Location template: /, next);
  }
});
