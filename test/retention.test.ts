// Retention and instance limits against the real server and a real PostgreSQL: the background
// pruner keeps the newest N and drops captures older than the endpoint's age while capture goes
// on (every capture sent meanwhile still answered 200), instance ceilings cap and refuse,
// unused endpoints expire, and CREATE_ENDPOINT_TOKEN guards endpoint creation. Passes run every
// 200 ms here; the pass lock is checked with two passes at once in this process.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { closeDb } from "@/lib/server/db/client";
import { RETENTION_LOCK_KEY } from "@/lib/server/db/retention";
import { runRetentionPass } from "@/lib/server/retention/worker";
import { ZInstanceInfo } from "@/lib/shared/validation/endpoints";
import { startApp, type RunningApp } from "./support/app";
import { updateEndpoint } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";

const TOKEN = "create-token-0123456789abcdef";
let app: RunningApp;
let db: { name: string; url: string };
let sql: pg.Client;

before(async () => {
  db = await createTestDatabase("retention");
  app = await startApp({
    databaseUrl: db.url,
    env: {
      RETENTION_INTERVAL_SECONDS: "0.2",
      RETENTION_BATCH_SIZE: "50",
      RETENTION_MAX_CAPTURES_CEILING: "200",
      RETENTION_MAX_AGE_DAYS_CEILING: "90",
      ENDPOINT_EXPIRE_AFTER_DAYS: "2",
      CREATE_ENDPOINT_TOKEN: TOKEN,
    },
  });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
after(async () => {
  await sql?.end();
  await closeDb();
  await app?.stop();
  await dropDatabase(db.name);
});

type Created = { id: string; slug: string; managementKey: string };

async function create(body: unknown = {}, token: string | null = TOKEN): Promise<Response> {
  return fetch(`${app.baseUrl}/api/endpoints`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}
async function createOk(body: unknown = {}): Promise<Created> {
  const r = await create(body);
  assert.equal(r.status, 201, await r.clone().text());
  return (await r.json()) as Created;
}

/** Sends `n` captures, `concurrency` at a time; asserts every one was answered 200. */
async function flood(slug: string, n: number, concurrency = 8): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const r = await fetch(`${app.baseUrl}/h/${slug}/n/${i}`, { method: "POST", body: `{"i":${i}}` });
        assert.equal(r.status, 200, `capture ${i}: ${r.status} ${await r.text()}`);
        await r.arrayBuffer().catch(() => {});
      }
    }),
  );
}

async function stored(endpointId: string): Promise<{ count: number; minSeq: number; maxSeq: number; captureCount: number }> {
  const { rows } = await sql.query<{ count: number; min: string | null; max: string | null; capture_count: number }>(
    `SELECT count(c.id)::int AS count, min(c.seq)::text AS min, max(c.seq)::text AS max, e.capture_count
       FROM endpoints e LEFT JOIN captures c ON c.endpoint_id = e.id WHERE e.id = $1 GROUP BY e.id`,
    [endpointId],
  );
  const r = rows[0]!;
  return { count: r.count, minSeq: Number(r.min ?? 0), maxSeq: Number(r.max ?? 0), captureCount: r.capture_count };
}

describe("retention in the background", () => {
  test("keeps the newest N while capture goes on, and the count stays right", async () => {
    const ep = await createOk({ retention: { maxCaptures: 100 } });
    // Pruning runs every 200 ms in batches of 50 while 600 captures arrive: none may be refused.
    await flood(ep.slug, 600);
    await waitFor(async () => (await stored(ep.id)).count === 100, "the endpoint pruned to its newest 100");
    const s = await stored(ep.id);
    assert.deepEqual(s, { count: 100, minSeq: 501, maxSeq: 600, captureCount: 100 }, "exactly the newest 100, count in step");
  });

  test("drops captures older than the endpoint's age, keeps the rest, while capture goes on", async () => {
    const ep = await createOk();
    await flood(ep.slug, 120);
    // The first 80 were received 40 days ago: past the default 30 days.
    await sql.query("UPDATE captures SET received_at = now() - interval '40 days' WHERE endpoint_id = $1 AND seq <= 80", [ep.id]);
    const more = flood(ep.slug, 60, 2);
    await waitFor(async () => (await stored(ep.id)).minSeq === 81, "captures older than 30 days dropped");
    await more;
    await waitFor(async () => (await stored(ep.id)).count === 100, "every newer capture kept");
    assert.deepEqual(await stored(ep.id), { count: 100, minSeq: 81, maxSeq: 180, captureCount: 100 });
  });

  test("a shorter age set in settings applies to what is already stored", async () => {
    const ep = await createOk();
    await flood(ep.slug, 20);
    await sql.query("UPDATE captures SET received_at = now() - interval '5 days' WHERE endpoint_id = $1 AND seq <= 5", [ep.id]);
    const updated = await updateEndpoint(app.baseUrl, ep, { retention: { maxAgeDays: 3 } });
    assert.deepEqual(updated.retention, { maxCaptures: 10_000, maxAgeDays: 3 });
    await waitFor(async () => (await stored(ep.id)).count === 15, "captures older than 3 days dropped");
    assert.equal((await stored(ep.id)).minSeq, 6);
  });

  test("the instance ceiling caps an endpoint's setting, and a setting above it is refused", async () => {
    const ep = await createOk(); // keeps 10,000 by default; this instance allows 200
    await flood(ep.slug, 260);
    await waitFor(async () => (await stored(ep.id)).count === 200, "pruned to the instance's 200");
    assert.equal((await stored(ep.id)).minSeq, 61);

    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
      body: JSON.stringify({ retention: { maxCaptures: 201 } }),
    });
    assert.equal(r.status, 400);
    assert.match(((await r.json()) as { error: { message: string } }).error.message, /keeps at most 200 captures per endpoint/);
    const bad = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" },
      body: JSON.stringify({ retention: { maxAgeDays: 0 } }),
    });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /Delete after at least 1 day/);
    assert.equal((await create({ retention: { maxAgeDays: 91 } })).status, 400);
  });

  test("one pass at a time per database: a pass skips its turn while another process holds the lock", async () => {
    process.env.DATABASE_URL = db.url;
    const settings = { ceilings: { maxCaptures: 200, maxAgeDays: 90 }, intervalMs: 1000, batchSize: 50, expireAfterDays: 0 };
    // Another process in the middle of a pass: its session holds the lock (taken once the
    // server's own pass, if one is running, lets go).
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock($1)", [RETENTION_LOCK_KEY]);
      assert.deepEqual(await runRetentionPass(settings), { ran: false, capturesDeleted: 0, endpointsExpired: 0, runsDeleted: 0 });
      await other.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]);
      // Free again: a pass runs (the server's own passes may hold it for a moment).
      await waitFor(async () => (await runRetentionPass(settings)).ran, "a pass that took the lock");
    } finally {
      await other.end();
    }
  });
});

