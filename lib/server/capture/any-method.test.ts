import assert from "node:assert/strict";
import crypto from "node:crypto";
import http from "node:http";
import net from "node:net";
import { after, before, test } from "node:test";
import { acceptAnyMethod, decideFirstLine, MAX_METHOD_LENGTH } from "./any-method";

const b = (s: string) => Buffer.from(s, "latin1");

test("decideFirstLine rewrites an unknown token on a capture target and keeps the rest byte for byte", () => {
  const d = decideFirstLine(b("FOO /h/abc/x?y=1 HTTP/1.1\r\nHost: a\r\n\r\nbody"));
  assert.equal(d.kind, "rewrite");
  assert.ok(d.kind === "rewrite");
  assert.equal(d.method, "FOO");
  assert.equal(d.bytes.toString("latin1"), "POST /h/abc/x?y=1 HTTP/1.1\r\nHost: a\r\n\r\nbody");
  const lower = decideFirstLine(b("post /h/abc HTTP/1.1\r\n"));
  assert.ok(lower.kind === "rewrite", "methods are case-sensitive: lower-case post is not POST");
  assert.equal(lower.method, "post");
  const odd = decideFirstLine(b("X-MY_VERB.1~ /h/a HTTP/1.1\r\n"));
  assert.ok(odd.kind === "rewrite");
  assert.equal(odd.method, "X-MY_VERB.1~");
});

test("decideFirstLine passes known methods, other paths and non-tokens through untouched", () => {
  for (const line of [
    "GET /h/abc HTTP/1.1\r\n",
    "PROPFIND /h/abc HTTP/1.1\r\n",
    "M-SEARCH /h/abc HTTP/1.1\r\n",
    "FOO /api/endpoints HTTP/1.1\r\n",
    "FOO /hx/abc HTTP/1.1\r\n",
    "FOO http://evil.example/h/abc HTTP/1.1\r\n",
    "F(O) /h/abc HTTP/1.1\r\n",
    " /h/abc HTTP/1.1\r\n",
    "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
    `${"X".repeat(MAX_METHOD_LENGTH + 1)} /h/abc HTTP/1.1\r\n`,
    "X".repeat(MAX_METHOD_LENGTH + 1),
  ]) {
    assert.equal(decideFirstLine(b(line)).kind, "pass", JSON.stringify(line));
  }
});

test("decideFirstLine waits while the method or the target prefix may still be arriving", () => {
  for (const partial of ["", "F", "FOO", "FOO ", "FOO /", "FOO /h", "X".repeat(MAX_METHOD_LENGTH)]) {
    assert.equal(decideFirstLine(b(partial)).kind, "wait", JSON.stringify(partial));
  }
  assert.equal(decideFirstLine(b("FOO /a")).kind, "pass");
});

// --- on a real node:http server ---------------------------------------------------------------

let server: http.Server;
let port: number;

before(async () => {
  server = http.createServer({ connectionsCheckingInterval: 100, headersTimeout: 1000, requestTimeout: 5000 }, (req, res) => {
    const hash = crypto.createHash("sha256");
    let size = 0;
    req.on("data", (d: Buffer) => {
      size += d.length;
      hash.update(d);
    });
    req.on("end", () => res.end(JSON.stringify({ method: req.method, url: req.url, size, sha: hash.digest("hex") })));
  });
  acceptAnyMethod(server, { headersTimeoutMs: 300 });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as net.AddressInfo).port;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

interface Answer {
  status: number;
  headers: string;
  json: { method: string; url: string; size: number; sha: string } | null;
}

/** Writes the pieces in order on one connection, then reads until the server closes it. */
async function exchange(pieces: (string | Buffer)[]): Promise<Answer[]> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((r, j) => socket.once("connect", r).once("error", j));
  const chunks: Buffer[] = [];
  socket.on("data", (d: Buffer) => chunks.push(d));
  const closed = new Promise<void>((r) => socket.once("close", () => r()));
  socket.on("error", () => {});
  for (const p of pieces) await new Promise<void>((r) => socket.write(p, () => r()));
  await closed;
  const text = Buffer.concat(chunks).toString("latin1");
  const out: Answer[] = [];
  for (const part of text.split(/(?=HTTP\/1\.1 \d{3})/)) {
    if (!part) continue;
    const [head, ...rest] = part.split("\r\n\r\n");
    let body = rest.join("\r\n\r\n");
    if (/transfer-encoding: chunked/i.test(head!)) body = body.replace(/^[0-9a-f]+\r\n/i, "").replace(/\r\n0\r\n\r\n$/, "");
    let json: Answer["json"] = null;
    try {
      json = JSON.parse(body) as Answer["json"];
    } catch {
      json = null;
    }
    out.push({ status: Number(head!.slice(9, 12)), headers: head!, json });
  }
  return out;
}

const sha = (d: Buffer) => crypto.createHash("sha256").update(d).digest("hex");

test("an unknown method on a capture URL reaches the handler with its real token and its body", async () => {
  const [a] = await exchange(["FOO /h/abc/x?q=%20 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"]);
  assert.equal(a?.status, 200);
  assert.deepEqual(a.json, { method: "FOO", url: "/h/abc/x?q=%20", size: 5, sha: sha(b("hello")) });
  // The connection closes after an unknown-method answer, so a next request is again a first one.
  assert.match(a.headers, /\r\nConnection: close/i);
});

