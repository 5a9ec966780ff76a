// Hostile input at the public capture URL, over raw sockets against the real server: malformed
// and ambiguous requests are refused with 400 and never stored, oversized headers get 431,
// stalled and trickling clients are cut off by the configured timeouts without holding a
// database connection, one address cannot hold every socket, and rate limits answer 429.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import pg from "pg";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { ackId, getCapture, getCaptureBody, getEndpoint, listCaptures, type EndpointRef } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { RawConnection, rawRequest, requestBytes, type RawResponse } from "./support/raw-http";
import { waitFor } from "./support/wait";

const HEADERS_TIMEOUT_S = 2;
const REQUEST_TIMEOUT_S = 3;
/** node checks its timeouts every second (server.ts connectionsCheckingInterval). */
const CHECK_INTERVAL_S = 1;
const PER_IP = 40;
const POOL_SIZE = 4;

let app: RunningApp;
let limited: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("hostile");
  [app, limited] = await Promise.all([
    startApp({
      databaseUrl: db.url,
      env: {
        HEADERS_TIMEOUT_SECONDS: String(HEADERS_TIMEOUT_S),
        REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_S),
        MAX_CONNECTIONS_PER_IP: String(PER_IP),
        DATABASE_POOL_SIZE: String(POOL_SIZE),
      },
    }),
    // Behind one trusted proxy, so X-Forwarded-For stands in for many client addresses.
    startApp({
      databaseUrl: db.url,
      env: {
        TRUST_PROXY: "1",
        RATE_LIMIT_IP_PER_SECOND: "2",
        RATE_LIMIT_IP_BURST: "10",
        RATE_LIMIT_ENDPOINT_PER_SECOND: "2",
        RATE_LIMIT_ENDPOINT_BURST: "20",
      },
    }),
  ]);
});
after(async () => {
  await Promise.all([app?.stop(), limited?.stop()]);
  if (db) await dropDatabase(db.name);
});

const host = (a: RunningApp = app): [string, string] => ["Host", `127.0.0.1:${a.port}`];

function errorCode(res: RawResponse): string {
  return (JSON.parse(res.body.toString()) as { error: { code: string } }).error.code;
}

/** Resolves with the milliseconds until the server closed the connection. */
async function closedAfter(conn: RawConnection, since: number): Promise<number> {
  await conn.closed;
  return performance.now() - since;
}

/** Every response that arrives on a connection until it closes (a refusal may come before the close). */
async function responsesUntilClose(conn: RawConnection): Promise<RawResponse[]> {
  const out: RawResponse[] = [];
  for (;;) {
    try {
      out.push(await conn.response({ timeoutMs: 20_000 }));
    } catch {
      return out;
    }
  }
}

async function assertNothingStored(ep: EndpointRef, what: string): Promise<void> {
  assert.deepEqual(
    (await listCaptures(app.baseUrl, ep)).map((c) => c.path),
    [],
    `${what}: nothing may be stored`,
  );
  assert.equal((await getEndpoint(app.baseUrl, ep)).captureCount, 0, what);
}

/** node's own refusals (400, 408, 431) carry the API's error envelope too (lib/server/http/client-error.ts). */
function assertEnvelope(r: RawResponse, code: string): void {
  assert.match(r.header("content-type") ?? "", /^application\/json/);
  const body = JSON.parse(r.body.toString()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code);
  assert.ok(body.error.message.length > 10, body.error.message);
}

// --- 4. a body that never finishes -----------------------------------------------------------

