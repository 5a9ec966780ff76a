// Response rules over real sockets (lib/shared/capture/rules.ts, lib/server/capture/handler.ts):
// every matcher, first match wins, every failure on purpose (percentage, first N per event key,
// slow past a client's timeout, connection closed), a 50-rule endpoint, a rule beating a built-in
// handshake, the capture naming the rule (and revision) that answered, and the API's 400s.
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, test } from "node:test";
import type { TPutResponseRulesRequest, TResponseRulesDto } from "@/lib/shared/validation/response-rules";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { getCapture, listCaptures, type EndpointRef } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("response_rules");
  // A pool of 2: slow answers must not hold a connection, or the other captures below would wait.
  app = await startApp({ databaseUrl: db.url, env: { DATABASE_POOL_SIZE: "2" } });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

type RuleInput = TPutResponseRulesRequest["rules"][number];

function rule(over: {
  id?: string;
  name?: string;
  match?: Partial<RuleInput["match"]>;
  answer?: Partial<RuleInput["answer"]>;
  failure?: RuleInput["failure"];
}): RuleInput {
  return {
    id: over.id,
    name: over.name ?? "",
    match: { methods: null, path: null, query: [], headers: [], body: null, ...over.match },
    answer: { status: 200, headers: [], body: null, contentType: null, delayMs: 0, ...over.answer },
    failure: over.failure ?? null,
  };
}

function putRules(ep: EndpointRef, rules: unknown[]): Promise<Response> {
  return fetch(`${app.baseUrl}/api/endpoints/${ep.id}/response-rules`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
    body: JSON.stringify({ rules }),
  });
}

async function setRules(ep: EndpointRef, rules: RuleInput[]): Promise<TResponseRulesDto> {
  const r = await putRules(ep, rules);
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()) as TResponseRulesDto;
}

const send = (ep: EndpointRef, path: string, init: RequestInit = {}) => fetch(`${app.baseUrl}/h/${ep.slug}${path}`, init);

test("every matcher picks its rule; the first match wins; no match gets the endpoint's answer; the capture names the rule", async () => {
  const ep = await createEndpoint(app.baseUrl, { response: { status: 200, body: "default" } });
  const saved = await setRules(ep, [
    rule({
      name: "put",
      match: { methods: ["PUT"] },
      answer: { status: 211, body: "put", contentType: "text/x-put", headers: [["X-Rule", "put"]] },
    }),
    rule({ name: "orders", match: { path: "/orders/**" }, answer: { status: 212 } }),
    rule({ name: "query equals", match: { query: [{ name: "mode", value: "test" }] }, answer: { status: 213 } }),
    rule({ name: "query present", match: { query: [{ name: "flag", value: null }] }, answer: { status: 214 } }),
    rule({ name: "header present", match: { headers: [{ op: "present", name: "X-Present" }] }, answer: { status: 215 } }),
    rule({ name: "header equals", match: { headers: [{ op: "equals", name: "X-Env", value: "staging" }] }, answer: { status: 216 } }),
    rule({ name: "header regex", match: { headers: [{ op: "regex", name: "X-Sig", value: "^v1=[0-9a-f]+$" }] }, answer: { status: 217 } }),
    rule({
      name: "json equals",
      match: { body: { op: "jsonEquals", path: "data.object.status", value: "paid" } },
      answer: { status: 218 },
    }),
    rule({ name: "json exists", match: { body: { op: "jsonExists", path: "$.items[0].id" } }, answer: { status: 219 } }),
    rule({ name: "contains", match: { body: { op: "contains", text: "needle" } }, answer: { status: 220 } }),
    rule({ name: "shadowed", match: { path: "/orders/**" }, answer: { status: 221 } }),
  ]);
  assert.equal(saved.rules.length, 11);
  assert.ok(
    saved.rules.every((r) => /^[A-Za-z0-9_-]+$/.test(r.id)),
    "every rule got an id",
  );
  const json = (v: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(v) });
  const cases: [string, string, RequestInit, number][] = [
    ["method", "/x", { method: "PUT", body: "a" }, 211],
    ["path glob (first of two matching rules)", "/orders/42/items", { method: "POST" }, 212],
    ["query equals", "/x?a=1&mode=test", {}, 213],
    ["query present", "/x?flag", {}, 214],
    ["header present", "/x", { headers: { "X-Present": "" } }, 215],
    ["header equals", "/x", { headers: { "X-Env": "staging" } }, 216],
    ["header regex", "/x", { headers: { "X-Sig": "v1=abc123" } }, 217],
    ["json equals", "/x", json({ data: { object: { status: "paid" } } }), 218],
    ["json exists", "/x", json({ items: [{ id: 0 }] }), 219],
    ["body contains", "/x", { method: "POST", body: "hay needle hay" }, 220],
    [
      "no rule",
      "/x?mode=live",
      { method: "POST", headers: { "X-Env": "prod", "X-Sig": "v2=zz" }, body: '{"data":{"object":{"status":"open"}}}' },
      200,
    ],
  ];
  for (const [what, path, init, status] of cases) {
    const r = await send(ep, path, init);
    const body = await r.text();
    assert.equal(r.status, status, what);
    const capture = await getCapture(app.baseUrl, ep, r.headers.get("x-hookscope-capture-id")!);
    assert.equal(capture.responseStatus, status, what);
    assert.equal(capture.response?.status, status, what);
    assert.equal(capture.response?.body ?? "", body, `${what}: the detail shows the answer sent`);
    if (status === 200) {
      assert.equal(body, "default");
      assert.equal(capture.response?.rule, null, what);
    } else {
      const index = status - 211;
      assert.deepEqual(capture.response?.rule, { id: saved.rules[index]!.id, name: saved.rules[index]!.name, index }, what);
    }
  }
  const put = await send(ep, "/y", { method: "PUT", body: "b" });
  assert.equal(await put.text(), "put");
  assert.equal(put.headers.get("x-rule"), "put");
  assert.equal(put.headers.get("content-type"), "text/x-put");
  assert.match(put.headers.get("content-security-policy") ?? "", /sandbox/, "a rule's answer is inert like every answer");
});

