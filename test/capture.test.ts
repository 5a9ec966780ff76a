// The capture contract over real sockets against the real server: what arrives is what is
// stored (method, path, query, headers, body bytes), and capture answers as configured.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import zlib from "node:zlib";
import pg from "pg";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import {
  ackId,
  getCapture,
  getCaptureBody,
  getEndpoint,
  listCaptures,
  updateEndpoint,
  type EndpointRef,
  wholeBody,
  wholeBodyText,
} from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { RawConnection, rawRequest, requestBytes, type RawResponse } from "./support/raw-http";
import { waitFor } from "./support/wait";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("capture");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

function host(): [string, string] {
  return ["Host", `127.0.0.1:${app.port}`];
}

/** Sends `method target` with an optional body over a raw socket and returns the capture it acknowledged. */
async function rawCapture(ep: EndpointRef, method: string, target: string, body?: Buffer | string) {
  const headers: [string, string][] = [host(), ["Connection", "close"]];
  if (body !== undefined) headers.push(["Content-Length", String(Buffer.byteLength(body))]);
  const res = await rawRequest(app.port, requestBytes(`${method} ${target} HTTP/1.1`, headers, body), { head: method === "HEAD" });
  return res;
}

// --- 1. methods, paths, queries -----------------------------------------------------------

for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "FOO"]) {
  test(`${method} is captured with its method token`, async () => {
    const ep = await createEndpoint(app.baseUrl);
    const res = await rawCapture(ep, method, `/h/${ep.slug}/verb`, "payload");
    assert.equal(res.status, 200, res.body.toString());
    const id = ackId(res.body);
    const c = await getCapture(app.baseUrl, ep, id);
    assert.equal(c.method, method);
    assert.equal(c.path, "/verb");
    assert.equal(c.query, null);
    assert.equal(wholeBody(c).toString(), "payload");
    assert.equal(c.size, 7);
    assert.equal(c.declaredLength, 7);
    assert.equal(c.responseStatus, 200);
    assert.equal(c.httpVersion, "1.1");
    assert.equal(c.remoteAddress, "127.0.0.1");
    assert.equal(c.seq, 1);
    assert.equal(c.endpointId, ep.id);
  });
}

test("HEAD is captured and answered with headers but no body", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const conn = await RawConnection.open(app.port);
  let headRes: RawResponse | undefined;
  try {
    const head = conn.response({ head: true });
    await conn.write(requestBytes(`HEAD /h/${ep.slug}/probe HTTP/1.1`, [host()]));
    const res = await head;
    headRes = res;
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    assert.match(res.header("content-type") ?? "", /^application\/json/);
    // Had the server sent body bytes after the HEAD response, they would be parsed as the start
    // of the next response on this keep-alive connection and this second answer would be garbage.
    const next = conn.response();
    await conn.write(requestBytes(`GET /h/${ep.slug}/after HTTP/1.1`, [host(), ["Connection", "close"]]));
    const second = await next;
    assert.equal(second.status, 200);
    const c2 = await getCapture(app.baseUrl, ep, ackId(second.body));
    assert.equal(c2.path, "/after");
  } finally {
    conn.destroy();
  }
  const [probe] = (await listCaptures(app.baseUrl, ep)).filter((s) => s.method === "HEAD");
  assert.ok(probe, "the HEAD request is stored");
  assert.equal(probe.path, "/probe");
  assert.equal(probe.size, 0);
  // The answer it records has the GET answer's headers (Content-Length included) and no body.
  const stored = await getCapture(app.baseUrl, ep, probe.id);
  assert.deepEqual(stored.response, {
    status: 200,
    headers: writtenHeaders(headRes!),
    body: null,
    delayMs: 0,
    handshake: null,
    rule: null,
    failure: null,
    closed: false,
    error: null,
  });
  assert.ok(headRes!.header("content-length"));
});

test("GET with a body keeps the body", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const res = await rawCapture(ep, "GET", `/h/${ep.slug}/search`, '{"q":"x"}');
  const c = await getCapture(app.baseUrl, ep, ackId(res.body));
  assert.equal(c.method, "GET");
  assert.equal(wholeBodyText(c), '{"q":"x"}');
  assert.equal(c.size, 9);
});

