// Replay runs against the real server, a real PostgreSQL and real targets on loopback (private
// targets allowed for this app, as in test/forward.test.ts): a target that fails some events, one
// that is slow, one that is down; comparing two runs of the same set; retry failed; cancel; the
// API's 400s; and a 10,000-capture run whose progress moves while the server's memory stays bounded.
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import {
  ZReplayRun,
  ZReplayRunDetail,
  ZReplayRunList,
  ZReplaySend,
  ZRunComparison,
  type TReplayRun,
  type TReplayRunDetail,
} from "@/lib/shared/validation/replay";
import { createEndpoint, freePort, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { startTarget, type Target } from "./support/target";
import { waitFor } from "./support/wait";

type Ep = Awaited<ReturnType<typeof createEndpoint>>;

let db: { name: string; url: string };
let sql: pg.Client;
let app: RunningApp;

before(async () => {
  db = await createTestDatabase("replay");
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  app = await startApp({
    databaseUrl: db.url,
    env: { ALLOW_PRIVATE_TARGETS: "true", FORWARD_TIMEOUT_SECONDS: "5", RETENTION_INTERVAL_SECONDS: "0.5" },
  });
});
after(async () => {
  await app?.stop();
  await sql?.end();
  await dropDatabase(db.name);
});

async function api(ep: Ep, method: string, path: string, body?: unknown) {
  const r = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ep.managementKey}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? (JSON.parse(text) as unknown) : null, text };
}

/** Answers wait on `held` until `release()`: a target that holds a run's sends as long as a test needs. */
function gate(): { held: Promise<void>; release: () => void } {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  return { held, release };
}