describe("expiry of unused endpoints", () => {
  test("an endpoint unused for longer than ENDPOINT_EXPIRE_AFTER_DAYS is deleted with its captures; a used one stays", async () => {
    const unused = await createOk();
    const used = await createOk();
    await flood(unused.slug, 130); // more than one batch: emptied in batches, then deleted
    await flood(used.slug, 3);
    await sql.query(
      `UPDATE endpoints SET created_at = now() - interval '10 days', last_capture_at = now() - interval '5 days',
              last_accessed_at = now() - interval '3 days' WHERE id = $1`,
      [unused.id],
    );
    // Created long ago but captured just now: in use.
    await sql.query("UPDATE endpoints SET created_at = now() - interval '10 days', last_accessed_at = NULL WHERE id = $1", [used.id]);
    await waitFor(
      async () => (await sql.query("SELECT 1 FROM endpoints WHERE id = $1", [unused.id])).rowCount === 0,
      "unused endpoint expired",
    );
    assert.equal((await sql.query("SELECT 1 FROM captures WHERE endpoint_id = $1", [unused.id])).rowCount, 0);
    const gone = await fetch(`${app.baseUrl}/api/endpoints/${unused.id}`, { headers: { authorization: `Bearer ${unused.managementKey}` } });
    assert.equal(gone.status, 404);
    assert.equal((await stored(used.id)).count, 3);
  });

  test("keyed use of the API records the endpoint as used", async () => {
    const ep = await createOk();
    await sql.query("UPDATE endpoints SET last_accessed_at = now() - interval '1 day' WHERE id = $1", [ep.id]);
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, { headers: { authorization: `Bearer ${ep.managementKey}` } });
    assert.equal(r.status, 200);
    await waitFor(async () => {
      const { rows } = await sql.query<{ recent: boolean }>(
        "SELECT last_accessed_at > now() - interval '1 minute' AS recent FROM endpoints WHERE id = $1",
        [ep.id],
      );
      return rows[0]!.recent;
    }, "last_accessed_at updated");
  });
});

describe("endpoint creation token", () => {
  test("the instance says a token is required, and its ceilings", async () => {
    const r = await fetch(`${app.baseUrl}/api/instance`);
    assert.equal(r.status, 200);
    assert.deepEqual(ZInstanceInfo.parse(await r.json()), {
      createEndpointRequiresToken: true,
      retention: { defaults: { maxCaptures: 10_000, maxAgeDays: 30 }, ceilings: { maxCaptures: 200, maxAgeDays: 90 } },
      expireUnusedAfterDays: 2,
    });
  });

  test("no token: 401; a wrong one: 403; the right one: 201; nothing created without it", async () => {
    const before = (await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM endpoints")).rows[0]!.n;
    const none = await create({}, null);
    assert.equal(none.status, 401);
    assert.match(((await none.json()) as { error: { message: string } }).error.message, /requires a token to create endpoints/);
    const wrong = await create({}, "not-the-token-0123456789");
    assert.equal(wrong.status, 403);
    assert.match(((await wrong.json()) as { error: { message: string } }).error.message, /token is not right/);
    assert.equal((await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM endpoints")).rows[0]!.n, before);
    assert.equal((await create({}, TOKEN)).status, 201);
  });
});
