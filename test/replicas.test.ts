// Two replicas (two real server processes) on one PostgreSQL behave as one service: migrations
// run once when both start together on an empty database; a capture sent to one shows up live on
// a stream served by the other; and a replica stopped with SIGTERM while captures flow loses no
// acknowledged capture, ends its live streams cleanly, and its clients resume on the other
// replica with Last-Event-ID without a gap. (Exactly-once forwarding across replicas is tested
// with the forward worker; HAProxy in front of replicas in test/balancer.test.ts.)
import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import { after, afterEach, before, test } from "node:test";
import pg from "pg";
import { readMigrations } from "@/lib/server/db/migrate";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createEmptyDatabase, dropDatabase } from "./support/db";
import { SseClient } from "./support/sse";

let a: RunningApp;
let b: RunningApp;
let db: { name: string; url: string };
let sql: pg.Client;
const streams: SseClient[] = [];

// Replicas sharing a database must share the signing-secrets key (docs/deployment.md, "Several replicas").
const SHARED = { SECRETS_KEY: crypto.randomBytes(32).toString("base64"), LIVE_HEARTBEAT_MS: "500" };

before(async () => {
  db = await createEmptyDatabase("replicas");
  // Started at the same moment against an empty database: both race to migrate.
  [a, b] = await Promise.all([startApp({ databaseUrl: db.url, env: SHARED }), startApp({ databaseUrl: db.url, env: SHARED })]);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
afterEach(() => {
  for (const s of streams.splice(0)) s.close();
});
after(async () => {
  await sql?.end();
  await Promise.all([a?.stop(), b?.stop()]);
  if (db) await dropDatabase(db.name);
});

async function subscribe(app: { baseUrl: string }, ep: { id: string; managementKey: string }, lastEventId?: string): Promise<SseClient> {
  const headers: Record<string, string> = { authorization: `Bearer ${ep.managementKey}` };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  const s = await SseClient.open(`${app.baseUrl}/api/endpoints/${ep.id}/events`, headers);
  streams.push(s);
  assert.equal(s.status, 200, s.raw);
  await s.waitFor((c) => c.events.some((e) => e.event === "ready"), "ready");
  return s;
}

test("migrations ran once when both replicas started together on an empty database", async () => {
  const files = readMigrations().map((m) => m.name);
  const { rows } = await sql.query<{ migration_name: string; finished: boolean; rolled_back: boolean; applied_steps_count: number }>(
    `SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back, applied_steps_count
       FROM _prisma_migrations ORDER BY migration_name`,
  );
  assert.deepEqual(
    rows.map((r) => r.migration_name),
    files,
    "one row per migration, none twice",
  );
  for (const r of rows) {
    assert.ok(r.finished && !r.rolled_back && r.applied_steps_count === 1, JSON.stringify(r));
  }
  // Only one of the two started processes applied anything; the other found them applied.
  const applied = [a, b].filter((x) => /Applied migrations:/.test(x.output()));
  assert.equal(applied.length, 1, `applied by: ${applied.map((x) => x.port).join(", ")}`);
});

test("a capture sent to replica A appears live on a stream served by replica B", async () => {
  const ep = await createEndpoint(a.baseUrl, { name: "cross-replica" });
  const onB = await subscribe(b, ep);
  const t0 = performance.now();
  const r = await fetch(`${a.baseUrl}/h/${ep.slug}/from-a`, { method: "POST", body: "hello from A" });
  assert.equal(r.status, 200);
  const { id } = (await r.json()) as { id: string };
  await onB.waitFor((c) => c.captures<{ id: string }>().some((x) => x.id === id), "the capture on B's stream", 10_000);
  const ev = onB.captures<{ id: string; path: string; seq: number }>().find((x) => x.id === id)!;
  assert.equal(ev.path, "/from-a");
  assert.equal(ev.seq, 1);
  assert.ok(ev._at - t0 < 10_000);

  // And the other way round, on the same endpoint: seq keeps counting across replicas.
  const onA = await subscribe(a, ep, "1");
  const r2 = await fetch(`${b.baseUrl}/h/${ep.slug}/from-b`, { method: "POST", body: "hello from B" });
  assert.equal(r2.status, 200);
  await r2.arrayBuffer();
  await onA.waitFor((c) => c.captures().some((x) => x.seq === 2), "seq 2 on A's stream", 10_000);
  await onB.waitFor((c) => c.captures().some((x) => x.seq === 2), "seq 2 on B's stream", 10_000);
});

/** POSTs over a keep-alive agent; resolves with the acknowledged capture id, or null on any failure. */
function post(agent: http.Agent, url: string, body: string): Promise<string | null> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: "POST", agent, headers: { "content-type": "text/plain" } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => {
        if (res.statusCode !== 200) return resolve(null);
        try {
          resolve((JSON.parse(text) as { id: string }).id);
        } catch {
          resolve(null);
        }
      });
      res.on("error", () => resolve(null));
    });
    req.on("error", () => resolve(null));
    req.end(body);
  });
}

