// The body size cap over real sockets: a declared Content-Length over the cap is refused before
// the body is read, a chunked body is cut off once it passes the cap, both leave a rejection
// record, and an oversized upload never makes the server hold more than the cap.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { ackId, getCapture, getCaptureBody, getEndpoint, listCaptures, type EndpointRef, wholeBody } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { chunk, LAST_CHUNK, RawConnection, rawRequest, requestBytes, type RawResponse } from "./support/raw-http";

const SMALL_CAP = 1024;
const MIB = 1024 * 1024;

let small: RunningApp;
let mib: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("limits");
  // Two servers on one database: a tiny cap for exact boundaries, 1 MiB for big uploads.
  [small, mib] = await Promise.all([
    startApp({ databaseUrl: db.url, env: { MAX_BODY_BYTES: String(SMALL_CAP) } }),
    startApp({ databaseUrl: db.url, env: { MAX_BODY_BYTES: String(MIB) } }),
  ]);
});
after(async () => {
  await Promise.all([small?.stop(), mib?.stop()]);
  if (db) await dropDatabase(db.name);
});

function host(app: RunningApp): [string, string] {
  return ["Host", `127.0.0.1:${app.port}`];
}

async function onlyCapture(app: RunningApp, ep: EndpointRef) {
  const list = await listCaptures(app.baseUrl, ep);
  assert.equal(list.length, 1, `expected one capture, found ${list.length}`);
  return getCapture(app.baseUrl, ep, list[0]!.id);
}

function assertTooLarge(res: RawResponse): void {
  assert.equal(res.status, 413);
  const body = JSON.parse(res.body.toString()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, "PAYLOAD_TOO_LARGE");
  assert.match(body.error.message, /MAX_BODY_BYTES/);
}

test("a body of exactly the cap, NUL bytes included, is accepted and stored byte-exact", async () => {
  const ep = await createEndpoint(small.baseUrl);
  const body = crypto.randomBytes(SMALL_CAP);
  // NUL bytes at both ends and in the middle: nothing on the way may treat the body as a C string.
  body.fill(0, 0, 64);
  body.fill(0, SMALL_CAP / 2, SMALL_CAP / 2 + 64);
  body.fill(0, SMALL_CAP - 64);
  const res = await rawRequest(
    small.port,
    requestBytes(`POST /h/${ep.slug}/edge HTTP/1.1`, [host(small), ["Content-Length", String(SMALL_CAP)], ["Connection", "close"]], body),
  );
  assert.equal(res.status, 200, res.body.toString());
  const id = ackId(res.body);
  const c = await getCapture(small.baseUrl, ep, id);
  assert.equal(c.oversize, false);
  assert.equal(c.size, SMALL_CAP);
  assert.equal(c.responseStatus, 200);
  assert.ok(wholeBody(c).equals(body));
  assert.ok((await getCaptureBody(small.baseUrl, ep, id)).bytes.equals(body));
});

test("a chunked body of exactly the cap is accepted", async () => {
  const ep = await createEndpoint(small.baseUrl);
  const body = crypto.randomBytes(SMALL_CAP);
  const res = await rawRequest(
    small.port,
    Buffer.concat([
      requestBytes(`POST /h/${ep.slug} HTTP/1.1`, [host(small), ["Transfer-Encoding", "chunked"], ["Connection", "close"]]),
      chunk(body.subarray(0, 1000)),
      chunk(body.subarray(1000)),
      LAST_CHUNK,
    ]),
  );
  assert.equal(res.status, 200);
  const c = await getCapture(small.baseUrl, ep, ackId(res.body));
  assert.equal(c.size, SMALL_CAP);
  assert.equal(c.declaredLength, null);
  assert.ok(wholeBody(c).equals(body));
});

