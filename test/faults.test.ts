// Faults under load: the database stopped and restarted under a running app (an external one,
// and the app's own embedded one), and the app killed with SIGKILL. The promise checked each
// time: nothing that got a 2xx is ever lost, and the app recovers without help. Acknowledged
// capture ids (from X-Hookscope-Capture-Id) are appended to a file as they arrive and compared
// with the database afterwards.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { startLoad, waitUntil } from "./support/load";
import { startControlledPostgres, type ControlledPostgres } from "./support/pg-server";

let postgres: ControlledPostgres;
let databaseUrl: string;
const apps: RunningApp[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-faults-acks-"));
// Postgres runs as a "postgres" user when the tests run as root; it must reach DATA_DIR.
fs.chmodSync(tmp, 0o755);

before(async () => {
  postgres = await startControlledPostgres();
  databaseUrl = await postgres.createDatabase("hookscope_faults");
});
after(async () => {
  for (const a of apps) await a.kill().catch(() => {});
  await postgres?.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The ids written to an ack file, in order; checks the file agrees with what the load saw. */
function ackedFromFile(file: string, load: { acked: { id: string }[]; unnamed: string[] }): { id: string }[] {
  const ids = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
  assert.deepEqual(
    ids,
    load.acked.map((a) => a.id),
    "the ack file lists every acknowledged id",
  );
  assert.deepEqual(load.unnamed, [], "every 2xx named its capture in X-Hookscope-Capture-Id");
  return ids.map((id) => ({ id }));
}

/** Capture ids stored for an endpoint, read straight from the database. */
async function storedIds(endpointId: string, url = databaseUrl): Promise<{ ids: Set<string>; seqs: number[]; captureCount: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ id: string; seq: string }>("SELECT id::text, seq::text FROM captures WHERE endpoint_id = $1", [
      endpointId,
    ]);
    const ep = await c.query<{ capture_count: number }>("SELECT capture_count FROM endpoints WHERE id = $1", [endpointId]);
    return { ids: new Set(rows.map((r) => r.id)), seqs: rows.map((r) => Number(r.seq)), captureCount: ep.rows[0]!.capture_count };
  } finally {
    await c.end();
  }
}

/** The app survived, and not by luck: Next logs and swallows uncaught exceptions, so look for them. */
function assertNoCrashes(app: RunningApp): void {
  assert.equal(app.process.exitCode, null, `the app exited:\n${app.output()}`);
  assert.doesNotMatch(app.output(), /uncaught|unhandled/i, `the app had an uncaught error:\n${app.output()}`);
}

function assertNoneLost(acked: { id: string }[], stored: { ids: Set<string>; seqs: number[]; captureCount: number }): void {
  const missing = acked.filter((a) => !stored.ids.has(a.id));
  assert.equal(
    missing.length,
    0,
    `${missing.length} of ${acked.length} acknowledged captures are missing: ${missing.slice(0, 5).map((m) => m.id)}`,
  );
  // seq is handed out in the same transaction as the insert, so a batch that died took its
  // numbers with it: the stored sequence is exactly 1..n, across restarts of either side.
  const sorted = [...stored.seqs].sort((a, b) => a - b);
  assert.deepEqual(
    sorted,
    Array.from({ length: sorted.length }, (_, i) => i + 1),
    "sequence numbers have gaps or repeats",
  );
  assert.equal(stored.captureCount, stored.ids.size, "endpoint capture_count disagrees with the rows");
}

async function health(app: RunningApp): Promise<number> {
  const r = await fetch(`${app.baseUrl}/api/health`, { signal: AbortSignal.timeout(30_000) });
  await r.arrayBuffer();
  return r.status;
}

test("external database stopped mid-run: 503 with Retry-After, the app lives on, recovers by itself, loses nothing acknowledged", async () => {
  const app = await startApp({ databaseUrl });
  apps.push(app);
  const ep = await createEndpoint(app.baseUrl);
  const ackFile = path.join(tmp, "external.acks");
  const load = startLoad(() => `${app.baseUrl}/h/${ep.slug}`, 6, { ackFile });
  try {
    await waitUntil("100 acknowledged captures", () => load.acked.length >= 100);

    await postgres.stop();
    const downSince = performance.now();
    const ackedBeforeDown = load.acked.length;

    // Every client now gets refusals; collect a good number of them.
    await waitUntil("503 refusals while the database is down", () => load.refusals.filter((r) => r.at > downSince).length >= 30);
    const refusals = load.refusals.filter((r) => r.at > downSince);
    for (const r of refusals) {
      assert.equal(r.status, 503);
      assert.ok(r.retryAfter !== null && /^\d+$/.test(r.retryAfter) && Number(r.retryAfter) > 0, `Retry-After: ${r.retryAfter}`);
      assert.equal(r.code, "DATABASE_UNAVAILABLE");
    }
    // A 2xx with the database gone would be a promise the server cannot keep.
    assert.deepEqual(
      load.acked.filter((a) => a.at > downSince),
      [],
      "captures acknowledged while the database was down",
    );
    assert.equal(load.acked.length, ackedBeforeDown);
    assertNoCrashes(app);
    assert.equal(await health(app), 503);
    assertNoCrashes(app);

    await postgres.start();
    const upSince = performance.now();
    await waitUntil("captures succeed again without restarting the app", () => load.acked.some((a) => a.at > upSince), 90_000);
    const ackedAfterUp = load.acked.length;
    await waitUntil("another 100 captures after recovery", () => load.acked.length >= ackedAfterUp + 100);
    assert.equal(await health(app), 200);
  } finally {
    await load.stop();
    if (!postgres.running) await postgres.start(); // leave the database up for the next test
  }

  assertNoCrashes(app);
  assertNoneLost(ackedFromFile(ackFile, load), await storedIds(ep.id));
  await app.stop();
});

test("app killed with SIGKILL under load: after a restart every acknowledged capture is there", async () => {
  const first = await startApp({ databaseUrl });
  apps.push(first);
  const ep = await createEndpoint(first.baseUrl);
  let current = first;
  const ackFile = path.join(tmp, "sigkill.acks");
  const load = startLoad(() => `${current.baseUrl}/h/${ep.slug}`, 6, { ackFile });
  try {
    await waitUntil("200 acknowledged captures", () => load.acked.length >= 200);
    await first.kill();
    const failuresAtKill = load.failures;
    await waitUntil("clients notice the app is gone", () => load.failures > failuresAtKill);

    const second = await startApp({ databaseUrl, port: first.port });
    apps.push(second);
    current = second;
    const ackedAtRestart = load.acked.length;
    await waitUntil("captures succeed on the restarted app", () => load.acked.length >= ackedAtRestart + 50);
  } finally {
    await load.stop();
  }

  const stored = await storedIds(ep.id);
  assertNoneLost(ackedFromFile(ackFile, load), stored);
  await current.stop();
});

/** pid and port of the postmaster running for a data folder, from its postmaster.pid. */
function postmaster(pgDir: string): { pid: number; port: number } | null {
  let lines: string[];
  try {
    lines = fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n");
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  return { pid, port: Number(lines[3]) };
}

test("embedded database stopped mid-run: 503 with Retry-After, the app starts it again by itself, loses nothing acknowledged", async () => {
  // No DATABASE_URL: the app starts (and supervises) its own PostgreSQL under DATA_DIR.
  const dataDir = fs.mkdtempSync(path.join(tmp, "embedded-"));
  fs.chmodSync(dataDir, 0o755);
  const pgDir = path.join(dataDir, "postgres");
  const app = await startApp({ env: { DATA_DIR: dataDir } });
  apps.push(app);
  const first = postmaster(pgDir);
  assert.ok(first, "the app started an embedded PostgreSQL");
  // The app's role, with the password the app generated into DATA_DIR on first start.
  const { app: password } = JSON.parse(fs.readFileSync(path.join(dataDir, "postgres-passwords.json"), "utf8")) as { app: string };
  const url = `postgresql://hookscope_app:${password}@127.0.0.1:${first.port}/hookscope`;
  const ep = await createEndpoint(app.baseUrl);
  const ackFile = path.join(tmp, "embedded.acks");
  const load = startLoad(() => `${app.baseUrl}/h/${ep.slug}`, 6, { ackFile });
  try {
    await waitUntil("100 acknowledged captures", () => load.acked.length >= 100);
    // Stopped under the app, as a crash or an operator would: fast shutdown of the postmaster.
    process.kill(first.pid, "SIGINT");
    const downSince = performance.now();
    await waitUntil("503 refusals while the database is down", () => load.refusals.filter((r) => r.at > downSince).length >= 10);
    for (const r of load.refusals.filter((r) => r.at > downSince)) {
      assert.equal(r.status, 503);
      assert.ok(r.retryAfter !== null && /^\d+$/.test(r.retryAfter) && Number(r.retryAfter) > 0, `Retry-After: ${r.retryAfter}`);
      assert.equal(r.code, "DATABASE_UNAVAILABLE");
    }
    assertNoCrashes(app);

    // Nobody restarts it but the app.
    await waitUntil("a new postmaster on the same port", () => {
      const now = postmaster(pgDir);
      return now !== null && now.pid !== first.pid && now.port === first.port;
    });
    const lastRefusal = Math.max(...load.refusals.map((r) => r.at));
    await waitUntil("captures succeed again", () => load.acked.some((a) => a.at > lastRefusal), 90_000);
    const ackedAfterUp = load.acked.length;
    await waitUntil("another 100 captures after recovery", () => load.acked.length >= ackedAfterUp + 100);
    assert.equal(await health(app), 200);
    assert.match(app.output(), /embedded PostgreSQL is running again/);
  } finally {
    await load.stop();
  }

  assertNoCrashes(app);
  assertNoneLost(ackedFromFile(ackFile, load), await storedIds(ep.id, url));
  await app.stop();
  assert.equal(app.process.exitCode, 0, app.output());
  assert.equal(postmaster(pgDir), null, "stopping the app stops the PostgreSQL it restarted");
});

test("a connection the database drops while a pool client is checked out between queries: heard, destroyed, not handed out again", async () => {
  process.env.DATABASE_URL = databaseUrl;
  const { closeDb, getPool, withPoolClient } = await import("@/lib/server/db/client");
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.prependListener("uncaughtException", onUncaught);
  try {
    let pid = 0;
    // As in a transaction whose code works between statements (the schema worker's merge): no
    // query is pending when the database ends the session, so pg reports it only as "error".
    const failed = await withPoolClient(async (client) => {
      pid = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      const ended = new Promise((resolve) => client.once("end", () => setImmediate(resolve)));
      await admin.query("SELECT pg_terminate_backend($1)", [pid]);
      await ended;
      await client.query("SELECT 1");
    }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    assert.ok(failed, "the next statement on the dropped connection fails");
    assert.deepEqual(uncaught, [], "the drop was heard, not an uncaught exception");
    assert.equal(getPool().totalCount, 0, "the broken client was destroyed, not returned to the pool");
    const again = await withPoolClient(async (c) => (await c.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid);
    assert.notEqual(again, pid);
  } finally {
    process.removeListener("uncaughtException", onUncaught);
    await admin.end();
    await closeDb();
  }
});

test("SIGTERM with the database gone and the log pipes closed: the server exits cleanly (0), not by its forced exit after 45 s", async () => {
  // Its own server: stopping the file's would disturb nothing here, but this one stays stopped.
  const gone = await startControlledPostgres();
  try {
    const app = await startApp({ databaseUrl: await gone.createDatabase("sigterm") });
    apps.push(app);
    const ep = await createEndpoint(app.baseUrl);
    assert.equal((await fetch(ep.captureUrl, { method: "POST", body: "stored" })).status, 200);
    await gone.stop();
    const refused = await fetch(ep.captureUrl, { method: "POST", body: "not stored" });
    assert.equal(refused.status, 503);
    // The process that started it has gone away: every log line now fails with EPIPE.
    app.process.stdout!.destroy();
    app.process.stderr!.destroy();
    const exited = new Promise<number | null>((resolve) => app.process.once("exit", (code) => resolve(code)));
    const started = performance.now();
    app.process.kill("SIGTERM");
    // Shutdown forces an exit (1) after 45 s; a clean one takes well under a second.
    const timer = setTimeout(() => app.process.kill("SIGKILL"), 30_000);
    const code = await exited.finally(() => clearTimeout(timer));
    assert.equal(code, 0, `exit code ${code} after ${Math.round(performance.now() - started)} ms`);
  } finally {
    await gone.destroy();
  }
});
