// Resend, forward rules and the CLI/smee channels against the real server, a real PostgreSQL and
// real local target servers on loopback (private targets allowed for these apps): a binary body
// resent byte for byte, 200 captures forwarded exactly once each while the target is down at
// first and while two app processes share the database, targets that hang, reset or answer 5xx
// (retries, then a visible failure, capture unaffected), and the rules API's validation.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import Stripe from "stripe";
import { ZDelivery, ZDeliveryPage, type TDelivery } from "@/lib/shared/validation/deliveries";
import { ZForwardRule, ZForwardRuleList, ZRetryFailedResult, type TForwardRule } from "@/lib/shared/validation/forward-rules";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { startTarget } from "./support/target";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";

type Ep = Awaited<ReturnType<typeof createEndpoint>>;

const auth = (ep: Ep) => ({ authorization: `Bearer ${ep.managementKey}` });

async function api(app: RunningApp, ep: Ep, method: string, path: string, body?: unknown) {
  const r = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { ...auth(ep), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null, text };
}

async function createRule(app: RunningApp, ep: Ep, body: unknown): Promise<TForwardRule> {
  const r = await api(app, ep, "POST", `/api/endpoints/${ep.id}/forward-rules`, body);
  assert.equal(r.status, 201, r.text);
  return ZForwardRule.parse(r.json);
}

async function capture(url: string, init: RequestInit = {}): Promise<string> {
  const r = await fetch(url, { method: "POST", ...init });
  assert.equal(r.status, 200, await r.clone().text());
  return ((await r.json()) as { id: string }).id;
}

async function deliveries(app: RunningApp, ep: Ep, captureId: string): Promise<TDelivery[]> {
  const r = await api(app, ep, "GET", `/api/captures/${captureId}/deliveries?limit=200`);
  assert.equal(r.status, 200, r.text);
  return ZDeliveryPage.parse(r.json).items;
}

let db: { name: string; url: string };
let sql: pg.Client;
let app: RunningApp;
let app2: RunningApp | null = null;
const APP_ENV = {
  ALLOW_PRIVATE_TARGETS: "true",
  FORWARD_RETRY_BASE_MS: "100",
  // Long enough that a loaded machine does not time out a target that did answer (a timed-out
  // attempt is retried, and the target then sees the capture twice: at least once, by design).
  FORWARD_TIMEOUT_SECONDS: "5",
  FORWARD_POLL_MS: "500",
};

before(async () => {
  db = await createTestDatabase("forward");
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  app = await startApp({ databaseUrl: db.url, env: APP_ENV });
});
after(async () => {
  await app2?.stop();
  await app?.stop();
  await sql?.end();
  await dropDatabase(db.name);
});