test("a capture keeps naming the rule and revision that answered it after the rules change", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const first = await setRules(ep, [rule({ id: "old", name: "old rule", answer: { status: 202, body: "old" } })]);
  const r = await send(ep, "/a", { method: "POST" });
  assert.equal(await r.text(), "old");
  const second = await setRules(ep, [rule({ id: "new", name: "new rule", answer: { status: 203, body: "new" } })]);
  assert.equal(second.responseRev, first.responseRev + 1);
  assert.equal(await (await send(ep, "/a", { method: "POST" })).text(), "new");
  const c = await getCapture(app.baseUrl, ep, r.headers.get("x-hookscope-capture-id")!);
  assert.deepEqual(c.response?.rule, { id: "old", name: "old rule", index: 0 });
  assert.equal(c.response?.body, "old");
  assert.equal(c.response?.status, 202);
});

test("invalid rules are refused with a 400 naming the field", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const cases: [string, unknown, RegExp][] = [
    ["empty methods", rule({ match: { methods: [] } }), /rules\.0\.match\.methods: A rule with no methods can never match/],
    ["bad glob", rule({ match: { path: "/a/[b" } }), /rules\.0\.match\.path: Invalid path glob/],
    [
      "bad regex",
      rule({ match: { headers: [{ op: "regex", name: "X-A", value: "(" }] } }),
      /rules\.0\.match\.headers\.0\.value: Invalid regex/,
    ],
    [
      "regex with a lookahead (RE2 runs none)",
      rule({ match: { headers: [{ op: "regex", name: "X-A", value: "^(?!test_)" }] } }),
      /rules\.0\.match\.headers\.0\.value: Invalid regex: .*lookaround and backreferences are not supported/,
    ],
    ["bad JSON path", rule({ match: { body: { op: "jsonExists", path: "a..b" } } }), /rules\.0\.match\.body\.path: JSON path/],
    [
      "origin-acting header",
      rule({ answer: { headers: [["Set-Cookie", "a=1"]] } }),
      /rules\.0\.answer\.headers\.0\.0: Set-Cookie cannot be configured/,
    ],
    ["delay over the cap", rule({ answer: { delayMs: 30_001 } }), /rules\.0\.answer\.delayMs: Delay must be 0–30000 ms/],
    ["slow over its cap", rule({ failure: { mode: "slow", delayMs: 60_001 } }), /rules\.0\.failure\.delayMs: Delay must be 1–60000 ms/],
    [
      "error status not an error",
      rule({ failure: { mode: "percentage", percent: 50, status: 200 } }),
      /rules\.0\.failure\.status: Error status must be 400–599/,
    ],
    ["duplicate ids", [rule({ id: "a" }), rule({ id: "a" })], /rules\.1\.id: Two rules have the id a/],
  ];
  for (const [what, body, message] of cases) {
    const r = await putRules(ep, Array.isArray(body) ? body : [body]);
    assert.equal(r.status, 400, what);
    const err = (await r.json()) as { error: { code: string; message: string } };
    assert.equal(err.error.code, "BAD_REQUEST", what);
    assert.match(err.error.message, message, what);
  }
  // A slow answer may wait up to 60 s, twice a normal answer's cap.
  await setRules(ep, [rule({ failure: { mode: "slow", delayMs: 60_000 } })]);
});

