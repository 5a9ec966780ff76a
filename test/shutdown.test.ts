// Shutdown under keep-alive traffic against the real server: SIGTERM while stored captures wait
// out their endpoint's configured delay, and more requests arrive on their kept-alive
// connections. The promise: no capture is stored and then left unanswered (the provider would
// retry it and the user would see it twice). Stored ones get their answer, delay included; ones
// that arrive after shutdown began get 503 + Retry-After + Connection: close and are not stored.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import pg from "pg";
import { createEndpoint, startApp } from "./support/app";
import { ackId } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { RawConnection, requestBytes, type RawResponse } from "./support/raw-http";
import { waitFor } from "./support/wait";

/** Longer than the 5 s the old shutdown waited for open connections before it exited. */
const DELAY_MS = 6_000;

let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("shutdown");
});
after(async () => {
  if (db) await dropDatabase(db.name);
});

async function storedPaths(endpointId: string): Promise<Map<string, string>> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ id: string; path: string }>("SELECT id::text, path FROM captures WHERE endpoint_id = $1", [
      endpointId,
    ]);
    return new Map(rows.map((r) => [r.path, r.id]));
  } finally {
    await c.end();
  }
}

function assertShuttingDown(r: RawResponse, what: string): void {
  assert.equal(r.status, 503, `${what}: ${r.status} ${r.body.toString()}`);
  assert.equal(r.header("retry-after"), "2", what);
  assert.equal(r.header("connection"), "close", what);
  assert.equal((JSON.parse(r.body.toString()) as { error: { code: string } }).error.code, "SHUTTING_DOWN", what);
}

test("SIGTERM: stored captures get their delayed answer; captures arriving on kept-alive sockets after it get 503 and are not stored", async () => {
  const app = await startApp({ databaseUrl: db.url });
  try {
    const ep = await createEndpoint(app.baseUrl, { name: "shutdown", response: { delayMs: DELAY_MS } });
    const post = (path: string, body = "x", extra: [string, string][] = []) =>
      requestBytes(
        `POST /h/${ep.slug}${path} HTTP/1.1`,
        [["Host", `127.0.0.1:${app.port}`], ["Content-Length", String(Buffer.byteLength(body))], ...extra],
        body,
      );

    // Stored before the signal, each waiting out the delay on its own kept-alive connection. On
    // the first two a second request follows after the signal (pipelined behind the first).
    const conns = await Promise.all(Array.from({ length: 4 }, () => RawConnection.open(app.port)));
    const sentAt = Date.now();
    const firsts = conns.map((c) => c.response({ timeoutMs: 40_000 }));
    await Promise.all(conns.map((c, i) => c.write(post(`/before-${i}`))));
    await waitFor(async () => (await storedPaths(ep.id)).size === conns.length, "the first captures to be stored");

    // A capture whose headers arrived before the signal and whose body ends after it.
    const slow = await RawConnection.open(app.port);
    const continued = new Promise<void>((resolve) => slow.socket.once("data", () => resolve()));
    const slowAnswer = slow.response({ timeoutMs: 40_000 });
    await slow.write(post("/slow-body", "abcd", [["Expect", "100-continue"]]).subarray(0, -2));
    await continued; // "100 Continue": the server is reading this request's body

    app.process.kill("SIGTERM");
    await waitFor(() => app.output().includes("SIGTERM: shutting down"), "the server to start shutting down");
    const seconds = [0, 1].map((i) => conns[i]!.response({ timeoutMs: 40_000 }).catch((e: Error) => e));
    await Promise.all([0, 1].map((i) => conns[i]!.write(post(`/after-${i}`))));
    await slow.write("cd");

    const answers = await Promise.all(firsts);
    const waited = Date.now() - sentAt;
    for (const [i, r] of answers.entries()) {
      assert.equal(r.status, 200, `before-${i}: ${r.status} ${r.body.toString()}`);
      // Only the last request on a connection closes it; one with a request behind it stays open for its answer.
      assert.equal(r.header("connection"), i < 2 ? "keep-alive" : "close", `before-${i}`);
    }
    assert.ok(waited >= DELAY_MS, `answered after the configured delay (${waited} ms)`);
    for (const [i, r] of (await Promise.all(seconds)).entries()) {
      assert.ok(!(r instanceof Error), `after-${i} was answered: ${String(r)}`);
      assertShuttingDown(r, `after-${i}`);
    }
    assertShuttingDown(await slowAnswer, "the body that finished after the signal");

    await app.stop();
    assert.equal(app.process.exitCode, 0, app.output());
    const stored = await storedPaths(ep.id);
    assert.deepEqual(
      [...stored.keys()].sort(),
      conns.map((_, i) => `/before-${i}`),
      "exactly the captures stored before the signal",
    );
    for (const [i, r] of answers.entries()) assert.equal(stored.get(`/before-${i}`), ackId(r.body), `before-${i} answered with its id`);
  } finally {
    await app.kill();
  }
});