test("Content-Length larger than what is sent, then a stall: closed after REQUEST_TIMEOUT_SECONDS, no database connection held, nothing stored", async () => {
  const ep = await createEndpoint(app.baseUrl);
  // More stalled uploads than the pool has connections: if a stalled request held one, the
  // capture below would queue behind them until they time out.
  const stalled = await Promise.all(Array.from({ length: POOL_SIZE * 3 }, () => RawConnection.open(app.port)));
  const since = performance.now();
  for (const [i, conn] of stalled.entries()) {
    await conn.write(requestBytes(`POST /h/${ep.slug}/stalled-${i} HTTP/1.1`, [host(), ["Content-Length", "100000"]], "only part of it"));
  }
  const answers = stalled.map((c) => responsesUntilClose(c));

  const quick = performance.now();
  const ok = await fetch(`${ep.captureUrl}/meanwhile`, { method: "POST", body: "x" });
  assert.equal(ok.status, 200);
  const quickMs = performance.now() - quick;
  assert.ok(quickMs < REQUEST_TIMEOUT_S * 1000, `a capture during the stall took ${quickMs.toFixed(0)} ms`);
  const stalledAtQuick = stalled.filter((c) => !c.isClosed).length;
  assert.equal(stalledAtQuick, stalled.length, "the stalled uploads were still open while the capture went through");

  const closedMs = await Promise.all(stalled.map((c) => closedAfter(c, since)));
  for (const ms of closedMs) {
    assert.ok(ms >= (REQUEST_TIMEOUT_S - 0.5) * 1000, `closed after ${ms.toFixed(0)} ms, before the request timeout`);
    assert.ok(ms <= (REQUEST_TIMEOUT_S + CHECK_INTERVAL_S + 2) * 1000, `closed only after ${ms.toFixed(0)} ms`);
  }
  for (const rs of await Promise.all(answers)) {
    // node answers 408 when it can; a closed connection without an answer is also a refusal.
    for (const r of rs) {
      assert.equal(r.status, 408);
      assertEnvelope(r, "REQUEST_TIMEOUT");
    }
  }
  assert.deepEqual(
    (await listCaptures(app.baseUrl, ep)).map((c) => c.path),
    ["/meanwhile"],
    "an upload that never finished was not stored",
  );

  // And none of them left a connection behind on the database side either.
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    const { rows } = await c.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'",
    );
    assert.equal(Number(rows[0]!.n) <= 1, true, `${rows[0]!.n} active queries left behind (the LISTEN connection is idle)`);
  } finally {
    await c.end();
  }
});

// --- 5. slowloris and the per-address connection cap ----------------------------------------

test("slow headers from many sockets: each closed within HEADERS_TIMEOUT_SECONDS while others are served", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const sockets = await Promise.all(Array.from({ length: 30 }, () => RawConnection.open(app.port)));
  const since = performance.now();
  let dripping = true;
  // One header byte every 200 ms: always "making progress", never finishing the headers.
  const drips = sockets.map(async (conn, i) => {
    await conn.write(`POST /h/${ep.slug}/slow-${i} HTTP/1.1\r\nHost: x\r\nX-Slow: `).catch(() => {});
    while (dripping && !conn.isClosed) {
      await new Promise((r) => setTimeout(r, 200));
      await conn.write("a").catch(() => {});
    }
  });
  const closing = sockets.map((c) => closedAfter(c, since));

  const ok = await fetch(`${ep.captureUrl}/served`, { method: "POST", body: "x" });
  assert.equal(ok.status, 200, "a normal capture is served during the attack");

  const closedMs = await Promise.all(closing);
  dripping = false;
  await Promise.all(drips);
  for (const ms of closedMs) {
    assert.ok(ms >= (HEADERS_TIMEOUT_S - 0.5) * 1000, `closed after ${ms.toFixed(0)} ms, before the headers timeout`);
    assert.ok(ms <= (HEADERS_TIMEOUT_S + CHECK_INTERVAL_S + 2) * 1000, `a trickling client held its socket ${ms.toFixed(0)} ms`);
  }
  assert.deepEqual(
    (await listCaptures(app.baseUrl, ep)).map((c) => c.path),
    ["/served"],
  );
});