describe("resend", () => {
  test("a binary body arrives byte for byte, with the capture's headers minus hop-by-hop ones, and is recorded", async () => {
    const target = await startTarget();
    try {
      const ep = await createEndpoint(app.baseUrl);
      const bytes = crypto.randomBytes(70_000);
      bytes[0] = 0x1f;
      bytes[1] = 0x8b; // looks like gzip, must stay as is
      // node:http, not fetch: fetch refuses to send hop-by-hop headers such as Keep-Alive.
      const id = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${ep.captureUrl}/files/up?x=1`, {
          method: "PUT",
          headers: { "Content-Type": "application/octet-stream", "X-Trace": "a", Connection: "keep-alive", "Keep-Alive": "timeout=5" },
          agent: false,
        });
        req.on("response", (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c));
          res.on("end", () => resolve((JSON.parse(text) as { id: string }).id));
        });
        req.on("error", reject);
        req.end(bytes);
      });
      const r = await api(app, ep, "POST", `/api/captures/${id}/resend`, { url: `${target.url}/in?y=2` });
      assert.equal(r.status, 201, r.text);
      const d = ZDelivery.parse(r.json);
      assert.equal(d.outcome, "succeeded");
      assert.equal(d.kind, "resend");
      assert.equal(d.response?.status, 200);
      assert.equal(d.response?.body.text, "ok");
      assert.equal(d.request.body.sameAsCapture, true);
      assert.equal(target.received.length, 1);
      const got = target.received[0]!;
      assert.equal(got.method, "PUT");
      assert.equal(got.url, "/in?y=2");
      assert.ok(got.body.equals(bytes), "body byte for byte");
      const names = got.rawHeaders.filter((_, i) => i % 2 === 0);
      assert.ok(names.includes("X-Trace") || names.includes("x-trace"));
      assert.ok(!names.some((n) => /^keep-alive$/i.test(n)), "hop-by-hop Keep-Alive dropped");
      assert.equal(got.rawHeaders[names.findIndex((n) => /^host$/i.test(n)) * 2 + 1], `127.0.0.1:${target.port}`);

      // Edited: another method, a body given as base64, listed newest first.
      const edited = crypto.randomBytes(300);
      const r2 = await api(app, ep, "POST", `/api/captures/${id}/resend`, {
        url: `${target.url}/again`,
        method: "post",
        headers: [["Content-Type", "application/x-custom"]],
        body: { base64: edited.toString("base64") },
      });
      assert.equal(r2.status, 201, r2.text);
      assert.ok(target.received[1]!.body.equals(edited));
      assert.equal(target.received[1]!.method, "POST");
      const list = await deliveries(app, ep, id);
      assert.deepEqual(
        list.map((x) => x.request.url),
        [`${target.url}/again`, `${target.url}/in?y=2`],
      );
      assert.equal(list[0]!.request.body.base64, edited.toString("base64"));
    } finally {
      await target.close();
    }
  });

  test("the delivery record lists every header sent, the User-Agent the sender adds included", async () => {
    const target = await startTarget();
    try {
      const ep = await createEndpoint(app.baseUrl);
      // node:http adds no User-Agent of its own, so the capture has none.
      const id = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${ep.captureUrl}/ua`, { method: "POST", headers: { "X-Trace": "ua" }, agent: false });
        req.on("response", (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c));
          res.on("end", () => resolve((JSON.parse(text) as { id: string }).id));
        });
        req.on("error", reject);
        req.end("{}");
      });
      const r = await api(app, ep, "POST", `/api/captures/${id}/resend`, { url: `${target.url}/ua` });
      assert.equal(r.status, 201, r.text);
      const got = target.received.at(-1)!;
      const sentUa = got.rawHeaders[got.rawHeaders.findIndex((n, i) => i % 2 === 0 && /^user-agent$/i.test(n)) + 1];
      assert.equal(sentUa, "Hookscope");
      const recorded = ZDelivery.parse(r.json).request.headers;
      assert.deepEqual(
        recorded.filter(([n]) => /^user-agent$/i.test(n)),
        [["User-Agent", "Hookscope"]],
      );
      assert.deepEqual((await deliveries(app, ep, id))[0]!.request.headers, recorded);
    } finally {
      await target.close();
    }
  });

  test("re-signing with a test secret: the target sees a Stripe signature made with that secret", async () => {
    const target = await startTarget();
    try {
      const ep = await createEndpoint(app.baseUrl);
      const body = '{"id":"evt_1","type":"payment_intent.succeeded"}';
      const id = await capture(ep.captureUrl, {
        headers: { "content-type": "application/json", "Stripe-Signature": "t=1,v1=" + "0".repeat(64) },
        body,
      });
      const secret = "whsec_local_" + crypto.randomBytes(8).toString("hex");
      const r = await api(app, ep, "POST", `/api/captures/${id}/resend`, { url: target.url, resign: { scheme: "auto", secret } });
      assert.equal(r.status, 201, r.text);
      assert.equal(ZDelivery.parse(r.json).request.resignedScheme, "stripe");
      const got = target.received[0]!;
      const sig = got.rawHeaders[got.rawHeaders.findIndex((h) => h === "Stripe-Signature") + 1]!;
      const t = /t=(\d+)/.exec(sig)![1]!;
      const expected = crypto.createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
      assert.match(sig, new RegExp(`v1=${expected}`));
      assert.equal(got.body.toString(), body);
    } finally {
      await target.close();
    }
  });

  test("the response is recorded capped: a 1 MiB answer keeps its first 256 KiB, marked truncated", async () => {
    const target = await startTarget();
    const big = crypto.randomBytes(1024 * 1024);
    target.respond = (_r, res) => res.end(big);
    try {
      const ep = await createEndpoint(app.baseUrl);
      const id = await capture(ep.captureUrl, { body: "x" });
      const r = await api(app, ep, "POST", `/api/captures/${id}/resend`, { url: target.url });
      assert.equal(r.status, 201, r.text.slice(0, 500));
      const d = ZDelivery.parse(r.json);
      assert.equal(d.outcome, "succeeded");
      assert.equal(d.response?.body.truncated, true);
      const kept = Buffer.from(d.response!.body.base64!, "base64");
      assert.equal(kept.length, 256 * 1024);
      assert.ok(kept.equals(big.subarray(0, kept.length)), "the first bytes, exactly");
      assert.ok(d.response!.body.size >= kept.length);
      assert.ok(d.durationMs > 0 && d.firstByteMs !== null && d.firstByteMs <= d.durationMs, "timing recorded");
    } finally {
      await target.close();
    }
  });

  test("bad input gets worded 400s; no key 401; another endpoint's key 404", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const other = await createEndpoint(app.baseUrl);
    const id = await capture(ep.captureUrl, { body: "x" });
    const bad = await api(app, ep, "POST", `/api/captures/${id}/resend`, { url: "ftp://x/" });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /http:\/\/ or https:\/\//);
    const badBody = await api(app, ep, "POST", `/api/captures/${id}/resend`, { url: "http://x.test/", body: { base64: "%%%" } });
    assert.equal(badBody.status, 400);
    assert.match(badBody.text, /not base64/);
    const noKey = await fetch(`${app.baseUrl}/api/captures/${id}/resend`, { method: "POST" });
    assert.equal(noKey.status, 401);
    const wrong = await api(app, other, "POST", `/api/captures/${id}/resend`, { url: "http://x.test/" });
    assert.equal(wrong.status, 404);
    const list = await api(app, other, "GET", `/api/captures/${id}/deliveries`);
    assert.equal(list.status, 404);
  });
});

