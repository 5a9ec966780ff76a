// Live updates end to end: the real server, real Postgres NOTIFY/LISTEN, real SSE over sockets.
import assert from "node:assert/strict";
import net from "node:net";
import { after, afterEach, before, test } from "node:test";
import pg from "pg";
import { ZCaptureSummary } from "@/lib/shared/validation/captures";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { adminQuery, createTestDatabase, dropDatabase } from "./support/db";
import { SseClient } from "./support/sse";
import { waitFor } from "./support/wait";

const HEARTBEAT_MS = 300;
const APP_ENV = { LIVE_HEARTBEAT_MS: String(HEARTBEAT_MS) };

type Endpoint = Awaited<ReturnType<typeof createEndpoint>>;

let app: RunningApp;
let db: { name: string; url: string };
const open: SseClient[] = [];

before(async () => {
  db = await createTestDatabase("live");
  app = await startApp({ databaseUrl: db.url, env: APP_ENV });
});
// A failed test must not leave its streams open for the next one (the subscriber count test).
afterEach(() => {
  for (const c of open.splice(0)) c.close();
});
after(async () => {
  await app?.stop();
  await dropDatabase(db.name);
});

function auth(ep: Endpoint): Record<string, string> {
  return { authorization: `Bearer ${ep.managementKey}` };
}

async function subscribe(ep: Endpoint, opts: { lastEventId?: string; query?: string; headers?: Record<string, string> } = {}) {
  const headers = { ...auth(ep), ...opts.headers };
  if (opts.lastEventId !== undefined) headers["last-event-id"] = opts.lastEventId;
  const c = await SseClient.open(`${app.baseUrl}/api/endpoints/${ep.id}/events${opts.query ?? ""}`, headers);
  open.push(c);
  assert.equal(c.status, 200, `events: ${c.status} ${c.raw}`);
  return c;
}

const isReady = (c: SseClient) => c.events.some((e) => e.event === "ready");
const readyData = (c: SseClient) => JSON.parse(c.events.find((e) => e.event === "ready")!.data) as { latestSeq: number };
/** Capture seqs sent before `ready` (the catch-up). */
const catchUpSeqs = (c: SseClient) => {
  const i = c.events.findIndex((e) => e.event === "ready");
  return c.events
    .slice(0, i)
    .filter((e) => e.event === "capture")
    .map((e) => Number(e.id));
};
const seqs = (c: SseClient) => c.captures().map((s) => s.seq);

async function send(ep: Endpoint, path = "/", body = "x", headers: Record<string, string> = {}): Promise<void> {
  const r = await fetch(`${ep.captureUrl}${path}`, { method: "POST", body, headers });
  assert.equal(r.status, 200, `capture ${path}: ${r.status} ${await r.clone().text()}`);
  await r.arrayBuffer();
}