test("silent, then a request line trickled a byte at a time: cut HEADERS_TIMEOUT_SECONDS after connecting, not after the first byte", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const conn = await RawConnection.open(app.port);
  const since = performance.now();
  const closing = closedAfter(conn, since);
  const answer = conn.response({ timeoutMs: 20_000 }).catch(() => null);
  // The client's own timing: quiet for most of the timeout, then the head one byte per 150 ms.
  // node:http's headersTimeout alone would count from the first bytes it was handed.
  await Promise.race([conn.closed, new Promise((r) => setTimeout(r, 1_200))]);
  for (const ch of `POST /h/${ep.slug}/trickled HTTP/1.1\r\nHost: x\r\nX-Slow: ${"a".repeat(100)}`) {
    if (conn.isClosed) break;
    await conn.write(ch).catch(() => {});
    await Promise.race([conn.closed, new Promise((r) => setTimeout(r, 150))]);
  }
  const ms = await closing;
  assert.ok(ms <= (HEADERS_TIMEOUT_S + 0.9) * 1000, `a silent-then-trickling client held its socket ${ms.toFixed(0)} ms`);
  const r = await answer;
  if (r) assert.equal(r.status, 408); // a closed connection without an answer is also a refusal
  assert.deepEqual(await listCaptures(app.baseUrl, ep), []);
});

test(`one address holding ${PER_IP} connections gets 503 + Retry-After for the next one, and a slot again once one closes`, async () => {
  const ep = await createEndpoint(app.baseUrl);
  // Opened at once and idle; the test is done well within the headers timeout that would close them.
  const held = await Promise.all(Array.from({ length: PER_IP }, () => RawConnection.open(app.port)));
  try {
    const extra = await RawConnection.open(app.port);
    const refused = await extra.response();
    assert.equal(refused.status, 503);
    assert.equal(refused.header("retry-after"), "1");
    assert.equal(errorCode(refused), "RATE_LIMITED");
    await extra.closed;

    held.pop()!.destroy();
    // The server sees the close a moment later; then a new connection is served.
    await waitFor(async () => {
      const r = await rawRequest(
        app.port,
        requestBytes(`POST /h/${ep.slug}/after HTTP/1.1`, [host(), ["Content-Length", "1"], ["Connection", "close"]], "x"),
      ).catch(() => null);
      return r?.status === 200;
    }, "a free slot after one connection closed");
  } finally {
    for (const c of held) c.destroy();
  }
  assert.deepEqual(
    (await listCaptures(app.baseUrl, ep)).map((c) => c.path),
    ["/after"],
  );
});

// --- 6. oversized headers -------------------------------------------------------------------

test("a header over 16 KiB, or very many headers, get 431 and are not stored; 1,500 small headers are all kept", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const target = `POST /h/${ep.slug}/hdr HTTP/1.1`;
  const big = await rawRequest(app.port, requestBytes(target, [host(), ["X-Big", "a".repeat(17 * 1024)], ["Content-Length", "0"]]));
  assert.equal(big.status, 431);
  assertEnvelope(big, "HEADERS_TOO_LARGE");
  const many: [string, string][] = Array.from({ length: 3000 }, (_, i) => [`X-H${i}`, "v"]);
  const manyRes = await rawRequest(app.port, requestBytes(target, [host(), ...many, ["Content-Length", "0"]]));
  assert.equal(manyRes.status, 431);
  await assertNothingStored(ep, "431");

  // Under the size limit, the count is not capped: node would silently keep only the first 1000
  // pairs; capture keeps them all.
  const fine: [string, string][] = Array.from({ length: 1500 }, (_, i) => [`x${i}`, "v"]);
  const res = await rawRequest(app.port, requestBytes(target, [host(), ...fine, ["Content-Length", "0"], ["Connection", "close"]]));
  assert.equal(res.status, 200);
  const c = await getCapture(app.baseUrl, ep, ackId(res.body));
  assert.deepEqual(
    c.headers.filter(([n]) => /^x\d+$/.test(n)),
    fine,
  );
});