describe("forward rules API", () => {
  test("create, list, update, delete, with validation and the re-sign secret never returned", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const base = `/api/endpoints/${ep.id}/forward-rules`;
    for (const [body, msg] of [
      [{ targetUrl: "not a url" }, /absolute http/],
      [{ targetUrl: "http://u:p@x.test/" }, /user name or password/],
      [{ targetUrl: "http://x.test/", pathPrefix: "stripe" }, /Path prefix must start with/],
      [{ targetUrl: "http://x.test/", maxAttempts: 0 }, /Max attempts/],
      [{ targetUrl: "http://x.test/", method: "GE T" }, /Method/],
      [{ targetUrl: "http://x.test/", extra: 1 }, /extra|Unrecognized/i],
    ] as const) {
      const r = await api(app, ep, "POST", base, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.text, msg);
    }
    const rule = await createRule(app, ep, {
      targetUrl: "http://x.test/hooks",
      method: "post",
      pathPrefix: "/stripe",
      resign: { scheme: "stripe", secret: "whsec_abcdefghijklmnop1234" },
    });
    assert.equal(rule.method, "POST");
    assert.equal(rule.effectiveMaxAttempts, 5);
    assert.deepEqual(rule.resign, { scheme: "stripe", hint: "whsec_…1234", options: {} });
    const listed = await api(app, ep, "GET", base);
    assert.ok(!listed.text.includes("abcdefghijklmnop"), "the secret is never returned");
    assert.equal(ZForwardRuleList.parse(listed.json).items.length, 1);
    const patched = await api(app, ep, "PATCH", `${base}/${rule.id}`, { enabled: false, resign: null, maxAttempts: 2 });
    assert.equal(patched.status, 200, patched.text);
    const p = ZForwardRule.parse(patched.json);
    assert.equal(p.enabled, false);
    assert.equal(p.resign, null);
    assert.equal(p.effectiveMaxAttempts, 2);
    assert.equal((await api(app, ep, "DELETE", `${base}/${rule.id}`)).status, 204);
    assert.equal((await api(app, ep, "GET", `${base}/${rule.id}`)).status, 404);
  });
});