test("SIGTERM to A while captures flow: every acknowledged capture is stored; A's stream ends and resumes on B without a gap", async () => {
  const ep = await createEndpoint(b.baseUrl, { name: "drain" });
  const streamA = await subscribe(a, ep);

  const acked: string[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let aExited = false;
  let sentAfterExit = 0;
  // 16 senders keep requests in flight on A until it has exited, so SIGTERM lands mid-flow.
  const senders = Array.from({ length: 16 }, async (_, w) => {
    for (let i = 0; !aExited; i++) {
      const id = await post(agent, `${a.baseUrl}/h/${ep.slug}/w${w}/${i}`, `sender ${w} request ${i}`);
      if (id) acked.push(id);
      else if (a.process.exitCode !== null || a.process.signalCode !== null) break;
    }
  });
  const deadline = Date.now() + 30_000;
  while (acked.length < 200) {
    assert.ok(Date.now() < deadline, `only ${acked.length} captures acknowledged before the stop`);
    await new Promise((r) => setImmediate(r));
  }
  const ackedBeforeStop = acked.length;
  await a.stop(); // SIGTERM, then wait for the process to exit
  aExited = true;
  await Promise.all(senders);
  agent.destroy();
  assert.equal(a.process.exitCode, 0, `A exited cleanly:\n${a.output().slice(-2000)}`);
  assert.match(a.output(), /SIGTERM: shutting down/);
  assert.ok(acked.length > ackedBeforeStop, "captures were still being acknowledged while A drained");

  // Nothing acknowledged is missing.
  const { rows } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM captures WHERE id = ANY($1::uuid[])", [acked]);
  assert.equal(rows[0]!.n, acked.length, `${acked.length - rows[0]!.n} acknowledged captures are missing`);

  // A ended its live stream cleanly (not a reset), after sending what it had.
  await streamA.waitForClose(15_000);
  assert.equal(streamA.error, null, `A's stream failed instead of ending: ${streamA.error?.message}`);
  assert.ok(streamA.ended);
  const lastId = [...streamA.events].reverse().find((e) => e.id !== undefined)?.id;
  assert.ok(lastId, "A's stream carried event ids");

  // More captures arrive (now at B) while the client is away.
  for (let i = 0; i < 20; i++) {
    const r = await fetch(`${b.baseUrl}/h/${ep.slug}/after/${i}`, { method: "POST", body: "after the stop" });
    assert.equal(r.status, 200);
    await r.arrayBuffer();
    sentAfterExit++;
  }

  // The client reconnects to the other replica the way EventSource does: Last-Event-ID.
  const streamB = await subscribe(b, ep, lastId);
  const { rows: latest } = await sql.query<{ seq: number }>("SELECT capture_seq::int AS seq FROM endpoints WHERE id = $1", [ep.id]);
  const latestSeq = latest[0]!.seq;
  assert.ok(latestSeq >= acked.length + sentAfterExit);
  await streamB.waitFor((c) => c.captures().some((x) => x.seq === latestSeq), `seq ${latestSeq} on B`, 15_000);
  assert.equal(
    streamB.events.filter((e) => e.event === "reset").length,
    0,
    "resumed by catch-up, not by a reset (fewer than 1,000 missed)",
  );

  // A's events then B's, by seq: 1..latest, each once.
  const seen = [...streamA.captures(), ...streamB.captures()].map((x) => x.seq);
  assert.deepEqual(
    seen,
    Array.from({ length: latestSeq }, (_, i) => i + 1),
    "every seq exactly once, in order, across the two replicas",
  );
});