async function startRun(ep: Ep, body: unknown): Promise<TReplayRun> {
  const r = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs`, body);
  assert.equal(r.status, 201, r.text);
  return ZReplayRun.parse(r.json);
}

async function getRun(ep: Ep, id: string, query = ""): Promise<TReplayRunDetail> {
  const r = await api(ep, "GET", `/api/endpoints/${ep.id}/replay-runs/${id}${query}`);
  assert.equal(r.status, 200, r.text);
  return ZReplayRunDetail.parse(r.json);
}

async function finished(ep: Ep, id: string, query = ""): Promise<TReplayRunDetail> {
  let d: TReplayRunDetail | null = null;
  await waitFor(async () => {
    d = await getRun(ep, id, query);
    return d.run.state !== "running";
  }, `run ${id} to end`);
  return d!;
}

/** Six events: evt_1 … evt_6, types invoice.paid (odd) and customer.created (even). */
async function seed(): Promise<Ep> {
  const ep = await createEndpoint(app.baseUrl);
  for (let i = 1; i <= 6; i++) {
    const type = i % 2 ? "invoice.paid" : "customer.created";
    const r = await fetch(`${ep.captureUrl}/hooks`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-drop-me": "secret", "x-seq": String(i) },
      body: JSON.stringify({ id: `evt_${i}`, type }),
    });
    assert.equal(r.status, 200);
  }
  return ep;
}

/** Answers 500 to the events whose id is in `failing`, else 200 {"ok":true,"id":…}. */
function judge(t: Target, failing: Set<string>): void {
  t.respond = (req, res) => {
    const id = (JSON.parse(req.body.toString()) as { id: string }).id;
    const bad = failing.has(id);
    res.writeHead(bad ? 500 : 200, { "content-type": "application/json", date: new Date(Date.now() + Math.random() * 1e6).toUTCString() });
    res.end(JSON.stringify({ ok: !bad, id }));
  };
}

describe("replay runs", () => {
  test("a target that fails some events: verdict failed, failures first with their check messages, headers set and removed, order as received", async () => {
    const ep = await seed();
    const t = await startTarget();
    try {
      judge(t, new Set(["evt_2", "evt_5"]));
      const run = await startRun(ep, {
        selection: { kind: "query", query: "" },
        targetUrl: `${t.url}/webhooks`,
        options: { setHeaders: [["X-Replay", "1"]], removeHeaders: ["x-drop-me"] },
        checks: { status: ["2xx"], json: [{ path: "ok", equals: "true" }] },
      });
      assert.equal(run.total, 6);
      assert.equal(run.options.concurrency, 1);
      const d = await finished(ep, run.id);
      assert.equal(d.run.verdict, "failed");
      assert.deepEqual([d.run.sent, d.run.passed, d.run.failed], [6, 4, 2]);
      // Failures first, then the rest, each in the order received.
      assert.deepEqual(
        d.sends.map((s) => s.state),
        ["failed", "failed", "passed", "passed", "passed", "passed"],
      );
      assert.deepEqual(
        d.sends.slice(0, 2).map((s) => s.captureSeq),
        [2, 5],
      );
      assert.deepEqual(d.sends[0]!.failures, [
        { check: "status", message: "expected 2xx, got 500" },
        { check: "json", message: 'ok: expected "true", got "false"' },
      ]);
      assert.equal(d.sends[0]!.response?.status, 500);
      assert.equal(d.sends[0]!.response?.body.text, '{"ok":false,"id":"evt_2"}');
      // Sent one at a time in the order received, to the URL as given, with the run's header changes.
      assert.deepEqual(
        t.received.map((r) => (JSON.parse(r.body.toString()) as { id: string }).id),
        ["evt_1", "evt_2", "evt_3", "evt_4", "evt_5", "evt_6"],
      );
      assert.equal(t.received[0]!.url, "/webhooks");
      const names = t.received[0]!.rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
      assert.ok(names.includes("x-replay") && names.includes("x-seq"), names.join(","));
      assert.ok(!names.includes("x-drop-me"), names.join(","));
      // ?only=failed pages the failures alone.
      const onlyFailed = await getRun(ep, run.id, "?only=failed&limit=1");
      assert.deepEqual([onlyFailed.sends.length, onlyFailed.nextOffset], [1, 1]);
      const one = await api(ep, "GET", `/api/endpoints/${ep.id}/replay-runs/${run.id}/sends/${d.sends[0]!.position}`);
      assert.equal(ZReplaySend.parse(one.json).captureSeq, 2);
    } finally {
      await t.close();
    }
  });

  test("by event type and by ids; a slow target fails the latency check and concurrency sends in parallel", async () => {
    const ep = await seed();
    const t = await startTarget();
    try {
      let open = 0;
      let maxOpen = 0;
      t.respond = (_r, res) => {
        open++;
        maxOpen = Math.max(maxOpen, open);
        setTimeout(() => {
          open--;
          res.end("ok");
        }, 300);
      };
      const byType = await startRun(ep, {
        selection: { kind: "type", type: "invoice.*" },
        targetUrl: t.url,
        options: { concurrency: 3 },
        checks: { maxLatencyMs: 100 },
      });
      assert.equal(byType.total, 3);
      const d = await finished(ep, byType.id);
      assert.equal(d.run.verdict, "failed");
      assert.equal(d.run.failed, 3);
      assert.match(d.sends[0]!.failures[0]!.message, /^took \d+ ms, over 100 ms$/);
      assert.equal(maxOpen, 3, "three sends in flight at once");
      const list = await api(ep, "GET", `/api/endpoints/${ep.id}/captures?limit=2`);
      assert.equal(list.status, 200, list.text);
      const ids = (list.json as { items: { id: string }[] }).items.map((c) => c.id);
      const byIds = await startRun(ep, { selection: { kind: "ids", ids }, targetUrl: t.url });
      assert.equal(byIds.total, 2);
      assert.deepEqual(byIds.selection, { kind: "ids", count: 2 });
      assert.equal((await finished(ep, byIds.id)).run.verdict, "passed");
    } finally {
      await t.close();
    }
  });

  test("a target that is down: every send fails with no answer, and retry failed sends them again once it is up", async () => {
    const ep = await seed();
    const port = await freePort();
    const run = await startRun(ep, {
      selection: { kind: "query", query: "type:customer.created" },
      targetUrl: `http://127.0.0.1:${port}/in`,
    });
    assert.equal(run.total, 3);
    const d = await finished(ep, run.id);
    assert.equal(d.run.verdict, "failed");
    assert.equal(d.run.failed, 3);
    assert.equal(d.sends[0]!.error?.code, "connect_failed");
    assert.match(d.sends[0]!.failures[0]!.message, /^no answer: Could not connect/);
    assert.equal(d.sends[0]!.response, null);

    const t = await startTarget();
    await new Promise<void>((r) => t.server.close(() => r()));
    await new Promise<void>((r) => t.server.listen(port, "127.0.0.1", r));
    try {
      const r = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs/${run.id}/retry-failed`);
      assert.equal(r.status, 201, r.text);
      const retry = ZReplayRun.parse(r.json);
      assert.deepEqual([retry.total, retry.retryOf, retry.selection], [3, run.id, { kind: "retry", of: run.id }]);
      assert.equal((await finished(ep, retry.id)).run.verdict, "passed");
      assert.equal(t.received.length, 3);
      // Nothing left to retry in a run that passed.
      const again = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs/${retry.id}/retry-failed`);
      assert.equal(again.status, 400, again.text);
      // Compare: the retry fixed every one of them.
      const cmp = await api(ep, "GET", `/api/endpoints/${ep.id}/replay-runs/compare?a=${run.id}&b=${retry.id}`);
      assert.equal(cmp.status, 200, cmp.text);
      const c = ZRunComparison.parse(cmp.json);
      assert.deepEqual([c.sameSet, c.counts.fixed, c.counts.regressions], [true, 3, 0]);
    } finally {
      await t.close();
    }
  });

  test("comparing two runs of the same set: the regression comes first with what differed; volatile headers are not differences", async () => {
    const ep = await seed();
    const t = await startTarget();
    try {
      judge(t, new Set());
      const a = await startRun(ep, { selection: { kind: "query", query: "" }, targetUrl: t.url });
      await finished(ep, a.id);
      judge(t, new Set(["evt_4"]));
      const b = await startRun(ep, { selection: { kind: "query", query: "" }, targetUrl: t.url });
      await finished(ep, b.id);
      const r = await api(ep, "GET", `/api/endpoints/${ep.id}/replay-runs/compare?a=${a.id}&b=${b.id}`);
      assert.equal(r.status, 200, r.text);
      const c = ZRunComparison.parse(r.json);
      assert.equal(c.sameSet, true);
      assert.deepEqual(c.counts, { compared: 6, same: 5, different: 1, regressions: 1, fixed: 0, onlyA: 0, onlyB: 0 });
      assert.equal(c.items.length, 1);
      const item = c.items[0]!;
      assert.equal(item.captureSeq, 4);
      assert.equal(item.regression, true);
      assert.deepEqual(item.differences, ["outcome", "status", "body"]);
      assert.deepEqual([item.a.status, item.b.status], [200, 500]);
      const runs = ZReplayRunList.parse((await api(ep, "GET", `/api/endpoints/${ep.id}/replay-runs`)).json);
      assert.deepEqual(
        runs.items.map((x) => x.id),
        [b.id, a.id],
      );
    } finally {
      await t.close();
    }
  });

  test("cancel stops a run: nothing more is sent, the rest stays unsent and retry failed can send it", async () => {
    const ep = await seed();
    const t = await startTarget();
    const { held, release } = gate();
    try {
      t.respond = (_r, res) => void held.then(() => res.end("ok"));
      const run = await startRun(ep, { selection: { kind: "query", query: "" }, targetUrl: t.url });
      await waitFor(() => t.received.length === 1, "the first send to arrive");
      const r = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs/${run.id}/cancel`);
      assert.equal(r.status, 200, r.text);
      assert.equal(ZReplayRun.parse(r.json).verdict, "cancelled");
      release();
      const d = await finished(ep, run.id);
      assert.equal(d.run.state, "cancelled");
      assert.ok(d.run.sent <= 1, `sent ${d.run.sent}`);
      assert.equal(t.received.length, 1);
      const retry = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs/${run.id}/retry-failed`);
      assert.equal(ZReplayRun.parse(retry.json).total, 6 - d.run.passed);
    } finally {
      release();
      await t.close();
    }
  });

  test("at most three runs run at once per endpoint: a fourth gets 409 saying so, and starts once one ends", async () => {
    const ep = await seed();
    const t = await startTarget();
    const { held, release } = gate();
    try {
      t.respond = (_r, res) => void held.then(() => res.end("ok"));
      const body = { selection: { kind: "query", query: "" }, targetUrl: t.url };
      const runs = [await startRun(ep, body), await startRun(ep, body), await startRun(ep, body)];
      await waitFor(() => t.received.length === 3, "each run's first send to arrive");
      const fourth = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs`, body);
      assert.equal(fourth.status, 409, fourth.text);
      assert.match((fourth.json as { error: { message: string } }).error.message, /3 replay runs are already running on this endpoint/);
      const cancelled = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs/${runs[0]!.id}/cancel`);
      assert.equal(cancelled.status, 200, cancelled.text);
      const again = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs`, body);
      assert.equal(again.status, 201, again.text);
      await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs/${ZReplayRun.parse(again.json).id}/cancel`);
      for (const run of runs.slice(1)) await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs/${run.id}/cancel`);
    } finally {
      release();
      await t.close();
    }
  });

  test("bad requests get a 400 that says what is wrong; runs go with their endpoint", async () => {
    const ep = await seed();
    const cases: [unknown, RegExp][] = [
      [{ selection: { kind: "query", query: "" }, targetUrl: "ftp://x" }, /http/],
      [{ selection: { kind: "query", query: "" }, targetUrl: "http://x", options: { concurrency: 17 } }, /Concurrency is 1 to 16/],
      [{ selection: { kind: "query", query: "size:>>1" }, targetUrl: "http://x" }, /size/i],
      [{ selection: { kind: "query", query: "type:nothing.here" }, targetUrl: "http://x" }, /No captures match/],
      [{ selection: { kind: "ids", ids: [] }, targetUrl: "http://x" }, /Tick at least one capture/],
      [{ selection: { kind: "query", query: "" }, targetUrl: "http://x", checks: { status: ["2yy"] } }, /class such as 2xx/],
    ];
    for (const [body, message] of cases) {
      const r = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs`, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
      assert.match((r.json as { error: { message: string } }).error.message, message, JSON.stringify(body));
    }
    const cmp = await api(ep, "GET", `/api/endpoints/${ep.id}/replay-runs/compare?a=x&b=y`);
    assert.equal(cmp.status, 400);
    // Blocked like a resend when private targets are not allowed is covered by the outgoing policy
    // tests; here the run and its sends are deleted with the endpoint.
    const t = await startTarget();
    try {
      const run = await startRun(ep, { selection: { kind: "query", query: "" }, targetUrl: t.url });
      await finished(ep, run.id);
      assert.equal((await api(ep, "DELETE", `/api/endpoints/${ep.id}`)).status, 204);
      const { rows } = await sql.query(
        "SELECT (SELECT count(*) FROM replay_runs WHERE id = $1)::int AS runs, (SELECT count(*) FROM replay_sends WHERE run_id = $1)::int AS sends",
        [run.id],
      );
      assert.deepEqual(rows[0], { runs: 0, sends: 0 });
    } finally {
      await t.close();
    }
  });

  test("retention deletes runs older than the endpoint keeps captures, and keeps newer ones", async () => {
    const ep = await seed();
    const t = await startTarget();
    try {
      const old = await startRun(ep, { selection: { kind: "query", query: "" }, targetUrl: t.url });
      const recent = await startRun(ep, { selection: { kind: "query", query: "" }, targetUrl: t.url });
      await finished(ep, old.id);
      await finished(ep, recent.id);
      const { rows } = await sql.query<{ days: number }>("SELECT retention_max_age_days AS days FROM endpoints WHERE id = $1", [ep.id]);
      await sql.query("UPDATE replay_runs SET created_at = now() - make_interval(days => $2 + 1) WHERE id = $1", [old.id, rows[0]!.days]);
      await waitFor(
        async () => (await api(ep, "GET", `/api/endpoints/${ep.id}/replay-runs/${old.id}`)).status === 404,
        "the old run to be pruned",
      );
      assert.equal((await api(ep, "GET", `/api/endpoints/${ep.id}/replay-runs/${recent.id}`)).status, 200);
      const { rows: sends } = await sql.query("SELECT count(*)::int AS n FROM replay_sends WHERE run_id = $1", [old.id]);
      assert.equal(sends[0].n, 0);
    } finally {
      await t.close();
    }
  });

  test("a 10,000-capture run: progress moves, every send is recorded, and the server's memory stays bounded (32 KiB bodies, 320 MB in all)", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const N = 10_000;
    await sql.query(
      `INSERT INTO captures (id, endpoint_id, seq, method, path, headers, body, body_size, remote_address, http_version,
                             received_at, duration_us, response_status)
       SELECT gen_random_uuid(), $1::uuid, s, 'POST', '/seed', '[["content-type","application/octet-stream"]]'::jsonb, b, length(b),
              '127.0.0.1', '1.1', now(), 0, 200
         FROM generate_series(1, $2::bigint) s, LATERAL (SELECT convert_to(repeat(md5(s::text), 1024), 'UTF8') AS b) x`,
      [ep.id, N],
    );
    await sql.query("UPDATE endpoints SET capture_seq = $2, capture_count = $3 WHERE id = $1", [ep.id, N, N]);
    const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${app.pid}/status`, "utf8"))![1]) * 1024;
    const t = await startTarget();
    let bytes = 0;
    t.respond = (r, res) => {
      bytes += r.body.length;
      res.end("ok");
    };
    t.received = new Proxy([], { get: (a, k) => (k === "push" ? () => 0 : Reflect.get(a, k)) });
    try {
      const before = rss();
      let peak = before;
      const run = await startRun(ep, { selection: { kind: "query", query: "" }, targetUrl: t.url, options: { concurrency: 16 } });
      assert.equal(run.total, N);
      const progress: number[] = [];
      let d: TReplayRunDetail | null = null;
      await waitFor(
        async () => {
          peak = Math.max(peak, rss());
          d = await getRun(ep, run.id, "?limit=1");
          if (progress.at(-1) !== d.run.sent) progress.push(d.run.sent);
          return d.run.state !== "running";
        },
        "the 10,000-capture run to end",
        300_000,
      );
      assert.equal(d!.run.verdict, "passed");
      assert.equal(d!.run.sent, N);
      assert.equal(bytes, N * 32 * 1024);
      assert.ok(progress.length >= 3, `progress seen: ${progress.join(", ")}`);
      const growth = peak - before;
      assert.ok(growth < 160 * 1024 * 1024, `the server grew by ${Math.round(growth / 1048576)} MB while sending 320 MB of bodies`);
    } finally {
      await t.close();
    }
  });

  test("a restart interrupts a running run (marked so, with why); retry failed sends what it had not sent", async () => {
    const ep = await seed();
    const t = await startTarget();
    const { held, release } = gate();
    try {
      t.respond = (_r, res, n) => (n <= 2 ? res.end("ok") : void held.then(() => res.end("ok")));
      const run = await startRun(ep, { selection: { kind: "query", query: "" }, targetUrl: t.url });
      await waitFor(() => t.received.length === 3, "the third send to be held");
      await app.stop();
      app = await startApp({ databaseUrl: db.url, env: { ALLOW_PRIVATE_TARGETS: "true", FORWARD_TIMEOUT_SECONDS: "5" } });
      const d = await getRun(ep, run.id);
      assert.equal(d.run.verdict, "interrupted");
      assert.match(d.run.error ?? "", /stopped \(restart\)/);
      assert.equal(d.run.sent, 2);
      release();
      const r = await api(ep, "POST", `/api/endpoints/${ep.id}/replay-runs/${run.id}/retry-failed`);
      assert.equal(r.status, 201, r.text);
      const retry = ZReplayRun.parse(r.json);
      assert.equal(retry.total, 4);
      assert.equal((await finished(ep, retry.id)).run.verdict, "passed");
    } finally {
      release();
      await t.close();
    }
  });
});