test("DELETE with a body keeps the body", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const res = await rawCapture(ep, "DELETE", `/h/${ep.slug}/items/7`, "reason=dup");
  const c = await getCapture(app.baseUrl, ep, ackId(res.body));
  assert.equal(c.method, "DELETE");
  assert.equal(c.path, "/items/7");
  assert.equal(wholeBodyText(c), "reason=dup");
});

test("sub-path and query are stored exactly as sent, without decoding", async () => {
  const ep = await createEndpoint(app.baseUrl);
  // fetch would resolve %2E%2E as a dot segment; a raw socket sends it as is.
  const res = await rawCapture(ep, "POST", `/h/${ep.slug}/a/%2E%2E/b?x=%20&x=2&flag`, "");
  const c = await getCapture(app.baseUrl, ep, ackId(res.body));
  assert.equal(c.path, "/a/%2E%2E/b");
  assert.equal(c.query, "x=%20&x=2&flag");

  const res2 = await rawCapture(ep, "POST", `/h/${ep.slug}/deep/er//path/./x.json?next=/h/other&e=%E2%9C%93`);
  const c2 = await getCapture(app.baseUrl, ep, ackId(res2.body));
  assert.equal(c2.path, "/deep/er//path/./x.json");
  assert.equal(c2.query, "next=/h/other&e=%E2%9C%93");
});

test('a target ending in "?" stores an empty query; no "?" stores null', async () => {
  const ep = await createEndpoint(app.baseUrl);
  const withMark = await getCapture(app.baseUrl, ep, ackId((await rawCapture(ep, "GET", `/h/${ep.slug}?`)).body));
  const without = await getCapture(app.baseUrl, ep, ackId((await rawCapture(ep, "GET", `/h/${ep.slug}`)).body));
  const slash = await getCapture(app.baseUrl, ep, ackId((await rawCapture(ep, "GET", `/h/${ep.slug}/`)).body));
  assert.equal(withMark.query, "");
  assert.equal(withMark.path, "");
  assert.equal(without.query, null);
  assert.equal(without.path, "");
  assert.equal(slash.path, "/");
  assert.equal(slash.query, null);
});

// --- 2, 3. bodies ---------------------------------------------------------------------------

test("a binary body with every byte value round-trips byte-exact through the API and /body", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const body = Buffer.concat([
    Buffer.alloc(16),
    all,
    all.reverse(),
    Buffer.from([0, 0, 0xff, 0, 0x0d, 0x0a, 0x0d, 0x0a, 0]),
    crypto.randomBytes(4096),
  ]);
  const r = await fetch(`${app.baseUrl}/h/${ep.slug}/bin`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body,
  });
  assert.equal(r.status, 200);
  const id = ackId(Buffer.from(await r.arrayBuffer()));

  const c = await getCapture(app.baseUrl, ep, id);
  assert.ok(wholeBody(c).equals(body), "base64 body differs from what was sent");
  assert.equal(wholeBodyText(c), null, "bytes that are not UTF-8 have no text form");
  assert.equal(c.size, body.length);
  assert.equal(c.contentType, "application/octet-stream");

  const dl = await getCaptureBody(app.baseUrl, ep, id);
  assert.ok(dl.bytes.equals(body), "downloaded body differs from what was sent");
  assert.match(dl.headers.get("content-disposition") ?? "", /^attachment\b/);
  assert.equal(dl.headers.get("x-content-type-options"), "nosniff");
});

test("a UTF-8 body is also offered as text; an HTML body downloads as an attachment", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const html = "<script>alert(1)</script> ünïcödé ✓";
  const r = await fetch(`${app.baseUrl}/h/${ep.slug}`, { method: "POST", headers: { "content-type": "text/html" }, body: html });
  const id = ackId(Buffer.from(await r.arrayBuffer()));
  const c = await getCapture(app.baseUrl, ep, id);
  assert.equal(wholeBodyText(c), html);
  assert.equal(c.size, Buffer.byteLength(html));
  const dl = await getCaptureBody(app.baseUrl, ep, id);
  assert.equal(dl.bytes.toString("utf8"), html);
  assert.match(dl.headers.get("content-disposition") ?? "", /^attachment\b/);
  assert.equal(dl.headers.get("x-content-type-options"), "nosniff");
});