test("Content-Length of cap+1 gets 413 before any body byte is sent, and a rejection record", async () => {
  const ep = await createEndpoint(small.baseUrl);
  const conn = await RawConnection.open(small.port);
  try {
    const answer = conn.response();
    // Headers only: the server must answer without waiting for the body.
    const head = requestBytes(`POST /h/${ep.slug}/big?src=test HTTP/1.1`, [
      host(small),
      ["Content-Type", "application/json"],
      ["Content-Length", String(SMALL_CAP + 1)],
      ["X-Provider", "acme"],
    ]);
    await conn.write(head);
    const res = await answer;
    assertTooLarge(res);
    assert.equal(conn.bytesWritten, head.length, "not one body byte was sent");

    // The body that follows is read as body and thrown away, even though it looks like a
    // request; the connection then serves the next real request.
    const disguised = `GET /h/${ep.slug}/smuggled HTTP/1.1\r\nHost: x\r\n\r\n`;
    await conn.write(disguised + " ".repeat(SMALL_CAP + 1 - disguised.length));
    const next = conn.response();
    await conn.write(requestBytes(`POST /h/${ep.slug}/after HTTP/1.1`, [host(small), ["Content-Length", "2"]], "ok"));
    const after = await next;
    assert.equal(after.status, 200);
    assert.equal((await getCapture(small.baseUrl, ep, ackId(after.body))).path, "/after");
  } finally {
    conn.destroy();
  }

  const list = await listCaptures(small.baseUrl, ep);
  assert.deepEqual(list.map((x) => x.path).sort(), ["/after", "/big"], "the discarded body never became a capture");
  const c = await getCapture(small.baseUrl, ep, list.find((x) => x.path === "/big")!.id);
  assert.equal(c.oversize, true);
  assert.equal(c.responseStatus, 413);
  assert.equal(c.size, 0);
  assert.equal(wholeBody(c).length, 0);
  assert.equal(c.declaredLength, SMALL_CAP + 1);
  assert.equal(c.path, "/big");
  assert.equal(c.query, "src=test");
  assert.equal(c.contentType, "application/json");
  assert.deepEqual(
    c.headers.find(([n]) => n === "X-Provider"),
    ["X-Provider", "acme"],
  );
  assert.equal((await getEndpoint(small.baseUrl, ep)).captureCount, 2);
});

test("a huge declared Content-Length is refused the same way, without the server waiting for it", async () => {
  const ep = await createEndpoint(small.baseUrl);
  const res = await rawRequest(
    small.port,
    requestBytes(`PUT /h/${ep.slug} HTTP/1.1`, [host(small), ["Content-Length", String(50 * 1024 * 1024 * 1024)]]),
  );
  assertTooLarge(res);
  const c = await onlyCapture(small, ep);
  assert.equal(c.declaredLength, 50 * 1024 * 1024 * 1024);
  assert.equal(c.oversize, true);
  assert.equal(c.method, "PUT");
});

test("a Content-Length too large for a bigint is refused and recorded like any other, without failing its group commit", async () => {
  const ep = await createEndpoint(small.baseUrl);
  // 2^64 − 1: node's parser takes it; the declared_length column (a bigint) cannot hold it.
  const huge = "18446744073709551615";
  const [res, ok] = await Promise.all([
    rawRequest(small.port, requestBytes(`POST /h/${ep.slug}/huge HTTP/1.1`, [host(small), ["Content-Length", huge]])),
    rawRequest(small.port, requestBytes(`POST /h/${ep.slug}/fine HTTP/1.1`, [host(small), ["Content-Length", "2"]], "ok")),
  ]);
  assertTooLarge(res);
  assert.equal(ok.status, 200);
  const list = await listCaptures(small.baseUrl, ep);
  const stored = list.find((c) => c.path === "/huge");
  assert.ok(stored, `the refused request has its record: ${JSON.stringify(list.map((c) => c.path))}`);
  const c = await getCapture(small.baseUrl, ep, stored.id);
  assert.equal(c.oversize, true);
  assert.equal(c.responseStatus, 413);
  assert.equal(c.declaredLength, null);
  assert.deepEqual(
    c.headers.filter(([n]) => n === "Content-Length"),
    [["Content-Length", huge]],
  );
});

test("a chunked body that grows past the cap gets 413 mid-stream and a record of the size seen", async () => {
  const ep = await createEndpoint(small.baseUrl);
  const conn = await RawConnection.open(small.port);
  let sent = 0;
  try {
    const answer = conn.response();
    await conn.write(
      requestBytes(`POST /h/${ep.slug}/stream HTTP/1.1`, [host(small), ["Transfer-Encoding", "chunked"], ["Content-Type", "text/plain"]]),
    );
    // 300-byte chunks, never the terminating chunk: the 413 can only come from counting.
    let res: RawResponse | null = null;
    void answer.then((r) => (res = r)).catch(() => {});
    for (let i = 0; i < 20 && !res && !conn.isClosed; i++) {
      await conn.write(chunk(Buffer.alloc(300, 0x61 + i))).catch(() => {});
      sent += 300;
    }
    const r = await answer;
    assertTooLarge(r);
    assert.ok(sent > SMALL_CAP);
  } finally {
    conn.destroy();
  }

  const c = await onlyCapture(small, ep);
  assert.equal(c.oversize, true);
  assert.equal(c.responseStatus, 413);
  assert.ok(c.size > SMALL_CAP, `bodySize ${c.size} should pass the cap`);
  assert.ok(c.size <= sent, `bodySize ${c.size} cannot exceed the ${sent} bytes sent`);
  assert.equal(wholeBody(c).length, 0, "nothing past the cap is kept");
  assert.equal(c.declaredLength, null);
  assert.equal(c.path, "/stream");
});

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  assert.ok(m, "VmRSS not found");
  return Number(m[1]) * 1024;
}