async function liveSubscribers(baseUrl = app.baseUrl): Promise<number> {
  const r = await fetch(`${baseUrl}/api/health`);
  return ((await r.json()) as { liveSubscribers: number }).liveSubscribers;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test("a capture sent after subscribing arrives as one summary event with id = seq and no body", async () => {
  const ep = await createEndpoint(app.baseUrl);
  // Accept-Encoding as a browser sends it: the stream must still not be compressed (buffered).
  const c = await subscribe(ep, { headers: { "accept-encoding": "gzip, deflate, br" } });
  assert.equal(c.headers["content-type"], "text/event-stream");
  assert.equal(c.headers["cache-control"], "no-cache, no-transform");
  assert.equal(c.headers["x-accel-buffering"], "no");
  assert.equal(c.headers["content-encoding"], undefined);

  await c.waitFor(isReady, "ready");
  assert.ok(c.raw.startsWith("retry: 2000\n"), JSON.stringify(c.raw.slice(0, 40)));
  assert.deepEqual(readyData(c), { latestSeq: 0 });
  assert.equal(seqs(c).length, 0, "nothing before ready on a new endpoint");

  await send(ep, "/hooks/stripe?attempt=1", '{"secret":"body-must-not-travel"}', { "content-type": "application/json" });
  await c.waitFor((x) => seqs(x).length === 1, "the capture event");
  assert.equal(c.ended, false, "the event arrived while the stream is still open");

  const ev = c.events.find((e) => e.event === "capture")!;
  assert.equal(ev.id, "1");
  const summary = ZCaptureSummary.strict().parse(JSON.parse(ev.data));
  assert.equal(summary.seq, 1);
  assert.equal(summary.endpointId, ep.id);
  assert.equal(summary.method, "POST");
  assert.equal(summary.path, "/hooks/stripe");
  assert.equal(summary.query, "attempt=1");
  assert.equal(summary.size, Buffer.byteLength('{"secret":"body-must-not-travel"}'));
  assert.equal(summary.contentType, "application/json");
  assert.equal(summary.oversize, false);
  assert.match(summary.receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.ok(!c.raw.includes("body-must-not-travel"), "no body on the live stream");

  // The summary is the one the list API returns for the same capture; the list adds the
  // signature verdict, which live events do not wait for.
  const list = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures`, { headers: auth(ep) });
  const page = (await list.json()) as { items: Record<string, unknown>[] };
  const { signature: _signature, ...listed } = page.items[0]!;
  assert.deepEqual(listed, summary);
  c.close();
});

test("after a disconnect, Last-Event-ID replays exactly the missed captures in order, then live ones", async () => {
  const ep = await createEndpoint(app.baseUrl);
  for (let i = 1; i <= 3; i++) await send(ep, `/before-${i}`);

  const first = await subscribe(ep, { query: "?after=0" });
  await first.waitFor(isReady, "ready");
  assert.deepEqual(catchUpSeqs(first), [1, 2, 3], "?after=0 replays everything");
  assert.deepEqual(readyData(first), { latestSeq: 3 });
  const lastId = first.captures().at(-1)!._id!;
  first.close();

  for (let i = 1; i <= 5; i++) await send(ep, `/missed-${i}`);

  // Last-Event-ID wins over ?after= (a reconnecting EventSource keeps its original URL).
  const again = await subscribe(ep, { lastEventId: lastId, query: "?after=0" });
  await again.waitFor(isReady, "ready after reconnect");
  assert.deepEqual(catchUpSeqs(again), [4, 5, 6, 7, 8]);
  assert.deepEqual(
    again.captures<{ path: string }>().map((s) => s.path),
    range(1, 5).map((i) => `/missed-${i}`),
  );
  assert.deepEqual(readyData(again), { latestSeq: 8 });
  assert.equal(again.events.find((e) => e.event === "ready")!.id, "8", "ready carries the resume id");

  await send(ep, "/live");
  await again.waitFor((x) => seqs(x).length === 6, "the live capture");
  assert.deepEqual(seqs(again), [4, 5, 6, 7, 8, 9]);

  // No resume point means "from now": nothing is replayed.
  const fresh = await subscribe(ep);
  await fresh.waitFor(isReady, "ready");
  assert.deepEqual(catchUpSeqs(fresh), []);
  assert.deepEqual(readyData(fresh), { latestSeq: 9 });
  again.close();
  fresh.close();
});

test("more missed captures than the replay cap: reset instead of replay, then live events", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await seedCaptures(ep.id, 1001);

  const c = await subscribe(ep, { query: "?after=0" });
  await c.waitFor(isReady, "ready");
  const kinds = c.events.map((e) => e.event);
  assert.deepEqual(kinds, ["reset", "ready"]);
  assert.deepEqual(JSON.parse(c.events[0]!.data), { latestSeq: 1001 });
  assert.equal(c.events[0]!.id, "1001");

  await send(ep, "/after-reset");
  await c.waitFor((x) => seqs(x).length === 1, "live capture after reset");
  assert.deepEqual(seqs(c), [1002]);
  c.close();

  // Exactly at the cap is still replayed in full.
  const atCap = await subscribe(ep, { lastEventId: "2" });
  await atCap.waitFor(isReady, "ready");
  assert.deepEqual(catchUpSeqs(atCap), range(3, 1002));
  atCap.close();

  // A resume point from the future (database recreated) also resets.
  const future = await subscribe(ep, { lastEventId: "999999" });
  await future.waitFor(isReady, "ready");
  assert.deepEqual(
    future.events.map((e) => e.event),
    ["reset", "ready"],
  );
  assert.deepEqual(JSON.parse(future.events[0]!.data), { latestSeq: 1002 });
  future.close();
});

test("heartbeat comments arrive while nothing happens", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const c = await subscribe(ep);
  await c.waitFor((x) => x.comments.filter((t) => t === "ping").length >= 2, "two pings", 20 * HEARTBEAT_MS + 10_000);
  assert.match(c.raw, /\n\n: ping\n\n/);
  c.close();
});

test("the stream needs the endpoint's management key: 401 without, 404 with a wrong one or unknown id", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const other = await createEndpoint(app.baseUrl);
  const url = `${app.baseUrl}/api/endpoints/${ep.id}/events`;

  const none = await fetch(url);
  assert.equal(none.status, 401);
  assert.equal(((await none.json()) as { error: { code: string } }).error.code, "UNAUTHORIZED");

  const wrong = await fetch(url, { headers: auth(other) });
  assert.equal(wrong.status, 404);
  assert.equal(((await wrong.json()) as { error: { code: string } }).error.code, "NOT_FOUND");

  const unknown = await fetch(`${app.baseUrl}/api/endpoints/00000000-0000-7000-8000-000000000000/events`, { headers: auth(ep) });
  assert.equal(unknown.status, 404);

  const badId = await fetch(url, { headers: { ...auth(ep), "last-event-id": "abc" } });
  assert.equal(badId.status, 400);
  await badId.arrayBuffer();

  assert.equal(await liveSubscribers(), 0, "refused requests leave no subscriber behind");
});

test("200 concurrent captures: fewer NOTIFYs than captures, every subscriber gets all 200 in order", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const listener = new pg.Client({ connectionString: db.url });
  await listener.connect();
  let notifications = 0;
  let highest = 0;
  listener.on("notification", (msg) => {
    const entries = (JSON.parse(msg.payload ?? "{}") as { e: [string, number][] }).e;
    const mine = entries.filter(([id]) => id === ep.id);
    if (mine.length === 0) return;
    notifications++;
    highest = Math.max(highest, ...mine.map(([, s]) => s));
  });
  await listener.query("LISTEN hookscope_captures");
  try {
    const a = await subscribe(ep);
    const b = await subscribe(ep);
    await Promise.all([a.waitFor(isReady, "ready a"), b.waitFor(isReady, "ready b")]);

    await Promise.all(range(1, 200).map((i) => send(ep, `/c${i}`)));
    await Promise.all([a, b].map((c) => c.waitFor((x) => seqs(x).length >= 200, "200 events")));
    assert.deepEqual(seqs(a), range(1, 200));
    assert.deepEqual(seqs(b), range(1, 200));
    assert.equal(new Set(a.captures<{ path: string }>().map((s) => s.path)).size, 200);

    await waitFor(async () => highest === 200, "the notification for seq 200");
    assert.ok(notifications > 0);
    assert.ok(notifications < 200, `one NOTIFY per batch, not per capture: ${notifications} for 200 captures`);
    a.close();
    b.close();
  } finally {
    await listener.end();
  }
});

test("busy streams: under a burst a dashboard stream (?coalesce=) gets a coalesced event while a forward stream gets every event", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const dashboard = await subscribe(ep, { query: "?coalesce=5" });
  const forward = await subscribe(ep); // as `hookscope forward` opens it
  await Promise.all([dashboard.waitFor(isReady, "ready dashboard"), forward.waitFor(isReady, "ready forward")]);

  await Promise.all(range(1, 200).map((i) => send(ep, `/burst${i}`)));
  await forward.waitFor((x) => seqs(x).length >= 200, "200 events on the forward stream");
  assert.deepEqual(seqs(forward), range(1, 200));
  assert.ok(!forward.events.some((e) => e.event === "coalesced"));

  // The dashboard stream is told of all 200 (ids rise to 200), but not as 200 events.
  await dashboard.waitFor((x) => x.events.some((e) => e.id === "200"), "the dashboard stream to reach seq 200");
  const coalesced = dashboard.events
    .filter((e) => e.event === "coalesced")
    .map((e) => ({ id: Number(e.id), ...(JSON.parse(e.data) as { latestSeq: number; afterSeq: number; count: number }) }));
  assert.ok(coalesced.length > 0, "at least one coalesced event");
  let told = 0;
  let at = 0;
  for (const e of dashboard.events.filter((x) => x.event === "capture" || x.event === "coalesced")) {
    if (e.event === "capture") {
      assert.equal(Number(e.id), at + 1, "capture events in order, none skipped");
      at = Number(e.id);
      told++;
      continue;
    }
    const c = coalesced.find((x) => x.id === Number(e.id))!;
    assert.deepEqual([c.latestSeq, c.afterSeq], [c.id, at], "a coalesced event continues where the stream was");
    assert.ok(c.count > 5 && c.count === c.latestSeq - c.afterSeq, `more than the list shows: ${JSON.stringify(c)}`);
    at = c.latestSeq;
    told += c.count;
  }
  assert.equal(told, 200);
  assert.ok(seqs(dashboard).length < 200, `fewer capture events than captures: ${seqs(dashboard).length}`);
});

test("?coalesce= must be a whole number from 1 to 1000", async () => {
  const ep = await createEndpoint(app.baseUrl);
  for (const bad of ["0", "1001", "abc", "-3"]) {
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/events?coalesce=${bad}`, { headers: auth(ep) });
    assert.equal(r.status, 400, bad);
    const body = (await r.json()) as { error: { code: string; message: string } };
    assert.match(body.error.message, /coalesce.*whole number of captures from 1 to 1000/, bad);
  }
});