test("an unknown method split across many small writes still works", async () => {
  const req = "BREW /h/pot HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\ntea";
  const [a] = await exchange([...req].map((ch) => b(ch)));
  assert.deepEqual(a?.json, { method: "BREW", url: "/h/pot", size: 3, sha: sha(b("tea")) });
});

test("a large chunked body under an unknown method arrives intact", async () => {
  const body = crypto.randomBytes(3 * 1024 * 1024 + 17);
  const pieces: Buffer[] = [b("SNAPSHOT /h/big HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")];
  for (let i = 0; i < body.length; i += 65_536) {
    const part = body.subarray(i, i + 65_536);
    pieces.push(Buffer.concat([b(`${part.length.toString(16)}\r\n`), part, b("\r\n")]));
  }
  pieces.push(b("0\r\n\r\n"));
  const [a] = await exchange(pieces);
  assert.deepEqual(a?.json, { method: "SNAPSHOT", url: "/h/big", size: body.length, sha: sha(body) });
});

test("known methods, keep-alive and pipelining are untouched", async () => {
  const answers = await exchange([
    "PUT /h/a HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhiGET /api/x HTTP/1.1\r\nHost: t\r\n\r\n",
    "PROPFIND /h/b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
  ]);
  assert.deepEqual(
    answers.map((a) => [a.status, a.json?.method, a.json?.url, a.json?.size]),
    [
      [200, "PUT", "/h/a", 2],
      [200, "GET", "/api/x", 0],
      [200, "PROPFIND", "/h/b", 0],
    ],
  );
  assert.doesNotMatch(answers[0]!.headers, /Connection: close/i);
});

test("an unknown method outside capture URLs is still refused by node:http", async () => {
  const [a] = await exchange(["FOO /api/endpoints HTTP/1.1\r\nHost: t\r\n\r\n"]);
  assert.equal(a?.status, 400);
  assert.equal(a.json, null);
});

test("a client that vanishes before its first line, or stays silent, does not break the server", async () => {
  const rst = net.connect(port, "127.0.0.1");
  await new Promise<void>((r) => rst.once("connect", r));
  rst.write("FO");
  rst.resetAndDestroy();
  const half = net.connect(port, "127.0.0.1");
  await new Promise<void>((r) => half.once("connect", r));
  half.end("FOO /");
  await new Promise<void>((r) => half.once("close", () => r()).resume());

  // A silent connection gets node's 408 once the first-byte timeout passes, and is closed:
  // it is not held open forever, nor handed to node:http to wait a second header timeout.
  const started = performance.now();
  const silent = await exchange([]);
  assert.equal(silent.length, 1);
  assert.equal(silent[0]!.status, 408);
  assert.ok(performance.now() - started < 300 + 1_000, `closed after ${Math.round(performance.now() - started)} ms`);
  // The same for a first line that never completes.
  const partial = await exchange(["FOO"]);
  assert.equal(partial[0]?.status, 408);

  const [ok] = await exchange(["FOO /h/still-up HTTP/1.1\r\nHost: t\r\n\r\n"]);
  assert.equal(ok?.json?.method, "FOO");
});

test("the head deadline counts from the connection: silence, then a request line trickled a byte at a time, is cut at headersTimeoutMs", async () => {
  const socket = net.connect(port, "127.0.0.1");
  const started = performance.now();
  await new Promise<void>((r, j) => socket.once("connect", r).once("error", j));
  const chunks: Buffer[] = [];
  socket.on("data", (d: Buffer) => chunks.push(d));
  socket.on("error", () => {});
  const closed = new Promise<number>((r) => socket.once("close", () => r(performance.now() - started)));
  let open = true;
  void closed.then(() => (open = false));
  // Silent for two thirds of the 300 ms deadline (the client's timing, not a wait for the
  // server), then the first line, known method first so node:http takes over at once, a byte
  // every 20 ms: node's own headersTimeout (1 s) would count from that handover.
  await new Promise((r) => setTimeout(r, 200));
  for (const ch of `POST /h/trickle HTTP/1.1\r\nHost: t\r\nX-Slow: ${"a".repeat(200)}`) {
    if (!open) break;
    socket.write(ch);
    await Promise.race([closed, new Promise((r) => setTimeout(r, 20))]);
  }
  const ms = await closed;
  assert.ok(ms < 300 + 400, `a trickling client held its socket ${Math.round(ms)} ms; the deadline is 300 ms from the connection`);
  assert.match(Buffer.concat(chunks).toString("latin1"), /^HTTP\/1\.1 408 /);
  assert.match(Buffer.concat(chunks).toString("latin1"), /"code":"REQUEST_TIMEOUT"/);
});

test("closeIdleConnections also closes connections that have not sent a byte yet", { timeout: 20_000 }, async () => {
  // A first-byte timeout far beyond the test's own: only closeIdleConnections can end it.
  const own = http.createServer((_req, res) => res.end());
  acceptAnyMethod(own, { headersTimeoutMs: 120_000 });
  await new Promise<void>((r) => own.listen(0, "127.0.0.1", r));
  try {
    const accepted = new Promise<void>((r) => own.once("connection", () => r()));
    const silent = net.connect((own.address() as net.AddressInfo).port, "127.0.0.1");
    await accepted;
    const closed = new Promise<void>((r) => silent.once("close", () => r()));
    silent.resume();
    own.closeIdleConnections();
    await closed;
  } finally {
    own.closeAllConnections();
    await new Promise((r) => own.close(r));
  }
});