test("a gzip body is stored compressed, byte-identical to what was sent", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const json = JSON.stringify({ event: "order.created", items: Array.from({ length: 50 }, (_, i) => ({ i, sku: `SKU-${i}` })) });
  const gz = zlib.gzipSync(json);
  const res = await rawRequest(
    app.port,
    requestBytes(
      `POST /h/${ep.slug}/gz HTTP/1.1`,
      [
        host(),
        ["Content-Type", "application/json"],
        ["Content-Encoding", "gzip"],
        ["Content-Length", String(gz.length)],
        ["Connection", "close"],
      ],
      gz,
    ),
  );
  assert.equal(res.status, 200);
  const id = ackId(res.body);
  const c = await getCapture(app.baseUrl, ep, id);
  const stored = wholeBody(c);
  assert.ok(stored.equals(gz), "stored bytes are not the gzip bytes that were sent");
  assert.equal(stored[0], 0x1f);
  assert.equal(stored[1], 0x8b);
  assert.equal(c.size, gz.length);
  assert.equal(zlib.gunzipSync(stored).toString(), json);
  assert.deepEqual(
    c.headers.find(([n]) => n === "Content-Encoding"),
    ["Content-Encoding", "gzip"],
  );
  const dl = await getCaptureBody(app.baseUrl, ep, id);
  assert.ok(dl.bytes.equals(gz));
});

// --- 4. headers -----------------------------------------------------------------------------

test("duplicate and mixed-case headers are stored in original order and case", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const body = "{}";
  const sent: [string, string][] = [
    ["X-Dup", "1"],
    host(),
    ["x-dup", "2"],
    ["Content-TYPE", "application/json"],
    ["X-DUP", "3"],
    ["set-cookie", "a=1"],
    ["Set-Cookie", "b=2"],
    ["Accept", "*/*"],
    ["accept", "text/plain"],
    ["X-Empty", ""],
    ["Content-Length", String(body.length)],
    ["Connection", "close"],
  ];
  const res = await rawRequest(app.port, requestBytes(`POST /h/${ep.slug}/hdr HTTP/1.1`, sent, body));
  assert.equal(res.status, 200);
  const c = await getCapture(app.baseUrl, ep, ackId(res.body));
  assert.deepEqual(c.headers, sent);
  assert.equal(c.contentType, "application/json");
});

test("header values with bytes 0xE9 and 0xFF are stored as their latin1 code points", async () => {
  const ep = await createEndpoint(app.baseUrl);
  // requestBytes encodes latin1, so each of these characters goes out as one byte.
  const sent: [string, string][] = [host(), ["X-Latin", "caf\u00e9 \u00ff end"], ["X-Raw", "\u00ff\u00e9\u00ff"], ["Connection", "close"]];
  const bytes = requestBytes(`GET /h/${ep.slug} HTTP/1.1`, sent);
  assert.ok(bytes.includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0xff])), "the request carries raw 0xE9/0xFF bytes");
  const res = await rawRequest(app.port, bytes);
  assert.equal(res.status, 200);
  const c = await getCapture(app.baseUrl, ep, ackId(res.body));
  assert.deepEqual(c.headers, sent);
});