test("killing the LISTEN connection: it reconnects and the subscriber misses nothing", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const c = await subscribe(ep);
  await c.waitFor(isReady, "ready");
  await send(ep, "/one");
  await c.waitFor((x) => seqs(x).length === 1, "first capture");

  const firstPid = await listenBackendPid();
  await adminQuery(`SELECT pg_terminate_backend(${firstPid})`);
  // Sent at once: some commit while the LISTEN connection is down, so their NOTIFY is lost.
  for (let i = 2; i <= 6; i++) await send(ep, `/during-${i}`);
  await c.waitFor((x) => seqs(x).length === 6, "captures sent around the reconnect");
  await waitFor(async () => (await listenBackendPid().catch(() => firstPid)) !== firstPid, "a new LISTEN backend");
  await send(ep, "/after");
  await c.waitFor((x) => seqs(x).length === 7, "capture after the reconnect");
  assert.deepEqual(seqs(c), range(1, 7));

  // Now keep the database refusing new connections for a while: reconnects fail and back off,
  // and captures committed meanwhile (over the pool's open connections) must still arrive.
  await Promise.all(range(1, 10).map((i) => send(ep, `/warm-${i}`))); // several open pool connections
  await c.waitFor((x) => seqs(x).length === 17, "warm-up captures");
  const logBefore = app.output().split("LISTEN connection failed").length;
  await adminQuery(`ALTER DATABASE ${db.name} WITH ALLOW_CONNECTIONS false`);
  try {
    await adminQuery(`SELECT pg_terminate_backend(${await listenBackendPid()})`);
    for (let i = 1; i <= 3; i++) await send(ep, `/while-down-${i}`);
    await waitFor(async () => app.output().split("LISTEN connection failed").length > logBefore, "a failed reconnect attempt");
  } finally {
    await adminQuery(`ALTER DATABASE ${db.name} WITH ALLOW_CONNECTIONS true`);
  }
  // Nothing else is sent: only the re-check after reconnecting can deliver these.
  await c.waitFor((x) => seqs(x).length === 20, "captures committed while LISTEN was down");
  assert.deepEqual(seqs(c), range(1, 20));
  assert.deepEqual(
    c
      .captures<{ path: string }>()
      .slice(-3)
      .map((s) => s.path),
    ["/while-down-1", "/while-down-2", "/while-down-3"],
  );
  assert.equal(c.error, null);
  c.close();
});