/** Streams `total` bytes as 64 KiB chunks until the server answers or hangs up; reports when it answered. */
async function upload(app: RunningApp, slug: string, total: number) {
  const conn = await RawConnection.open(app.port);
  try {
    let answeredAt: number | null = null;
    const answer = conn.response({ timeoutMs: 120_000 }).then((r) => {
      answeredAt = conn.bytesWritten;
      return r;
    });
    answer.catch(() => {});
    await conn.write(requestBytes(`POST /h/${slug}/huge HTTP/1.1`, [host(app), ["Transfer-Encoding", "chunked"]]));
    const piece = chunk(crypto.randomBytes(64 * 1024));
    const headerLen = conn.bytesWritten;
    while (answeredAt === null && !conn.isClosed && conn.bytesWritten - headerLen < total) {
      try {
        await conn.write(piece);
      } catch {
        break; // the server hung up after answering
      }
      await new Promise((resolve) => setImmediate(resolve)); // read what arrived (see relentlessUpload)
    }
    const res = await answer;
    const sent = conn.bytesWritten - headerLen;
    if (process.env.DEBUG_LIMITS) console.log({ answeredAt: answeredAt! - headerLen, sent });
    return { res, answeredAt: answeredAt! - headerLen, finishedSending: sent >= total };
  } finally {
    conn.destroy();
  }
}

/** Most bytes the kernel can hold in flight on one loopback connection (send plus receive buffer). */
function kernelBufferBytes(): number {
  const max = (file: string) => Number(fs.readFileSync(file, "utf8").trim().split(/\s+/).pop());
  try {
    return max("/proc/sys/net/ipv4/tcp_rmem") + max("/proc/sys/net/ipv4/tcp_wmem");
  } catch {
    return 16 * MIB;
  }
}

test("a 64 MiB chunked upload against a 1 MiB cap is answered 413 early, with memory bounded", async () => {
  // What the client has handed to the kernel when the 413 arrives is at most the cap plus what
  // the two socket buffers hold; the upload is made longer than that so "early" means something.
  const inFlight = kernelBufferBytes();
  const total = Math.max(64 * MIB, MIB + inFlight + 16 * MIB);
  const eps = await Promise.all([1, 2, 3].map(() => createEndpoint(mib.baseUrl)));
  const before = rssBytes(mib.pid);
  // Three at once: a server that buffered whole bodies would need 3 × 64 MiB.
  const results = await Promise.all(eps.map((ep) => upload(mib, ep.slug, total)));
  const grew = rssBytes(mib.pid) - before;
  for (const r of results) {
    assertTooLarge(r.res);
    assert.equal(r.finishedSending, false, "the 413 arrived before the client finished sending");
    assert.ok(
      r.answeredAt <= MIB + inFlight + 2 * MIB,
      `answered only after ${(r.answeredAt / MIB).toFixed(1)} MiB of ${(total / MIB).toFixed(0)} MiB`,
    );
  }
  assert.ok(grew < 64 * MIB, `server RSS grew by ${(grew / MIB).toFixed(0)} MiB`);
  for (const ep of eps) {
    const c = await onlyCapture(mib, ep);
    assert.equal(c.oversize, true);
    assert.ok(c.size > MIB);
    assert.equal(wholeBody(c).length, 0);
  }
});

test("a request pipelined behind a declared-oversize one is answered and stored, never one without the other", async () => {
  // Before the fix the 413 closed the connection while the pipelined request was already being
  // stored: a capture the client never got an answer for. A few tries catch that race.
  for (let attempt = 0; attempt < 5; attempt++) {
    const ep = await createEndpoint(small.baseUrl);
    // A first capture warms the server's endpoint cache, so both pipelined requests reach the
    // handler at once.
    const warm = await fetch(`${small.baseUrl}/h/${ep.slug}/warm`, { method: "POST", body: "w" });
    assert.equal(warm.status, 200);
    const junk = Buffer.alloc(SMALL_CAP + 1, "G");
    const conn = await RawConnection.open(small.port);
    let second: RawResponse;
    try {
      const answers = [conn.response(), conn.response()];
      await conn.write(
        Buffer.concat([
          requestBytes(`POST /h/${ep.slug}/a HTTP/1.1`, [host(small), ["Content-Length", String(junk.length)]], junk),
          requestBytes(`GET /h/${ep.slug}/pipelined HTTP/1.1`, [host(small), ["Connection", "close"]]),
        ]),
      );
      assertTooLarge(await answers[0]!);
      second = await answers[1]!;
    } finally {
      conn.destroy();
    }
    assert.equal(second.status, 200);
    const list = await listCaptures(small.baseUrl, ep);
    assert.deepEqual(list.map((s) => s.path).sort(), ["/a", "/pipelined", "/warm"]);
    assert.equal(list.find((s) => s.path === "/pipelined")!.id, ackId(second.body));
  }
});