// --- 8 and 9. malformed and ambiguous framing -------------------------------------------------

test("NUL in a header, bare LF line endings, space before the colon: 400, nothing stored", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const t = `/h/${ep.slug}/bad`;
  const shapes: [string, string][] = [
    ["NUL in a header value", `POST ${t} HTTP/1.1\r\nHost: x\r\nX-Evil: a\x00b\r\nContent-Length: 1\r\n\r\nx`],
    ["NUL in a header name", `POST ${t} HTTP/1.1\r\nHost: x\r\nX-E\x00vil: a\r\nContent-Length: 1\r\n\r\nx`],
    ["bare LF line endings", `POST ${t} HTTP/1.1\nHost: x\nContent-Length: 1\n\nx`],
    ["bare LF after one header", `POST ${t} HTTP/1.1\r\nHost: x\nContent-Length: 1\r\n\r\nx`],
    ["bare CR", `POST ${t} HTTP/1.1\r\nHost: x\rX-A: b\r\nContent-Length: 1\r\n\r\nx`],
    ["space before the colon", `POST ${t} HTTP/1.1\r\nHost: x\r\nContent-Length : 1\r\n\r\nx`],
    ["space before the colon, other header", `POST ${t} HTTP/1.1\r\nHost: x\r\nX-Thing : 1\r\nContent-Length: 1\r\n\r\nx`],
    ["obsolete line folding", `POST ${t} HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\nContent-Length: 1\r\n\r\nx`],
  ];
  for (const [label, bytes] of shapes) {
    const res = await rawRequest(app.port, Buffer.from(bytes, "latin1"));
    assert.equal(res.status, 400, `${label}: got ${res.status}`);
    assertEnvelope(res, "BAD_REQUEST");
  }
  await assertNothingStored(ep, "malformed requests");
});

test("request-smuggling shapes get 400 and the request appended behind them is never captured", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const t = `/h/${ep.slug}`;
  const smuggled = `GET ${t}/smuggled HTTP/1.1\r\nHost: x\r\n\r\n`;
  const shapes: [string, string][] = [
    [
      "Content-Length with Transfer-Encoding",
      `POST ${t}/cl-te HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    ],
    [
      "Transfer-Encoding with Content-Length",
      `POST ${t}/te-cl HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
    ],
    ["two different Content-Lengths", `POST ${t}/cl-cl HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 5\r\n\r\nxxxxx`],
    ["the same Content-Length twice", `POST ${t}/cl-same HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nxxxxx`],
    ["Content-Length as a list", `POST ${t}/cl-list HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 5\r\n\r\nxxxxx`],
    ["Transfer-Encoding: xchunked", `POST ${t}/xchunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n`],
    [
      "Transfer-Encoding: chunked, identity",
      `POST ${t}/te-list HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n`,
    ],
    ["a negative Content-Length", `POST ${t}/cl-neg HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n`],
    ["a chunk size that is not hex", `POST ${t}/bad-chunk HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`],
  ];
  for (const [label, bytes] of shapes) {
    const conn = await RawConnection.open(app.port);
    try {
      const answers = responsesUntilClose(conn);
      await conn.write(Buffer.from(bytes + smuggled, "latin1")).catch(() => {});
      const rs = await answers;
      assert.equal(rs.length, 1, `${label}: one answer, then the connection is closed (got ${rs.map((r) => r.status).join(", ")})`);
      assert.equal(rs[0]!.status, 400, `${label}: got ${rs[0]!.status}`);
    } finally {
      conn.destroy();
    }
  }
  await assertNothingStored(ep, "smuggling shapes");
});

// --- 14. paths that try to leave the endpoint -------------------------------------------------