test("percentage failure: 100 % always fails, 0 % never; each capture records what was done", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await setRules(ep, [
    rule({
      name: "always",
      match: { path: "/always" },
      answer: { status: 202 },
      failure: { mode: "percentage", percent: 100, status: 503 },
    }),
    rule({ name: "never", match: { path: "/never" }, answer: { status: 202 }, failure: { mode: "percentage", percent: 0, status: 503 } }),
  ]);
  for (let i = 0; i < 5; i++) {
    const a = await send(ep, "/always", { method: "POST" });
    assert.equal(a.status, 503);
    const body = (await a.json()) as { ok: boolean; error: string };
    assert.equal(body.ok, false);
    assert.match(body.error, /Failed on purpose by response rule "always"/);
    const n = await send(ep, "/never", { method: "POST" });
    assert.equal(n.status, 202);
    await n.arrayBuffer();
    const ca = await getCapture(app.baseUrl, ep, a.headers.get("x-hookscope-capture-id")!);
    assert.deepEqual(ca.response?.failure, { mode: "percentage", percent: 100, failed: true });
    assert.equal(ca.response?.status, 503);
    const cn = await getCapture(app.baseUrl, ep, n.headers.get("x-hookscope-capture-id")!);
    assert.deepEqual(cn.response?.failure, { mode: "percentage", percent: 0, failed: false });
  }
});

test("first N per event key: key A fails twice then succeeds, key B counts on its own, concurrent deliveries are counted once each", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await setRules(ep, [
    rule({
      id: "retry",
      match: { headers: [{ op: "present", name: "webhook-id" }] },
      answer: { status: 200, body: "ok" },
      failure: { mode: "firstN", count: 2, key: { from: "header", name: "webhook-id" }, status: 500 },
    }),
    rule({ id: "stripe", answer: { status: 200 }, failure: { mode: "firstN", count: 1, key: { from: "json", path: "id" }, status: 502 } }),
  ]);
  const deliver = async (key: string) => {
    const r = await send(ep, "/", { method: "POST", headers: { "webhook-id": key }, body: "{}" });
    await r.arrayBuffer();
    return r;
  };
  const sequence: [string, number, number][] = [
    ["A", 500, 1],
    ["A", 500, 2],
    ["B", 500, 1],
    ["A", 200, 3],
    ["B", 500, 2],
    ["B", 200, 3],
    ["A", 200, 4],
  ];
  for (const [key, status, delivery] of sequence) {
    const r = await deliver(`msg_${key}`);
    assert.equal(r.status, status, `${key} delivery ${delivery}`);
    const c = await getCapture(app.baseUrl, ep, r.headers.get("x-hookscope-capture-id")!);
    assert.deepEqual(c.response?.failure, { mode: "firstN", key: `msg_${key}`, delivery, count: 2, failed: status === 500 });
  }
  // Eight deliveries of one event at once: exactly two fail, whatever the interleaving.
  const burst = await Promise.all(Array.from({ length: 8 }, () => deliver("msg_C")));
  assert.deepEqual(burst.map((r) => r.status).sort(), [200, 200, 200, 200, 200, 200, 500, 500]);
  // A JSON path key (Stripe's event id); a request without a key is answered normally and says so.
  const stripe = (id: string | null) => send(ep, "/", { method: "POST", body: JSON.stringify(id === null ? {} : { id }) });
  assert.equal((await stripe("evt_1")).status, 502);
  assert.equal((await stripe("evt_1")).status, 200);
  assert.equal((await stripe("evt_2")).status, 502);
  const none = await stripe(null);
  assert.equal(none.status, 200);
  const c = await getCapture(app.baseUrl, ep, none.headers.get("x-hookscope-capture-id")!);
  assert.deepEqual(c.response?.failure, { mode: "firstN", key: null, delivery: null, count: 1, failed: false });
});