test("subscriber count returns to 0 when clients disconnect", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await waitFor(async () => (await liveSubscribers()) === 0, "no subscribers left over from earlier tests");
  const clients = await Promise.all([subscribe(ep), subscribe(ep), subscribe(ep, { query: "?after=0" })]);
  await Promise.all(clients.map((c) => c.waitFor(isReady, "ready")));
  assert.equal(await liveSubscribers(), 3);
  for (const c of clients) c.close();
  await waitFor(async () => (await liveSubscribers()) === 0, "subscribers to be released");
  // The hub was released too: a new subscriber still gets new captures.
  const c = await subscribe(ep);
  await c.waitFor(isReady, "ready");
  await send(ep, "/x");
  await c.waitFor((x) => seqs(x).length === 1, "capture after hub re-creation");
  c.close();
  await waitFor(async () => (await liveSubscribers()) === 0, "subscribers to be released");
});

test("a client that stops reading is disconnected once its backlog passes the limit", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await waitFor(async () => (await liveSubscribers()) === 0, "no other subscribers");
  const sock = net.connect(app.port, "127.0.0.1");
  sock.on("error", () => {});
  sock.write(`GET /api/endpoints/${ep.id}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${ep.managementKey}\r\n\r\n`);
  sock.pause(); // never reads: the server's queue grows until the limit
  try {
    await waitFor(async () => (await liveSubscribers()) === 1, "the stream to open");
    // 7 KB paths make ~7 KB events; 4 MiB of backlog plus the kernel's socket buffers fill well
    // before 300 rounds. Stopping as soon as the subscriber is gone keeps the test short.
    const path = `/${"p".repeat(7000)}`;
    let rounds = 0;
    while ((await liveSubscribers()) === 1) {
      assert.ok(++rounds <= 300, "the stalled subscriber was never dropped");
      await Promise.all(range(1, 20).map(() => send(ep, path)));
    }
    assert.equal(await liveSubscribers(), 0);
    // The endpoint still works for everyone else.
    const c = await subscribe(ep);
    await c.waitFor(isReady, "ready");
    await send(ep, "/after-drop");
    await c.waitFor((x) => seqs(x).length === 1, "live capture after the drop");
  } finally {
    sock.destroy();
  }
});