test("..%2F, dot segments and encoded slugs never reach another route: a capture under the slug, or a small 404, never a redirect", async () => {
  const ep = await createEndpoint(app.baseUrl);
  // Below a real slug the path is the sender's business: stored exactly as sent.
  for (const sub of ["/..%2F..%2Fapi%2Fendpoints", "/../../api/endpoints", "/%2e%2e/%2e%2e/api/health"]) {
    const res = await rawRequest(app.port, requestBytes(`GET /h/${ep.slug}${sub} HTTP/1.1`, [host(), ["Connection", "close"]]));
    assert.equal(res.status, 200, sub);
    assert.equal(res.header("location"), undefined, sub);
    const c = await getCapture(app.baseUrl, ep, ackId(res.body));
    assert.equal(c.path, sub, "stored without decoding or normalising");
  }
  // In place of the slug: no endpoint, no routing elsewhere.
  for (const target of [
    "/h/..%2Fapi%2Fendpoints",
    "/h/../api/endpoints",
    "/h/%2e%2e/api/health",
    `/h/${ep.slug.toUpperCase()}`,
    "/h/%00",
  ]) {
    const started = performance.now();
    const res = await rawRequest(app.port, requestBytes(`GET ${target} HTTP/1.1`, [host(), ["Connection", "close"]]));
    assert.equal(res.status, 404, target);
    assert.equal(res.header("location"), undefined, target);
    assert.equal(errorCode(res), "NOT_FOUND");
    assert.ok(performance.now() - started < 2_000, `${target} was not cheap`);
  }
  assert.equal((await getEndpoint(app.baseUrl, ep)).captureCount, 3);
});

// --- rate limits over the wire -----------------------------------------------------------------

async function burst(
  a: RunningApp,
  slug: string,
  from: string,
  n: number,
): Promise<{ ok: string[]; limited: { retryAfter: string | undefined; message: string }[] }> {
  const out = { ok: [] as string[], limited: [] as { retryAfter: string | undefined; message: string }[] };
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      rawRequest(
        a.port,
        requestBytes(
          `POST /h/${slug}/${i} HTTP/1.1`,
          [host(a), ["X-Forwarded-For", from], ["Content-Length", "1"], ["Connection", "close"]],
          "x",
        ),
      ),
    ),
  );
  for (const r of results) {
    if (r.status === 200) out.ok.push(ackId(r.body));
    else {
      assert.equal(r.status, 429, r.body.toString());
      assert.equal(errorCode(r), "RATE_LIMITED");
      out.limited.push({
        retryAfter: r.header("retry-after"),
        message: (JSON.parse(r.body.toString()) as { error: { message: string } }).error.message,
      });
    }
  }
  return out;
}

test("rate limits: one address over its burst gets 429 + Retry-After and is not stored; others and other endpoints are unaffected", async () => {
  const a = await createEndpoint(limited.baseUrl);
  const b = await createEndpoint(limited.baseUrl);
  const flood = await burst(limited, a.slug, "203.0.113.7", 40);
  // Burst 10 at 2/s: a slow machine may refill a token or two while the 40 arrive.
  assert.ok(flood.ok.length >= 10 && flood.ok.length <= 14, `${flood.ok.length} accepted`);
  assert.equal(flood.ok.length + flood.limited.length, 40);
  for (const l of flood.limited) {
    assert.match(l.retryAfter ?? "", /^[1-9]\d*$/);
    assert.match(l.message, /from your address/);
  }
  // Only what was accepted is stored.
  assert.deepEqual((await listCaptures(limited.baseUrl, a)).map((c) => c.id).sort(), flood.ok.sort());

  // Another address to the same endpoint, and the flooding address's neighbours, still get in.
  const other = await burst(limited, a.slug, "198.51.100.1", 3);
  assert.equal(other.ok.length, 3);
  const elsewhere = await burst(limited, b.slug, "198.51.100.2", 3);
  assert.equal(elsewhere.ok.length, 3);
});