test("slow: the answer comes after a client's timeout, the capture is stored, and waiting holds no database connection", async () => {
  const slowEp = await createEndpoint(app.baseUrl);
  await setRules(slowEp, [rule({ name: "slow", answer: { status: 200, body: "late" }, failure: { mode: "slow", delayMs: 45_000 } })]);
  const other = await createEndpoint(app.baseUrl);
  // Four slow answers pending at once, twice the pool's size; each client gives up after 8 s.
  let settled = 0;
  const clients = Array.from({ length: 4 }, () =>
    send(slowEp, "/", { method: "POST", body: "x", signal: AbortSignal.timeout(8_000) })
      .then(
        () => "answered",
        (e: Error) => e.name,
      )
      .finally(() => settled++),
  );
  await waitFor(async () => (await listCaptures(app.baseUrl, slowEp)).length === 4, "the four slow captures stored");
  // Meanwhile other captures are stored and answered: the slow ones wait without a connection.
  for (let i = 0; i < 5; i++) assert.equal((await send(other, "/", { method: "POST", body: "y" })).status, 200);
  assert.equal(settled, 0, "other captures were answered while all four slow answers were still pending");
  assert.deepEqual(await Promise.all(clients), ["TimeoutError", "TimeoutError", "TimeoutError", "TimeoutError"]);
  const [summary] = await listCaptures(app.baseUrl, slowEp);
  const c = await getCapture(app.baseUrl, slowEp, summary!.id);
  assert.deepEqual(c.response?.failure, { mode: "slow", delayMs: 45_000 });
  assert.equal(c.response?.delayMs, 45_000);
  assert.equal(c.response?.body, "late");
});

test("close: the request is stored and the connection is closed without an answer", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await setRules(ep, [rule({ name: "hang up", match: { methods: ["POST"] }, failure: { mode: "close" } })]);
  const url = new URL(`${app.baseUrl}/h/${ep.slug}/drop`);
  const outcome = await new Promise<string>((resolve) => {
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "text/plain" } }, (res) =>
      resolve(`answered ${res.statusCode}`),
    );
    req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end("bye");
  });
  assert.equal(outcome, "ECONNRESET");
  const [summary] = await listCaptures(app.baseUrl, ep);
  assert.equal(summary?.path, "/drop");
  const c = await getCapture(app.baseUrl, ep, summary.id);
  assert.equal(c.response?.closed, true);
  assert.deepEqual(c.response?.failure, { mode: "close" });
  assert.equal(c.response?.rule?.name, "hang up");
  // A GET does not match the rule: answered as usual.
  assert.equal((await send(ep, "/drop")).status, 200);
});

test("a 50-rule endpoint answers with the one rule that matches", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const rules = Array.from({ length: 49 }, (_, i) =>
    rule({
      id: `miss${i}`,
      match: { methods: ["POST"], path: `/never-${i}/**`, headers: [{ op: "regex", name: "X-Kind", value: `^k${i}$` }] },
      answer: { status: 500 },
    }),
  );
  rules.push(
    rule({
      id: "hit",
      match: { methods: ["POST"], path: "/events/*", body: { op: "jsonEquals", path: "type", value: "invoice.paid" } },
      answer: { status: 201, body: "hit" },
    }),
  );
  await setRules(ep, rules);
  const hit = await send(ep, "/events/1", { method: "POST", headers: { "X-Kind": "k7" }, body: '{"type":"invoice.paid"}' });
  assert.equal(hit.status, 201);
  assert.equal(await hit.text(), "hit");
  const c = await getCapture(app.baseUrl, ep, hit.headers.get("x-hookscope-capture-id")!);
  assert.deepEqual(c.response?.rule, { id: "hit", name: "", index: 49 });
  const miss = await send(ep, "/events/1", { method: "POST", body: '{"type":"invoice.created"}' });
  assert.equal(miss.status, 200);
  assert.equal(await putRules(ep, [...rules, rule({})]).then((r) => r.status), 400, "at most 50 rules");
});