describe("forwarding", () => {
  test("200 captures are delivered exactly once each, byte for byte, though the target is down for the first attempts", async () => {
    const target = await startTarget();
    // The first 40 requests get 503: those captures are retried with backoff.
    target.respond = (_r, res, n) => {
      res.statusCode = n <= 40 ? 503 : 200;
      res.end(n <= 40 ? "down" : "ok");
    };
    try {
      const ep = await createEndpoint(app.baseUrl);
      const rule = await createRule(app, ep, { targetUrl: `${target.url}/hooks/` });
      const ids: string[] = [];
      await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          ids.push(await capture(`${ep.captureUrl}/p/${i}?n=${i}`, { headers: { "X-N": String(i) }, body: `body-${i}` }));
        }),
      );
      const okTimes = () => target.received.filter((_, i) => i >= 40).length;
      await waitFor(async () => okTimes() >= 200, "200 successful deliveries", 60_000);
      // Nothing more is pending, and no capture arrived twice with a 200.
      await waitFor(
        async () => (await sql.query("SELECT 1 FROM forward_outbox WHERE state <> 'delivered' AND rule_id = $1", [rule.id])).rowCount === 0,
        "every outbox row delivered",
      );
      const okUrls = target.received.slice(40).map((r) => r.url);
      assert.equal(new Set(okUrls).size, 200, "each capture delivered once with success");
      for (let i = 0; i < 200; i++) {
        const r = target.received.slice(40).find((x) => x.url === `/hooks/p/${i}?n=${i}`);
        assert.ok(r, `capture ${i} delivered to the path suffix and query`);
        assert.equal(r.body.toString(), `body-${i}`);
      }
      const retried = (
        await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM deliveries WHERE rule_id = $1 AND outcome = 'retrying'", [rule.id])
      ).rows[0]!.n;
      assert.equal(retried, 40, "every 503 recorded as a retrying delivery");
      const one = (await deliveries(app, ep, ids[0]!)).map((d) => d.outcome);
      assert.ok(one.at(0) === "succeeded", `newest delivery of a capture succeeded: ${one.join(",")}`);
      const counts = ZForwardRule.parse((await api(app, ep, "GET", `/api/endpoints/${ep.id}/forward-rules/${rule.id}`)).json).counts;
      assert.deepEqual(counts, { pending: 0, delivered: 200, failed: 0 });
    } finally {
      await target.close();
    }
  });

  test("two app processes on one database share the outbox: 200 captures, each delivered exactly once", async () => {
    app2 = await startApp({ databaseUrl: db.url, env: APP_ENV });
    const target = await startTarget();
    try {
      const ep = await createEndpoint(app.baseUrl);
      const rule = await createRule(app, ep, { targetUrl: target.url });
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => capture(`${(i % 2 ? app : app2!).baseUrl}/h/${ep.slug}/n${i}`, { body: String(i) })),
      );
      await waitFor(() => target.received.length >= 200, "200 deliveries", 60_000);
      await waitFor(
        async () => (await sql.query("SELECT 1 FROM forward_outbox WHERE state = 'pending' AND rule_id = $1", [rule.id])).rowCount === 0,
        "no pending rows",
      );
      const attempts = await sql.query<{ outcome: string; error_code: string | null; n: number }>(
        "SELECT outcome, error_code, count(*)::int AS n FROM deliveries WHERE rule_id = $1 GROUP BY 1, 2",
        [rule.id],
      );
      const summary = JSON.stringify(attempts.rows);
      assert.equal(target.received.length, 200, `each capture reached the target once; attempts: ${summary}`);
      assert.equal(new Set(target.received.map((r) => r.url)).size, 200);
      assert.deepEqual(attempts.rows, [{ outcome: "succeeded", error_code: null, n: 200 }]);
      // Both processes delivered some (the claim spreads work; neither holds it all).
      const byProcess = await sql.query<{ n: number }>("SELECT count(DISTINCT sent_by)::int AS n FROM deliveries WHERE rule_id = $1", [
        rule.id,
      ]);
      assert.equal(byProcess.rows[0]!.n, 2, "both processes delivered");
    } finally {
      await target.close();
    }
  });

  test("a replica stopped with SIGTERM mid-send hands its sends back untried, and another replica delivers each once", async () => {
    // Its own database, so only the two processes of this test claim the rows.
    const own = await createTestDatabase("forward_handback");
    const target = await startTarget();
    const held: http.ServerResponse[] = [];
    target.respond = (_r, res) => void held.push(res); // A's sends hang until A gives up on them
    let a: RunningApp | null = null;
    let b: RunningApp | null = null;
    const c = new pg.Client({ connectionString: own.url });
    await c.connect();
    try {
      a = await startApp({ databaseUrl: own.url, env: { ...APP_ENV, FORWARD_TIMEOUT_SECONDS: "60" } });
      const ep = await createEndpoint(a.baseUrl);
      const rule = await createRule(a, ep, { targetUrl: target.url, maxAttempts: 1 });
      const ids = await Promise.all([0, 1, 2].map((i) => capture(`${ep.captureUrl}/n${i}`, { body: String(i) })));
      await waitFor(() => held.length === 3, "A sending all three", 30_000);

      await a.stop(); // SIGTERM: the forwarder waits out its grace, aborts, and releases the rows
      assert.equal(a.process.exitCode, 0, a.output().slice(-2000));
      const rows = await c.query<{ state: string; attempts: number; leased_by: string | null }>(
        "SELECT state, attempts, leased_by FROM forward_outbox WHERE rule_id = $1",
        [rule.id],
      );
      // Untried: still pending, the aborted attempt not counted (maxAttempts 1 would otherwise have failed them).
      assert.deepEqual(
        rows.rows,
        ids.map(() => ({ state: "pending", attempts: 0, leased_by: null })),
      );
      assert.equal((await c.query("SELECT 1 FROM deliveries WHERE rule_id = $1", [rule.id])).rowCount, 0, "no attempt recorded");

      target.respond = (_r, res) => res.end("ok");
      b = await startApp({ databaseUrl: own.url, env: APP_ENV });
      await waitFor(
        async () => (await c.query("SELECT 1 FROM forward_outbox WHERE rule_id = $1 AND state = 'delivered'", [rule.id])).rowCount === 3,
        "B delivered all three",
        60_000,
      );
      const done = await c.query<{ capture_id: string; outcome: string; attempt: number }>(
        "SELECT capture_id::text, outcome, attempt FROM deliveries WHERE rule_id = $1 ORDER BY capture_id",
        [rule.id],
      );
      assert.deepEqual(
        done.rows,
        [...ids].sort().map((id) => ({ capture_id: id, outcome: "succeeded", attempt: 1 })),
        "one successful attempt per capture, counted as the first",
      );
    } finally {
      for (const res of held) res.destroy();
      await c.end();
      await b?.stop();
      await a?.kill();
      await target.close();
      await dropDatabase(own.name);
    }
  });

  test("capture never waits on forwarding: every capture is answered and queued while the target holds every delivery", async () => {
    // The target answers no delivery, so each attempt ends only at FORWARD_TIMEOUT_SECONDS (5 s):
    // a capture path that waited on its delivery (or on the worker) would take at least that long
    // for every capture. How much the outbox insert costs capture is a speed question, measured by
    // `npm run bench:forward`, not asserted on a shared machine.
    const holding = await startTarget();
    const held: http.ServerResponse[] = [];
    holding.respond = (_r, res) => held.push(res);
    const fwd = await createEndpoint(app.baseUrl);
    const rule = await createRule(app, fwd, { targetUrl: holding.url });
    const COUNT = 150;
    try {
      let next = 0;
      let slowest = 0;
      const ids: string[] = [];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < COUNT) {
            const n = next++;
            const t0 = performance.now();
            ids.push(await capture(`${fwd.captureUrl}/b/${n}`, { headers: { "content-type": "application/json" }, body: `{"n":${n}}` }));
            slowest = Math.max(slowest, performance.now() - t0);
          }
        }),
      );
      assert.ok(slowest < 5000, `the slowest capture took ${Math.round(slowest)} ms, as long as a held delivery's timeout`);
      assert.equal(new Set(ids).size, COUNT, "every capture answered with its own id");
      const queued = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM forward_outbox WHERE rule_id = $1", [rule.id]);
      assert.equal(queued.rows[0]!.n, COUNT, "every capture of the forwarded endpoint was queued");
      const stored = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM captures WHERE endpoint_id = $1", [fwd.id]);
      assert.equal(stored.rows[0]!.n, COUNT, "every acknowledged capture is stored");
      await waitFor(() => held.length > 0, "deliveries reach the target, which holds them");
    } finally {
      // Deleting the rule drops its queue, so the worker stops sending these.
      await api(app, fwd, "DELETE", `/api/endpoints/${fwd.id}/forward-rules/${rule.id}`);
      for (const res of held) res.destroy();
      await holding.close();
    }
  });

  test("a target that hangs, resets or answers 5xx: retries, then a visible failure; capture is unaffected", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const hang = await startTarget();
    hang.respond = () => {}; // never answers: the 5 s forward timeout fires
    const reset = await startTarget();
    reset.respond = (_r, res) => res.socket?.destroy();
    const five = await startTarget();
    five.respond = (_r, res) => {
      res.statusCode = 502;
      res.end("bad gateway");
    };
    try {
      const rules = [
        await createRule(app, ep, { targetUrl: hang.url, maxAttempts: 2 }),
        await createRule(app, ep, { targetUrl: reset.url, maxAttempts: 3 }),
        await createRule(app, ep, { targetUrl: five.url, maxAttempts: 3 }),
      ];
      const started = performance.now();
      const id = await capture(ep.captureUrl, { body: "payload" });
      assert.ok(performance.now() - started < 1500, "capture answered without waiting for forwarding");
      await waitFor(
        async () => (await sql.query("SELECT 1 FROM forward_outbox WHERE capture_id = $1 AND state = 'failed'", [id])).rowCount === 3,
        "all three rules failed",
        60_000,
      );
      const list = await deliveries(app, ep, id);
      const byRule = (ruleId: string) => list.filter((d) => d.ruleId === ruleId).sort((a, b) => a.attempt - b.attempt);
      const h = byRule(rules[0]!.id);
      assert.deepEqual(
        h.map((d) => [d.attempt, d.outcome, d.error?.code]),
        [
          [1, "retrying", "timeout"],
          [2, "failed", "timeout"],
        ],
      );
      assert.match(h[1]!.error!.message, /Gave up after 2 attempts/);
      const r = byRule(rules[1]!.id);
      assert.equal(r.length, 3);
      assert.ok(
        r.every((d) => d.error?.code === "connect_failed" || d.error?.code === "request_failed"),
        JSON.stringify(r.map((d) => d.error)),
      );
      const f = byRule(rules[2]!.id);
      assert.deepEqual(
        f.map((d) => [d.outcome, d.response?.status]),
        [
          ["retrying", 502],
          ["retrying", 502],
          ["failed", 502],
        ],
      );
      assert.equal(f[2]!.response!.body.text, "bad gateway");
      // The capture itself is intact and still readable.
      const c = await api(app, ep, "GET", `/api/captures/${id}`);
      assert.equal(c.status, 200);
    } finally {
      await Promise.all([hang.close(), reset.close(), five.close()]);
    }
  });

  test("a rule that re-signs: the target gets the production event signed with the test secret, accepted by stripe-node", async () => {
    const target = await startTarget();
    try {
      const ep = await createEndpoint(app.baseUrl);
      const testSecret = "whsec_test_" + crypto.randomBytes(8).toString("hex");
      const rule = await createRule(app, ep, { targetUrl: `${target.url}/hooks`, resign: { scheme: "auto", secret: testSecret } });
      assert.equal(rule.resign?.scheme, "auto");
      assert.ok(!JSON.stringify(rule).includes(testSecret), "the rule never returns its secret");
      const stripe = new Stripe("sk_test_hookscope");
      const body = '{"id":"evt_live_1","object":"event","type":"payment_intent.succeeded","livemode":true}';
      const production = stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_production_secret" });
      const id = await capture(`${ep.captureUrl}/stripe`, {
        headers: { "content-type": "application/json", "Stripe-Signature": production },
        body,
      });
      await waitFor(() => target.received.length >= 1, "the forwarded capture");
      const got = target.received[0]!;
      assert.equal(got.url, "/hooks/stripe");
      assert.equal(got.body.toString(), body, "the body is not touched");
      const names = got.rawHeaders.filter((_, i) => i % 2 === 0);
      assert.equal(names.filter((n) => /^stripe-signature$/i.test(n)).length, 1, "one signature header, the new one");
      const sig = got.rawHeaders[names.findIndex((n) => /^stripe-signature$/i.test(n)) * 2 + 1]!;
      assert.notEqual(sig, production);
      assert.equal(stripe.webhooks.constructEvent(got.body, sig, testSecret).id, "evt_live_1");
      assert.throws(() => stripe.webhooks.constructEvent(got.body, sig, "whsec_production_secret"), /No signatures found/);
      await waitFor(async () => (await deliveries(app, ep, id)).some((d) => d.outcome === "succeeded"), "the delivery is recorded");
      const [d] = await deliveries(app, ep, id);
      assert.equal(d!.kind, "forward");
      assert.equal(d!.request.resignedScheme, "stripe");
      assert.ok(
        d!.request.headers.some(([n, v]) => /^stripe-signature$/i.test(n) && v === sig),
        "the delivery shows the header as sent",
      );
    } finally {
      await target.close();
    }
  });

  test("filters: only matching method and path prefix are queued and a disabled rule queues nothing", async () => {
    const target = await startTarget();
    try {
      const ep = await createEndpoint(app.baseUrl);
      await createRule(app, ep, { targetUrl: target.url, method: "PUT", pathPrefix: "/stripe" });
      await createRule(app, ep, { targetUrl: `${target.url}/off`, enabled: false });
      await capture(`${ep.captureUrl}/stripe/a`, { method: "PUT", body: "yes" });
      await capture(`${ep.captureUrl}/stripe/b`, { method: "POST", body: "no: method" });
      await capture(`${ep.captureUrl}/github/c`, { method: "PUT", body: "no: path" });
      await waitFor(() => target.received.length >= 1, "the matching capture");
      const queued = await sql.query("SELECT 1 FROM forward_outbox o JOIN captures c ON c.id = o.capture_id WHERE c.endpoint_id = $1", [
        ep.id,
      ]);
      assert.equal(queued.rowCount, 1);
      assert.equal(target.received[0]!.url, "/stripe/a");
    } finally {
      await target.close();
    }
  });
  test("retry failed: every capture the rule gave up on is sent again in one action, its failed attempts kept; a rule that is off keeps them queued", async () => {
    const target = await startTarget();
    let up = false;
    target.respond = (_r, res) => {
      res.statusCode = up ? 200 : 503;
      res.end(up ? "ok" : "down");
    };
    try {
      const ep = await createEndpoint(app.baseUrl);
      const rule = await createRule(app, ep, { targetUrl: target.url, maxAttempts: 1 });
      const ids = [
        await capture(ep.captureUrl, { body: "a" }),
        await capture(ep.captureUrl, { body: "b" }),
        await capture(ep.captureUrl, { body: "c" }),
      ];
      const counts = async () =>
        ZForwardRule.parse((await api(app, ep, "GET", `/api/endpoints/${ep.id}/forward-rules/${rule.id}`)).json).counts;
      await waitFor(async () => (await counts()).failed === 3, "three failed");

      up = true;
      const retry = () => api(app, ep, "POST", `/api/endpoints/${ep.id}/forward-rules/${rule.id}/retry-failed`);
      const r = await retry();
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(ZRetryFailedResult.parse(r.json), { requeued: 3, enabled: true });
      await waitFor(async () => (await counts()).delivered === 3, "the three delivered after the retry");
      for (const id of ids) {
        const list = (await deliveries(app, ep, id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
        assert.deepEqual(
          list.map((d) => [d.outcome, d.response?.status]),
          [
            ["failed", 503],
            ["succeeded", 200],
          ],
        );
      }
      assert.deepEqual(ZRetryFailedResult.parse((await retry()).json), { requeued: 0, enabled: true });

      // Off: queued again, but nothing is sent until it is switched on.
      up = false;
      await capture(ep.captureUrl, { body: "d" });
      await waitFor(async () => (await counts()).failed === 1, "the fourth failed");
      assert.equal((await api(app, ep, "PATCH", `/api/endpoints/${ep.id}/forward-rules/${rule.id}`, { enabled: false })).status, 200);
      up = true;
      assert.deepEqual(ZRetryFailedResult.parse((await retry()).json), { requeued: 1, enabled: false });
      assert.deepEqual(await counts(), { pending: 1, delivered: 3, failed: 0 });
      assert.equal((await api(app, ep, "PATCH", `/api/endpoints/${ep.id}/forward-rules/${rule.id}`, { enabled: true })).status, 200);
      await waitFor(async () => (await counts()).delivered === 4, "sent once the rule is on");

      // Another endpoint's key, a rule that does not exist, and GET are refused in words.
      const other = await createEndpoint(app.baseUrl);
      assert.equal((await api(app, other, "POST", `/api/endpoints/${ep.id}/forward-rules/${rule.id}/retry-failed`)).status, 404);
      const missing = await api(app, ep, "POST", `/api/endpoints/${ep.id}/forward-rules/${crypto.randomUUID()}/retry-failed`);
      assert.equal(missing.status, 404);
      assert.match(missing.text, /No such forward rule/);
      assert.equal((await api(app, ep, "GET", `/api/endpoints/${ep.id}/forward-rules/${rule.id}/retry-failed`)).status, 405);
    } finally {
      await target.close();
    }
  });
});