test("rate limits: many addresses together over one endpoint's burst get 429 naming the endpoint; other endpoints are unaffected", async () => {
  const ep = await createEndpoint(limited.baseUrl);
  const rounds = await Promise.all(Array.from({ length: 5 }, (_, i) => burst(limited, ep.slug, `192.0.2.${i + 1}`, 8)));
  const ok = rounds.flatMap((r) => r.ok);
  const refused = rounds.flatMap((r) => r.limited);
  assert.ok(ok.length >= 20 && ok.length <= 24, `${ok.length} accepted of 40 against a burst of 20`);
  assert.equal(ok.length + refused.length, 40);
  for (const l of refused) {
    assert.match(l.retryAfter ?? "", /^[1-9]\d*$/);
    assert.match(l.message, /to this endpoint/);
  }
  assert.equal((await getEndpoint(limited.baseUrl, ep)).captureCount, ok.length);

  // While that endpoint's bucket is empty, another endpoint takes captures from the same senders.
  const other = await createEndpoint(limited.baseUrl);
  const fromSame = await burst(limited, other.slug, "192.0.2.1", 2);
  assert.equal(fromSame.ok.length, 2, "another endpoint, same address: accepted");
  assert.equal((await getEndpoint(limited.baseUrl, other)).captureCount, 2);
});

test("Expect: 100-continue with a Content-Length over the cap: 413 without inviting the body", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const conn = await RawConnection.open(app.port);
  try {
    let raw = "";
    conn.socket.on("data", (d: Buffer) => (raw += d.toString("latin1")));
    const answer = conn.response();
    await conn.write(
      requestBytes(`POST /h/${ep.slug}/expect HTTP/1.1`, [
        host(),
        ["Content-Length", String(1024 * 1024 * 1024)],
        ["Expect", "100-continue"],
      ]),
    );
    const res = await answer;
    assert.equal(res.status, 413);
    assert.doesNotMatch(raw, /100 Continue/);
  } finally {
    conn.destroy();
  }
  // A small one is invited and stored.
  const conn2 = await RawConnection.open(app.port);
  try {
    let raw = "";
    conn2.socket.on("data", (d: Buffer) => (raw += d.toString("latin1")));
    const answer = conn2.response();
    await conn2.write(requestBytes(`POST /h/${ep.slug}/small HTTP/1.1`, [host(), ["Content-Length", "2"], ["Expect", "100-continue"]]));
    await waitFor(() => raw.includes("100 Continue"), "100 Continue for a body under the cap");
    await conn2.write("ok");
    assert.equal((await answer).status, 200);
  } finally {
    conn2.destroy();
  }
  const list = await listCaptures(app.baseUrl, ep);
  assert.deepEqual(list.map((c) => [c.path, c.oversize]).sort(), [
    ["/expect", true],
    ["/small", false],
  ]);
});

test("a client that shuts its sending side after a whole request gets its answer and the capture is stored; a FIN mid-body stores nothing", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const c = await RawConnection.open(app.port);
  const answered = c.response();
  await c.write(requestBytes(`POST /h/${ep.slug}/half-closed HTTP/1.1`, [host(), ["Content-Length", "5"]], "hello"));
  c.end(); // FIN right behind the request, as `printf … | nc -N` sends it
  const res = await answered;
  assert.equal(res.status, 200);
  await c.closed; // and the server closes once it has answered
  const id = ackId(res.body);
  assert.equal((await getCapture(app.baseUrl, ep, id)).path, "/half-closed");
  assert.equal((await getCaptureBody(app.baseUrl, ep, id)).bytes.toString(), "hello");

  const cut = await RawConnection.open(app.port);
  await cut.write(requestBytes(`POST /h/${ep.slug}/cut HTTP/1.1`, [host(), ["Content-Length", "10"]], "hello"));
  cut.end();
  await cut.closed;
  const list = await listCaptures(app.baseUrl, ep);
  assert.deepEqual(
    list.map((x) => x.path),
    ["/half-closed"],
  );
});