test("trailer fields after a chunked body are stored in order and case and shown by the API; none is null", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const head: [string, string][] = [
    host(),
    ["Transfer-Encoding", "chunked"],
    ["Trailer", "X-Checksum, Server-Timing"],
    ["Connection", "close"],
  ];
  const trailers = "X-Checksum: sha256=abc\r\nserver-timing: db;dur=53\r\nX-Checksum: second\r\n";
  const bytes = Buffer.concat([
    requestBytes(`POST /h/${ep.slug}/trailers HTTP/1.1`, head),
    Buffer.from(`5\r\nhello\r\n0\r\n${trailers}\r\n`, "latin1"),
  ]);
  const res = await rawRequest(app.port, bytes);
  assert.equal(res.status, 200, res.body.toString());
  const c = await getCapture(app.baseUrl, ep, ackId(res.body));
  assert.equal(wholeBody(c).toString(), "hello");
  assert.deepEqual(c.trailers, [
    ["X-Checksum", "sha256=abc"],
    ["server-timing", "db;dur=53"],
    ["X-Checksum", "second"],
  ]);
  const plain = await rawRequest(
    app.port,
    requestBytes(`POST /h/${ep.slug}/none HTTP/1.1`, [host(), ["Content-Length", "2"], ["Connection", "close"]], "{}"),
  );
  assert.equal((await getCapture(app.baseUrl, ep, ackId(plain.body))).trailers, null);
});

// --- 6. responses ---------------------------------------------------------------------------

test("the default answer is 200 {ok, id} naming the stored capture, with CORS", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const r = await fetch(`${app.baseUrl}/h/${ep.slug}/default`, { method: "POST", body: "x" });
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type") ?? "", /^application\/json/);
  assert.equal(r.headers.get("access-control-allow-origin"), "*");
  const text = await r.text();
  const parsed = JSON.parse(text) as { ok: boolean; id: string };
  assert.deepEqual(Object.keys(parsed).sort(), ["id", "ok"]);
  assert.equal(parsed.ok, true);
  assert.match(parsed.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(r.headers.get("x-hookscope-capture-id"), parsed.id);
  const c = await getCapture(app.baseUrl, ep, parsed.id);
  assert.equal(c.id, parsed.id);
  assert.equal(c.path, "/default");
  assert.equal(c.responseStatus, 200);
  assert.match(c.receivedAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
  assert.ok(Math.abs(Date.parse(c.receivedAt) - Date.now()) < 60_000);
  assert.ok(c.durationUs >= 0);
});

test("a configured response is what capture answers with: status, body, type, headers in order, delay, and the capture id header", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const delayMs = 600;
  await updateEndpoint(app.baseUrl, ep, {
    response: {
      status: 202,
      body: "queued: <b>yes</b>",
      contentType: "text/html; charset=utf-8",
      headers: [
        ["X-Custom", "a"],
        ["x-custom", "b"],
        ["Cache-Control", "no-cache"],
        ["Cache-Control", "no-store"],
        ["X-Latin", "caf\u00e9"],
        // Not honoured: the capture id header is always the real one.
        ["X-Hookscope-Capture-Id", "forged"],
      ],
      delayMs,
    },
  });
  const started = performance.now();
  const res = await rawRequest(
    app.port,
    requestBytes(`POST /h/${ep.slug}/cfg HTTP/1.1`, [host(), ["Content-Length", "2"], ["Connection", "close"]], "hi"),
  );
  const elapsed = performance.now() - started;
  assert.equal(res.status, 202);
  assert.equal(res.body.toString(), "queued: <b>yes</b>");
  assert.equal(res.header("content-type"), "text/html; charset=utf-8");
  assert.equal(res.header("content-length"), String(Buffer.byteLength("queued: <b>yes</b>")));
  assert.equal(res.header("access-control-allow-origin"), "*");
  assert.deepEqual(
    res.headers.filter(([n]) => /^(x-custom|cache-control|x-latin)$/i.test(n)),
    [
      ["X-Custom", "a"],
      ["x-custom", "b"],
      ["Cache-Control", "no-cache"],
      ["Cache-Control", "no-store"],
      ["X-Latin", "caf\u00e9"],
    ],
  );
  assert.ok(elapsed >= delayMs, `answered after ${elapsed.toFixed(0)} ms, configured delay ${delayMs} ms`);

  const [summary] = await listCaptures(app.baseUrl, ep);
  assert.ok(summary);
  const c = await getCapture(app.baseUrl, ep, summary.id);
  assert.equal(c.responseStatus, 202);
  assert.equal(wholeBodyText(c), "hi");
  // A configured body does not name the capture; the header still does, exactly once.
  assert.deepEqual(res.all("x-hookscope-capture-id"), [summary.id]);
  // The capture records the whole answer: exactly the status, header lines and body that arrived.
  assert.deepEqual(c.response, {
    status: 202,
    headers: writtenHeaders(res),
    body: "queued: <b>yes</b>",
    delayMs,
    handshake: null,
    rule: null,
    failure: null,
    closed: false,
    error: null,
  });
});

