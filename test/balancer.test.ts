// HAProxy (scripts/balancer.ts, as `npm run start:cluster` and compose.yaml run it) in front of two
// replicas with PROXY_PROTOCOL=1: connections are spread over both; what a sender sends is stored
// byte for byte (header names' case and order, no header added, odd paths, any method, chunked
// and large bodies) with the sender's address from the PROXY header; live streams pass through
// as they are written; and a replica that stops is routed around. Needs Debian's `haproxy`
// (.ci/run installs it).
import assert from "node:assert/strict";
import crypto from "node:crypto";
import net from "node:net";
import { after, before, test } from "node:test";
import pg from "pg";
import { startBalancer, type RunningBalancer } from "../scripts/balancer";
import { createEndpoint, freePort, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { SseClient } from "./support/sse";
import { waitFor } from "./support/wait";

let a: RunningApp;
let b: RunningApp;
let lb: RunningBalancer;
let db: { name: string; url: string };
let sql: pg.Client;

const SHARED = {
  SECRETS_KEY: crypto.randomBytes(32).toString("base64"),
  PROXY_PROTOCOL: "1",
  LOG_CAPTURES: "true",
  LIVE_HEARTBEAT_MS: "500",
};

before(async () => {
  db = await createTestDatabase("balancer");
  [a, b] = await Promise.all([startApp({ databaseUrl: db.url, env: SHARED }), startApp({ databaseUrl: db.url, env: SHARED })]);
  lb = await startBalancer({ host: "127.0.0.1", port: await freePort(), upstreams: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`] });
  await bothUp();
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
after(async () => {
  await sql?.end();
  await lb?.stop();
  await Promise.all([a?.stop(), b?.stop()]);
  if (db) await dropDatabase(db.name);
});

/**
 * Sends `raw` on a new connection to `port` and resolves with everything answered until the
 * server closes it (requests say Connection: close; the client does not half-close first).
 */
function rawExchange(port: number, raw: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, "127.0.0.1", () => s.write(raw));
    let out = "";
    s.on("data", (d: Buffer) => (out += d.toString("latin1")));
    s.on("close", () => resolve(out));
    s.on("error", reject);
  });
}

/**
 * Waits until HAProxy counts both replicas as up: the spread test needs both, and a replica a
 * slow health check took out (on a loaded machine) comes back after one good check.
 */
async function bothUp(): Promise<void> {
  await waitFor(async () => (await lb.serversUp()).length === 2, "HAProxy to count both replicas up");
}

/** Capture ids each replica logged (LOG_CAPTURES). */
function loggedBy(app: RunningApp): Set<string> {
  return new Set([...app.output().matchAll(/"captureId":"([0-9a-f-]{36})"/g)].map((m) => m[1]!));
}

test("through HAProxy: connections spread over both replicas; every capture stored byte for byte with the sender's address", async () => {
  const ep = await createEndpoint(lb.url, { name: "via haproxy" });
  await bothUp();
  const big = crypto.randomBytes(3 * 1024 * 1024);
  const sent: { method: string; target: string; headers: [string, string][]; body: Buffer; chunked?: boolean }[] = [];
  for (let i = 0; i < 6; i++)
    sent.push({
      method: ["POST", "PUT", "PROPFIND", "post", "PATCH", "DELETE"][i]!,
      target: `/h/${ep.slug}//a/../b%2Fc/${i}?x=%41&y`,
      headers: [
        ["Host", `127.0.0.1:${lb.port}`],
        ["X-MiXed-Case", "kept"],
        ["x_under_score", "u"],
        ["zeta", "1"],
        ["Alpha", "2"],
        ["zeta", "3"],
        ["Content-Type", "application/octet-stream"],
        ["Connection", "close"],
      ],
      body: i === 0 ? big : Buffer.from(`body ${i} \u00e9\r\n\x00`, "latin1"),
      chunked: i === 1,
    });
  const answers = await Promise.all(
    sent.map((s) => {
      const headers = [...s.headers, s.chunked ? ["Transfer-Encoding", "chunked"] : ["Content-Length", String(s.body.length)]];
      const head = `${s.method} ${s.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
      const body = s.chunked
        ? Buffer.concat([
            Buffer.from(`3\r\n`),
            s.body.subarray(0, 3),
            Buffer.from(`\r\n${(s.body.length - 3).toString(16)}\r\n`),
            s.body.subarray(3),
            Buffer.from("\r\n0\r\n\r\n"),
          ])
        : s.body;
      return rawExchange(lb.port, Buffer.concat([Buffer.from(head, "latin1"), body]));
    }),
  );
  const ids = answers.map((ans, i) => {
    assert.match(ans, /^HTTP\/1\.1 200 /, `request ${i}: ${ans.slice(0, 300)}`);
    return (JSON.parse(ans.slice(ans.indexOf("\r\n\r\n") + 4)) as { id: string }).id;
  });

  const { rows } = await sql.query<{
    id: string;
    method: string;
    path: string;
    query: string;
    headers: [string, string][];
    body: Buffer;
    remote_address: string;
  }>("SELECT id, method, path, query, headers, body, remote_address FROM captures WHERE endpoint_id = $1", [ep.id]);
  for (const [i, s] of sent.entries()) {
    const row = rows.find((r) => r.id === ids[i]);
    assert.ok(row, `capture ${i} stored`);
    assert.equal(row.method, s.method);
    assert.equal(row.path, `//a/../b%2Fc/${i}`);
    assert.equal(row.query, "x=%41&y");
    // Exactly the sender's header lines: no X-Forwarded-For, nothing lower-cased or moved.
    const expected = [...s.headers, s.chunked ? ["Transfer-Encoding", "chunked"] : ["Content-Length", String(s.body.length)]];
    assert.deepEqual(row.headers, expected, `headers of capture ${i}`);
    assert.ok(row.body.equals(s.body), `body of capture ${i} (${row.body.length} bytes stored, ${s.body.length} sent)`);
    assert.equal(row.remote_address, "127.0.0.1");
  }
  // Round robin over connections: both replicas stored some of these.
  const onA = ids.filter((id) => loggedBy(a).has(id)).length;
  const onB = ids.filter((id) => loggedBy(b).has(id)).length;
  assert.equal(onA + onB, ids.length);
  assert.ok(onA >= 2 && onB >= 2, `spread over both replicas: ${onA} on A, ${onB} on B; HAProxy said:\n${lb.output()}`);
});

test("PROXY_PROTOCOL=1: the address in the PROXY header is the one stored; a connection without the header is closed unanswered", async () => {
  const ep = await createEndpoint(lb.url, { name: "proxy header" });
  const addr = Buffer.from([203, 0, 113, 7, 127, 0, 0, 1, 0xc3, 0x50, 0x0b, 0xb8]);
  const header = Buffer.concat([Buffer.from("0d0a0d0a000d0a515549540a2111000c", "hex"), addr]);
  const req = `POST /h/${ep.slug}/direct HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\nhi`;
  const ans = await rawExchange(a.port, Buffer.concat([header, Buffer.from(req)]));
  assert.match(ans, /^HTTP\/1\.1 200 /, ans);
  const { id } = JSON.parse(ans.slice(ans.indexOf("\r\n\r\n") + 4)) as { id: string };
  const { rows } = await sql.query<{ remote_address: string }>("SELECT remote_address FROM captures WHERE id = $1", [id]);
  assert.equal(rows[0]!.remote_address, "203.0.113.7");

  // Straight to a replica without the header: anyone could otherwise claim any address.
  assert.equal(await rawExchange(a.port, req), "");
  const { rows: n } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM captures WHERE endpoint_id = $1", [ep.id]);
  assert.equal(n[0]!.n, 1);
});

test("a live stream through HAProxy delivers each capture as it is stored, heartbeats included", async () => {
  const ep = await createEndpoint(lb.url, { name: "live via haproxy" });
  const stream = await SseClient.open(`${lb.url}/api/endpoints/${ep.id}/events`, { authorization: `Bearer ${ep.managementKey}` });
  try {
    assert.equal(stream.status, 200);
    await stream.waitFor((c) => c.events.some((e) => e.event === "ready"), "ready");
    // One capture at a time, each seen on the open stream before the next is sent: nothing is held back.
    for (let i = 1; i <= 3; i++) {
      const r = await fetch(`${lb.url}/h/${ep.slug}/live/${i}`, { method: "POST", body: `live ${i}` });
      assert.equal(r.status, 200);
      await r.arrayBuffer();
      await stream.waitFor((c) => c.captures().length === i, `capture ${i} on the stream`, 10_000);
    }
    const beats = stream.comments.length;
    await stream.waitFor((c) => c.comments.length > beats, "a heartbeat after the captures", 10_000);
  } finally {
    stream.close();
  }
});

test("a replica stopped with SIGTERM: HAProxy sends every new connection to the other", async () => {
  const ep = await createEndpoint(lb.url, { name: "failover" });
  await a.stop();
  for (let i = 0; i < 10; i++) {
    const r = await fetch(`${lb.url}/h/${ep.slug}/after-stop/${i}`, { method: "POST", body: "after", headers: { connection: "close" } });
    assert.equal(r.status, 200, `request ${i} after A stopped`);
    await r.arrayBuffer();
  }
  const { rows } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM captures WHERE endpoint_id = $1", [ep.id]);
  assert.equal(rows[0]!.n, 10);
  // And its health check takes it out: HAProxy counts only B as up.
  await waitFor(async () => (await lb.serversUp()).join() === `127.0.0.1:${b.port}`, "HAProxy to count only B up", 15_000);
});