test("a client that keeps sending past the cap without reading still gets its 413", async () => {
  // Closing right after the 413 would reset the connection under the still-sending client, and
  // a reset throws away the answer waiting in its receive buffer.
  const ep = await createEndpoint(mib.baseUrl);
  const conn = await RawConnection.open(mib.port);
  try {
    const answer = conn.response();
    answer.catch(() => {});
    await conn.write(requestBytes(`POST /h/${ep.slug}/deaf HTTP/1.1`, [host(mib), ["Content-Length", String(8 * MIB)]]));
    const piece = crypto.randomBytes(64 * 1024);
    for (let sent = 0; sent < 8 * MIB; sent += piece.length) await conn.write(piece);
    assertTooLarge(await answer);
  } finally {
    conn.destroy();
  }
});

/** Highest RSS of a process from now until stop(): VmHWM after resetting it, and 20 ms samples. */
function watchPeakRss(pid: number): { stop(): number } {
  let resetHwm = false;
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5"); // resets VmHWM to the current RSS
    resetHwm = true;
  } catch {
    // not permitted here: the samples alone decide
  }
  let peak = rssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssBytes(pid))), 20);
  timer.unref(); // a failed assertion before stop() must not keep the test process alive
  return {
    stop() {
      clearInterval(timer);
      if (resetHwm) {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      }
      return peak;
    },
  };
}

/** A client that ignores the answer and keeps streaming until it has sent `total` or the server hangs up. */
async function relentlessUpload(app: RunningApp, slug: string, total: number, piece: Buffer) {
  const conn = await RawConnection.open(app.port);
  try {
    const answer = conn.response({ timeoutMs: 120_000 });
    answer.catch(() => {});
    await conn.write(requestBytes(`POST /h/${slug}/relentless HTTP/1.1`, [host(app), ["Transfer-Encoding", "chunked"]]));
    const headerLen = conn.bytesWritten;
    while (!conn.isClosed && conn.bytesWritten - headerLen < total) {
      try {
        await conn.write(piece);
      } catch {
        break;
      }
      // Let the event loop read what arrived, as any real client's poll loop does. A write the
      // kernel takes at once completes on the next tick, so without this the loop never reads:
      // the 413 sits unread until the server cuts the connection, and the reset discards it.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return { res: await answer, sent: conn.bytesWritten - headerLen };
  } finally {
    conn.destroy();
  }
}

test("50 chunked uploads of 100 MiB each against a 1 MiB cap, 5 at a time: every one gets 413, server RSS stays bounded", async () => {
  const ep = await createEndpoint(mib.baseUrl);
  const total = 100 * MIB;
  const piece = chunk(crypto.randomBytes(256 * 1024));
  const before = rssBytes(mib.pid);
  const peak = watchPeakRss(mib.pid);
  const results: { res: RawResponse; sent: number }[] = [];
  let peakBytes: number;
  try {
    for (let round = 0; round < 10; round++) {
      results.push(...(await Promise.all(Array.from({ length: 5 }, () => relentlessUpload(mib, ep.slug, total, piece)))));
    }
  } finally {
    peakBytes = peak.stop();
  }
  const grew = peakBytes - before;
  const sent = results.reduce((n, r) => n + r.sent, 0);
  if (process.env.DEBUG_LIMITS) console.log({ before, peakBytes, grew, sentMiB: sent / MIB });
  assert.equal(results.length, 50);
  for (const r of results) {
    assertTooLarge(r.res);
    // The server reads a bounded amount past the answer and then hangs up on a client that does
    // not stop: no upload gets to push its whole 100 MiB.
    assert.ok(r.sent < total, `an upload sent all ${(r.sent / MIB).toFixed(0)} MiB`);
  }
  // 5 bodies held to the cap at once is 5 MiB; the rest is socket buffers and garbage not yet
  // collected. A server that kept what it read would grow by gigabytes here.
  assert.ok(grew < 96 * MIB, `server RSS peaked ${(grew / MIB).toFixed(0)} MiB above its ${(before / MIB).toFixed(0)} MiB start`);
  const list = await listCaptures(mib.baseUrl, ep);
  assert.equal(list.length, 50, "one rejection record per upload");
  assert.ok(list.every((c) => c.oversize));
});