/** The header lines the handler wrote, without the ones node adds itself. */
function writtenHeaders(res: { headers: [string, string][] }): [string, string][] {
  return res.headers.filter(([n]) => !/^(date|connection|keep-alive)$/i.test(n));
}

test("each capture keeps the answer it got after the response settings change; a refused one has none", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const send = (path: string) =>
    rawRequest(
      app.port,
      requestBytes(`PUT /h/${ep.slug}${path} HTTP/1.1`, [host(), ["Content-Length", "1"], ["Connection", "close"]], "x"),
    );
  const first = await send("/one");
  await updateEndpoint(app.baseUrl, ep, { response: { status: 201, body: "made", headers: [["Location", "/things/1"]] } });
  const second = await send("/two");
  await updateEndpoint(app.baseUrl, ep, { name: "renamed only" }); // not a response change
  await updateEndpoint(app.baseUrl, ep, { response: { status: 503, headers: [["Retry-After", "7"]] } });
  const third = await send("/three");
  assert.deepEqual([first.status, second.status, third.status], [200, 201, 503]);

  const byPath = new Map((await listCaptures(app.baseUrl, ep)).map((s) => [s.path, s.id]));
  for (const [path, res] of [
    ["/one", first],
    ["/two", second],
    ["/three", third],
  ] as const) {
    const c = await getCapture(app.baseUrl, ep, byPath.get(path)!);
    assert.deepEqual(
      c.response,
      {
        status: res.status,
        headers: writtenHeaders(res),
        body: res.body.toString(),
        delayMs: 0,
        handshake: null,
        rule: null,
        failure: null,
        closed: false,
        error: null,
      },
      path,
    );
  }
  // 503 kept the body set at 201: a patch changes only the fields it names.
  assert.equal(third.body.toString(), "made");

  const refused = await rawRequest(
    app.port,
    requestBytes(`POST /h/${ep.slug}/big HTTP/1.1`, [host(), ["Content-Length", String(2 ** 40)], ["Connection", "close"]]),
  );
  assert.equal(refused.status, 413);
  const big = (await listCaptures(app.baseUrl, ep)).find((s) => s.path === "/big")!;
  const c = await getCapture(app.baseUrl, ep, big.id);
  assert.equal(c.responseStatus, 413);
  assert.equal(c.response, null);
});

test("a Content-Type among the configured headers wins over the default type", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await updateEndpoint(app.baseUrl, ep, { response: { status: 200, body: "<ok/>", headers: [["Content-Type", "application/xml"]] } });
  const r = await fetch(`${app.baseUrl}/h/${ep.slug}`, { method: "POST", body: "x" });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "application/xml");
  assert.equal(await r.text(), "<ok/>");
});

test("a configured 204 answers without a body and the capture is stored", async () => {
  const ep = await createEndpoint(app.baseUrl);
  await updateEndpoint(app.baseUrl, ep, { response: { status: 204, body: "ignored" } });
  const conn = await RawConnection.open(app.port);
  try {
    const first = conn.response();
    await conn.write(requestBytes(`POST /h/${ep.slug}/a HTTP/1.1`, [host(), ["Content-Length", "1"]], "1"));
    const r = await first;
    assert.equal(r.status, 204);
    assert.equal(r.header("content-length"), undefined);
    // No stray body: the next response on the same connection parses cleanly.
    const second = conn.response();
    await conn.write(requestBytes(`POST /h/${ep.slug}/b HTTP/1.1`, [host(), ["Content-Length", "1"], ["Connection", "close"]], "2"));
    assert.equal((await second).status, 204);
  } finally {
    conn.destroy();
  }
  const list = await listCaptures(app.baseUrl, ep);
  assert.deepEqual(list.map((s) => s.path).sort(), ["/a", "/b"]);
});