test("two replicas on one database: a capture taken by one reaches subscribers of the other", async () => {
  const replica = await startApp({ databaseUrl: db.url, env: APP_ENV });
  try {
    const ep = await createEndpoint(app.baseUrl);
    const c = await SseClient.open(`${replica.baseUrl}/api/endpoints/${ep.id}/events`, auth(ep));
    open.push(c);
    assert.equal(c.status, 200);
    await c.waitFor(isReady, "ready on the replica");
    for (let i = 1; i <= 3; i++) await send(ep, `/via-first-${i}`); // captureUrl points at the first server
    await c.waitFor((x) => seqs(x).length === 3, "captures from the other replica");
    assert.deepEqual(seqs(c), [1, 2, 3]);
    c.close();
    await waitFor(async () => (await liveSubscribers(replica.baseUrl)) === 0, "the replica to release its subscriber");
  } finally {
    await replica.stop();
  }
});

test("a server restart loses nothing: streams end cleanly and Last-Event-ID resumes on the new server", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const c = await subscribe(ep);
  await c.waitFor(isReady, "ready");
  await send(ep, "/before-1");
  await send(ep, "/before-2");
  await c.waitFor((x) => seqs(x).length === 2, "captures before the restart");
  const lastId = c.captures().at(-1)!._id!;

  await app.stop();
  assert.equal(app.process.exitCode, 0, `clean exit, not the forced one:\n${app.output().slice(-2000)}`);
  await c.waitForClose();
  assert.equal(c.ended, true, `the stream ended cleanly (error: ${c.error?.message})`);

  app = await startApp({ databaseUrl: db.url, env: APP_ENV, port: app.port }); // same address, as a restart keeps it
  for (let i = 1; i <= 3; i++) await send(ep, `/after-restart-${i}`);
  const again = await subscribe(ep, { lastEventId: lastId });
  await again.waitFor(isReady, "ready on the new server");
  assert.deepEqual(catchUpSeqs(again), [3, 4, 5]);
  await send(ep, "/live-on-new-server");
  await again.waitFor((x) => seqs(x).length === 4, "live capture on the new server");
  assert.deepEqual(seqs(again), [3, 4, 5, 6]);
  again.close();
});

/** pid of the server's LISTEN connection on this test's database. */
async function listenBackendPid(): Promise<number> {
  const c = new pg.Client({ connectionString: adminUrlFor("postgres") });
  await c.connect();
  try {
    const { rows } = await c.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'LISTEN%' AND application_name = 'hookscope-live'`,
      [db.name],
    );
    if (rows.length !== 1) throw new Error(`expected one LISTEN connection, found ${rows.length}`);
    return rows[0]!.pid;
  } finally {
    await c.end();
  }
}

function adminUrlFor(database: string): string {
  const u = new URL(db.url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Inserts n captures straight into the table (as a long outage would leave them), seq after the current. */
async function seedCaptures(endpointId: string, n: number): Promise<void> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query("BEGIN");
    const { rows } = await c.query<{ capture_seq: string }>("SELECT capture_seq FROM endpoints WHERE id = $1 FOR UPDATE", [endpointId]);
    const from = Number(rows[0]!.capture_seq) + 1;
    await c.query(
      `INSERT INTO captures (id, endpoint_id, seq, method, path, headers, body, body_size, remote_address, http_version,
                             received_at, duration_us, response_status)
       SELECT gen_random_uuid(), $1::uuid, s, 'POST', '/seed-' || s, '[]'::jsonb, ''::bytea, 0, '127.0.0.1', '1.1', now(), 0, 200
         FROM generate_series($2::bigint, $3::bigint) s`,
      [endpointId, from, from + n - 1],
    );
    await c.query("UPDATE endpoints SET capture_seq = $2, capture_count = capture_count + $3 WHERE id = $1", [endpointId, from + n - 1, n]);
    await c.query("COMMIT");
  } finally {
    await c.end();
  }
}