test("a rule beats a built-in handshake; a request no rule matches still gets the handshake", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await setRules(ep, [rule({ name: "mine", match: { path: "/slack/**" }, answer: { status: 202, body: "mine" } })]);
  const slack = (path: string) =>
    send(ep, path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"type":"url_verification","challenge":"c1"}',
    });
  const ruled = await slack("/slack/events");
  assert.equal(ruled.status, 202);
  assert.equal(await ruled.text(), "mine");
  const c = await getCapture(app.baseUrl, ep, ruled.headers.get("x-hookscope-capture-id")!);
  assert.equal(c.response?.handshake, null);
  assert.equal(c.response?.rule?.name, "mine");
  const handshake = await slack("/other");
  assert.equal(await handshake.text(), '{"challenge":"c1"}');
});

test("GET returns the rules; a management key is required", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const saved = await setRules(ep, [rule({ id: "r1", name: "one" })]);
  const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/response-rules`, {
    headers: { authorization: `Bearer ${ep.managementKey}` },
  });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), saved);
  const anon = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/response-rules`);
  assert.equal(anon.status, 401);
});

test("header names that are also Object's properties match only when sent: constructor, __proto__", async () => {
  const ep = await createEndpoint(app.baseUrl, { response: { status: 200, body: "default" } });
  await setRules(ep, [
    rule({ name: "constructor sent", match: { headers: [{ op: "present", name: "constructor" }] }, answer: { status: 230 } }),
    rule({ name: "__proto__ sent", match: { headers: [{ op: "equals", name: "__proto__", value: "p" }] }, answer: { status: 231 } }),
  ]);
  const plain = await send(ep, "/", { method: "POST", body: "x" });
  assert.equal(plain.status, 200, "no rule's header was sent");
  assert.equal(await plain.text(), "default");
  const ctor = await send(ep, "/", { method: "POST", body: "x", headers: { Constructor: "yes" } });
  assert.equal(ctor.status, 230);
  // fetch drops a __proto__ header; node's http sends a raw list as given.
  const url = new URL(`${app.baseUrl}/h/${ep.slug}/`);
  const proto = await new Promise<number>((resolve, reject) => {
    const req = httpRequest(url, { method: "POST", headers: ["Host", url.host, "__proto__", "p", "Content-Length", "1"] }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end("x");
  });
  assert.equal(proto, 231);
});

test("try against capture #N: the saved rules or unsaved edits, with the same matcher; an unknown number is a 404", async () => {
  const ep = await createEndpoint(app.baseUrl, { response: { status: 200, body: "default" } });
  await setRules(ep, [
    rule({
      id: "paid",
      name: "paid",
      match: { body: { op: "jsonEquals", path: "type", value: "invoice.paid" } },
      answer: { status: 202, body: "saved" },
    }),
  ]);
  const sent = await send(ep, "/events", { method: "POST", body: '{"type":"invoice.paid"}' });
  await sent.arrayBuffer();
  const [summary] = await listCaptures(app.baseUrl, ep);
  const tryRules = (body: unknown) =>
    fetch(`${app.baseUrl}/api/endpoints/${ep.id}/response-rules/try`, {
      method: "POST",
      headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const saved = await tryRules({ seq: summary!.seq });
  assert.equal(saved.status, 200);
  const s = (await saved.json()) as { rule: unknown; response: { status: number; body: string }; failure: unknown };
  assert.deepEqual(s.rule, { id: "paid", name: "paid", index: 0 });
  assert.equal(s.response.status, 202);
  assert.equal(s.response.body, "saved");
  const edited = await tryRules({
    seq: summary!.seq,
    rules: [
      rule({ name: "not this", match: { methods: ["GET"] } }),
      rule({ name: "edit", match: { path: "/events" }, answer: { status: 409, body: "edited" }, failure: { mode: "close" } }),
    ],
  });
  const e = (await edited.json()) as { rule: unknown; response: { status: number; body: string }; failure: unknown };
  assert.deepEqual(e.rule, { id: "unsaved-1", name: "edit", index: 1 });
  assert.equal(e.response.body, "edited");
  assert.deepEqual(e.failure, { mode: "close" });
  const none = (await (await tryRules({ seq: summary!.seq, rules: [] })).json()) as { rule: unknown; response: { body: string } };
  assert.equal(none.rule, null);
  assert.equal(none.response.body, "default");
  assert.equal((await tryRules({ seq: 999 })).status, 404);
  const bad = await tryRules({ seq: summary!.seq, rules: [rule({ match: { path: "[" } })] });
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /rules\.0\.match\.path/);
});