test("a browser preflight gets 204 with matching Allow-Methods/Allow-Headers and is itself captured", async () => {
  const ep = await createEndpoint(app.baseUrl);
  // Even an endpoint configured to fail must let the browser's preflight through.
  await updateEndpoint(app.baseUrl, ep, { response: { status: 500, body: "nope", delayMs: 5000 } });
  const started = performance.now();
  const res = await rawRequest(
    app.port,
    requestBytes(`OPTIONS /h/${ep.slug}/cors HTTP/1.1`, [
      host(),
      ["Origin", "https://app.example"],
      ["Access-Control-Request-Method", "PUT"],
      ["Access-Control-Request-Headers", "x-signature, content-type"],
      ["Connection", "close"],
    ]),
  );
  assert.equal(res.status, 204);
  assert.ok(performance.now() - started < 5000, "a preflight is not delayed");
  assert.equal(res.header("access-control-allow-origin"), "*");
  assert.equal(res.header("access-control-allow-methods"), "PUT");
  assert.equal(res.header("access-control-allow-headers"), "x-signature, content-type");
  assert.equal(res.body.length, 0);

  const list = await listCaptures(app.baseUrl, ep);
  assert.equal(list.length, 1);
  const c = await getCapture(app.baseUrl, ep, list[0]!.id);
  assert.equal(c.method, "OPTIONS");
  assert.equal(c.path, "/cors");
  assert.equal(c.responseStatus, 204);
  assert.deepEqual(
    c.headers.find(([n]) => n === "Access-Control-Request-Headers"),
    ["Access-Control-Request-Headers", "x-signature, content-type"],
  );
  assert.deepEqual(c.response, {
    status: 204,
    headers: writtenHeaders(res),
    body: null,
    delayMs: 0,
    handshake: null,
    rule: null,
    failure: null,
    closed: false,
    error: null,
  });
});

test("error answers carry CORS too", async () => {
  const r = await fetch(`${app.baseUrl}/h/nosuchslug123`, { method: "POST", body: "x" });
  assert.equal(r.status, 404);
  assert.equal(r.headers.get("access-control-allow-origin"), "*");
});

// --- 7. refusals ----------------------------------------------------------------------------

test("an unknown slug gets a small 404 JSON error and no redirect", async () => {
  for (const target of ["/h/nosuchslug123", "/h/nosuchslug123/deep/path?x=1", "/h/NOT_A_SLUG!", "/h/", "/h/?x"]) {
    const res = await rawRequest(
      app.port,
      requestBytes(`POST ${target} HTTP/1.1`, [host(), ["Content-Length", "1"], ["Connection", "close"]], "x"),
    );
    assert.equal(res.status, 404, target);
    assert.equal(res.header("location"), undefined, target);
    assert.match(res.header("content-type") ?? "", /^application\/json/);
    const body = JSON.parse(res.body.toString()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "NOT_FOUND");
    assert.equal(typeof body.error.message, "string");
    assert.ok(body.error.message.length > 0);
    assert.ok(res.body.length < 200, "the 404 stays small");
  }
});

test("an absolute-form target is refused with 400, never redirected or stored", async () => {
  const ep = await createEndpoint(app.baseUrl);
  for (const target of [`http://evil.example/h/${ep.slug}/x`, `http://127.0.0.1:${app.port}/h/${ep.slug}/x`, "http://evil.example/x"]) {
    const res = await rawRequest(
      app.port,
      requestBytes(
        `POST ${target} HTTP/1.1`,
        [
          ["Host", "evil.example"],
          ["Content-Length", "1"],
          ["Connection", "close"],
        ],
        "x",
      ),
    );
    assert.equal(res.status, 400, target);
    assert.equal(res.header("location"), undefined);
    const body = JSON.parse(res.body.toString()) as { error: { code: string } };
    assert.equal(body.error.code, "BAD_REQUEST");
  }
  assert.deepEqual(await listCaptures(app.baseUrl, ep), []);
  assert.equal((await getEndpoint(app.baseUrl, ep)).captureCount, 0);
});

test("a request target over 8000 characters gets 414 and is not stored", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const base = `/h/${ep.slug}/`;
  const long = base + "a".repeat(8001 - base.length);
  assert.equal(long.length, 8001);
  const res = await rawRequest(app.port, requestBytes(`GET ${long} HTTP/1.1`, [host(), ["Connection", "close"]]));
  assert.equal(res.status, 414);
  const body = JSON.parse(res.body.toString()) as { error: { code: string } };
  assert.equal(typeof body.error.code, "string");

  // Exactly 8000 is still accepted.
  const ok = base + "b".repeat(8000 - base.length);
  const res2 = await rawRequest(app.port, requestBytes(`GET ${ok} HTTP/1.1`, [host(), ["Connection", "close"]]));
  assert.equal(res2.status, 200);
  const list = await listCaptures(app.baseUrl, ep);
  assert.equal(list.length, 1);
  assert.equal(list[0]!.path, ok.slice(base.length - 1));
});

// --- 8. sequence numbers --------------------------------------------------------------------

test("200 concurrent captures get seq 1..200 with no gaps or repeats, all stored and counted", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const n = 200;
  const results = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const r = await fetch(`${app.baseUrl}/h/${ep.slug}/n/${i}`, { method: "POST", body: String(i) });
      return { status: r.status, body: Buffer.from(await r.arrayBuffer()), i };
    }),
  );
  for (const r of results) assert.equal(r.status, 200, r.body.toString());
  const ids = results.map((r) => ackId(r.body));
  assert.equal(new Set(ids).size, n);

  const list = await listCaptures(app.baseUrl, ep);
  assert.equal(list.length, n);
  assert.deepEqual(
    list.map((s) => s.seq).sort((a, b) => a - b),
    Array.from({ length: n }, (_, i) => i + 1),
  );
  const byId = new Map(list.map((s) => [s.id, s]));
  for (const r of results) {
    const s = byId.get(ackId(r.body));
    assert.ok(s, `acknowledged capture ${r.i} is stored`);
    assert.equal(s.path, `/n/${r.i}`);
  }
  const endpoint = await getEndpoint(app.baseUrl, ep);
  assert.equal(endpoint.captureCount, n);
  assert.ok(endpoint.lastCaptureAt);
});

test("pipelined requests on one connection are stored and answered in order", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const conn = await RawConnection.open(app.port);
  try {
    const answers = [conn.response(), conn.response(), conn.response()];
    await conn.write(
      Buffer.concat([
        requestBytes(`POST /h/${ep.slug}/p1 HTTP/1.1`, [host(), ["Content-Length", "1"]], "1"),
        requestBytes(`PUT /h/${ep.slug}/p2 HTTP/1.1`, [host(), ["Content-Length", "2"]], "22"),
        requestBytes(`GET /h/${ep.slug}/p3 HTTP/1.1`, [host(), ["Connection", "close"]]),
      ]),
    );
    const ids = (await Promise.all(answers)).map((r) => {
      assert.equal(r.status, 200);
      return ackId(r.body);
    });
    const stored = await Promise.all(ids.map((id) => getCapture(app.baseUrl, ep, id)));
    assert.deepEqual(
      stored.map((c) => [c.method, c.path, wholeBodyText(c), c.seq]),
      [
        ["POST", "/p1", "1", 1],
        ["PUT", "/p2", "22", 2],
        ["GET", "/p3", "", 3],
      ],
    );
  } finally {
    conn.destroy();
  }
});

test("a stored capture enters the search indexes by itself soon after (the server's own search indexer)", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const r = await fetch(`${app.baseUrl}/h/${ep.slug}/indexed`, { method: "POST", body: '{"find":"me"}' });
  assert.equal(r.status, 200);
  const id = r.headers.get("x-hookscope-capture-id");
  assert.ok(id);
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    const indexed = async () =>
      (await sql.query<{ i: boolean }>("SELECT search_indexed AS i FROM captures WHERE id = $1", [id])).rows[0]?.i === true;
    await waitFor(indexed, "the search indexer to index the capture");
  } finally {
    await sql.end();
  }
});
