// Export and automation against the real server and a real database: HAR 1.2 and NDJSON exports
// (structure, headers and exact body bytes round-trip, pages, no signing secrets, the key), and
// the long-poll wait API (a capture sent while it waits, 204 on timeout, cursor, bad values).
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { ZCapture } from "@/lib/shared/validation/captures";
import { ZExportedCapture, type TExportedCapture } from "@/lib/shared/validation/exports";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { getCapture, getCaptureBody, listCaptures, wholeBody } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";
import { harProblems } from "./support/har";
import { rawRequest, requestBytes } from "./support/raw-http";
import { waitFor } from "./support/wait";

let app: RunningApp;
let db: { name: string; url: string };
type Endpoint = Awaited<ReturnType<typeof createEndpoint>>;

before(async () => {
  db = await createTestDatabase("export");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

const auth = (ep: Endpoint) => ({ authorization: `Bearer ${ep.managementKey}` });

/** Sends exact request bytes to the capture URL and returns the stored capture's id. */
async function capture(ep: Endpoint, method: string, target: string, headers: [string, string][], body?: Buffer | string): Promise<string> {
  const all: [string, string][] = [["Host", `127.0.0.1:${app.port}`], ...headers];
  if (body !== undefined) all.push(["Content-Length", String(Buffer.byteLength(body))]);
  const res = await rawRequest(app.port, requestBytes(`${method} /h/${ep.slug}${target} HTTP/1.1`, all, body));
  assert.equal(res.status, 200, `capture: ${res.status}`);
  const id = res.headers.find(([n]) => n.toLowerCase() === "x-hookscope-capture-id")?.[1];
  assert.ok(id, "capture id header");
  return id;
}

interface HarDoc {
  log: {
    entries: {
      request: {
        method: string;
        url: string;
        headers: { name: string; value: string }[];
        queryString: { name: string; value: string }[];
        cookies: { name: string; value: string }[];
        postData?: { mimeType: string; text: string; _encoding?: string };
        bodySize: number;
      };
      response: { status: number; headers: { name: string; value: string }[]; content: { text?: string } };
      _hookscope: { id: string; seq: number };
    }[];
  };
}

function harBody(e: HarDoc["log"]["entries"][number]): Buffer {
  const p = e.request.postData;
  if (!p) return Buffer.alloc(0);
  return p._encoding === "base64" ? Buffer.from(p.text, "base64") : Buffer.from(p.text, "utf8");
}

async function exportAs(ep: Endpoint, format: string): Promise<Response> {
  return fetch(`${app.baseUrl}/api/endpoints/${ep.id}/export?format=${format}`, { headers: auth(ep) });
}

async function ndjson(ep: Endpoint): Promise<TExportedCapture[]> {
  const r = await exportAs(ep, "ndjson");
  assert.equal(r.status, 200);
  const text = await r.text();
  assert.ok(text === "" || text.endsWith("\n"), "every line ends with a newline");
  return text
    .split("\n")
    .filter(Boolean)
    .map((l) => ZExportedCapture.strict().parse(JSON.parse(l)));
}

describe("export", () => {
  let ep: Endpoint;
  let ids: string[];
  const binary = Buffer.concat([crypto.randomBytes(4096), Buffer.from([0xff, 0xfe, 0x00, 0x80])]);
  const utf8Body = '{"name":"Zoë","emoji":"🚀","nl":"a\\nb"}\r\n  ';
  const signingSecret = `whsec_${crypto.randomBytes(24).toString("base64")}`;

  before(async () => {
    ep = await createEndpoint(app.baseUrl, { name: "export" });
    const sec = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/secrets`, {
      method: "POST",
      headers: { ...auth(ep), "content-type": "application/json" },
      body: JSON.stringify({ label: "stripe", scheme: "stripe", secret: signingSecret }),
    });
    assert.equal(sec.status, 201);
    ids = [
      await capture(
        ep,
        "POST",
        "/orders/42?retry=1&tag=a+b&tag=%C3%A9",
        [
          ["Content-Type", "application/json; charset=utf-8"],
          ["X-Dup", "one"],
          ["x-DUP", "two"],
          ["Cookie", "sid=abc; theme=dark"],
          ["Stripe-Signature", "t=1,v1=deadbeef"],
        ],
        utf8Body,
      ),
      await capture(ep, "PUT", "/bin", [["Content-Type", "application/octet-stream"]], binary),
      await capture(ep, "GET", "", [["Accept", "*/*"]]),
      await capture(ep, "PROPFIND", "/dav", [["Depth", "1"]], "<x/>"),
    ];
  });

  test("HAR 1.2: valid structure, oldest first, headers in order with repeats, exact body bytes", async () => {
    const r = await exportAs(ep, "har");
    assert.equal(r.status, 200);
    assert.match(r.headers.get("content-type")!, /^application\/json/);
    assert.match(r.headers.get("content-disposition")!, new RegExp(`^attachment; filename="hookscope-${ep.slug}-\\d{8}T\\d{6}Z\\.har"$`));
    assert.equal(r.headers.get("x-content-type-options"), "nosniff");
    const text = await r.text();
    const doc = JSON.parse(text) as HarDoc;
    assert.deepEqual(harProblems(doc), []);
    assert.deepEqual(
      doc.log.entries.map((e) => e._hookscope.id),
      ids,
    );
    for (const e of doc.log.entries) {
      const stored = await getCapture(app.baseUrl, ep, e._hookscope.id);
      assert.deepEqual(
        e.request.headers.map((h) => [h.name, h.value]),
        stored.headers,
      );
      assert.equal(e.request.method, stored.method);
      assert.equal(e.request.url, `${ep.captureUrl}${stored.path}${stored.query === null ? "" : `?${stored.query}`}`);
      assert.equal(e.response.status, 200);
      // The answer as the capture API has it: the default {ok, id} body naming this capture.
      assert.ok(stored.response);
      assert.deepEqual(
        e.response.headers.map((h) => [h.name, h.value]),
        stored.response.headers,
      );
      assert.equal(e.response.content.text, JSON.stringify({ ok: true, id: stored.id }));
      const { bytes } = await getCaptureBody(app.baseUrl, ep, stored.id);
      assert.ok(harBody(e).equals(bytes), `body of ${stored.method} ${stored.path}`);
      assert.equal(e.request.bodySize, bytes.length);
    }
    const [json, bin, get] = doc.log.entries;
    assert.equal(json!.request.postData!.text, utf8Body);
    assert.equal(json!.request.postData!._encoding, undefined);
    assert.equal(json!.request.postData!.mimeType, "application/json; charset=utf-8");
    assert.deepEqual(json!.request.queryString, [
      { name: "retry", value: "1" },
      { name: "tag", value: "a b" },
      { name: "tag", value: "é" },
    ]);
    assert.deepEqual(json!.request.cookies, [
      { name: "sid", value: "abc" },
      { name: "theme", value: "dark" },
    ]);
    assert.equal(bin!.request.postData!._encoding, "base64");
    assert.ok(Buffer.from(bin!.request.postData!.text, "base64").equals(binary));
    assert.equal(get!.request.postData, undefined);
    // Signing secrets are endpoint settings, never part of an export.
    assert.ok(!text.includes(signingSecret));
  });

  test("NDJSON: one capture per line, oldest first, headers and base64 body round-trip", async () => {
    const lines = await ndjson(ep);
    assert.deepEqual(
      lines.map((l) => l.id),
      ids,
    );
    for (const l of lines) {
      const stored = await getCapture(app.baseUrl, ep, l.id);
      assert.deepEqual(l.headers, stored.headers);
      assert.equal(l.seq, stored.seq);
      assert.equal(l.receivedAt, stored.receivedAt);
      assert.deepEqual(l.response, stored.response);
      const { bytes } = await getCaptureBody(app.baseUrl, ep, l.id);
      assert.ok(Buffer.from(l.bodyBase64, "base64").equals(bytes));
    }
    assert.ok(Buffer.from(lines[1]!.bodyBase64, "base64").equals(binary));
    assert.equal(lines[0]!.url, `${ep.captureUrl}/orders/42?retry=1&tag=a+b&tag=%C3%A9`);
    assert.equal(lines[3]!.method, "PROPFIND");
    const raw = await (await exportAs(ep, "ndjson")).text();
    assert.ok(!raw.includes(signingSecret));
  });

  test("trailer fields after a chunked body are exported: NDJSON `trailers`, HAR `_hookscope.trailers`; none is null", async () => {
    const own = await createEndpoint(app.baseUrl, { name: "trailers" });
    const head: [string, string][] = [
      ["Host", `127.0.0.1:${app.port}`],
      ["Transfer-Encoding", "chunked"],
      ["Trailer", "X-Checksum"],
    ];
    const chunked = Buffer.concat([
      requestBytes(`POST /h/${own.slug}/t HTTP/1.1`, head),
      Buffer.from("5\r\nhello\r\n0\r\nX-Checksum: sha256=abc\r\nserver-timing: db;dur=53\r\n\r\n", "latin1"),
    ]);
    assert.equal((await rawRequest(app.port, chunked)).status, 200);
    await capture(own, "POST", "/plain", [], "{}");
    const sent = [
      ["X-Checksum", "sha256=abc"],
      ["server-timing", "db;dur=53"],
    ];
    const lines = await ndjson(own);
    assert.deepEqual(
      lines.map((l) => l.trailers),
      [sent, null],
    );
    const har = (await (await exportAs(own, "har")).json()) as { log: { entries: { _hookscope: { trailers: unknown } }[] } };
    assert.deepEqual(
      har.log.entries.map((e) => e._hookscope.trailers),
      [sent, null],
    );
  });

  test("the list API's search filters narrow the export; a bad filter is a 400 saying why", async () => {
    const only = async (q: string) => {
      const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/export?format=ndjson&${q}`, { headers: auth(ep) });
      assert.equal(r.status, 200, `${q}: ${r.status}`);
      return (await r.text())
        .split("\n")
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as TExportedCapture).id);
    };
    assert.deepEqual(await only("method=PUT"), [ids[1]]);
    assert.deepEqual(await only(`q=${encodeURIComponent("path:/orders/* header:x-dup")}`), [ids[0]]);
    assert.deepEqual(await only("method=post,propfind&size=>0"), [ids[0], ids[3]]);
    assert.deepEqual(await only("text=Zo%C3%AB"), [ids[0]]);
    const har = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/export?format=har&method=GET`, { headers: auth(ep) });
    const doc = (await har.json()) as HarDoc;
    assert.deepEqual(harProblems(doc), []);
    assert.deepEqual(
      doc.log.entries.map((e) => e._hookscope.id),
      [ids[2]],
    );
    const bad = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/export?format=har&q=nope:x`, { headers: auth(ep) });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /nope/);
  });

  test("an endpoint with no captures exports an empty HAR log and an empty NDJSON file", async () => {
    const empty = await createEndpoint(app.baseUrl);
    const har = JSON.parse(await (await exportAs(empty, "har")).text()) as HarDoc;
    assert.deepEqual(harProblems(har), []);
    assert.deepEqual(har.log.entries, []);
    assert.deepEqual(await ndjson(empty), []);
  });

  test("many pages: 1,300 captures and bodies past the page byte budget arrive once each, in order", async () => {
    const big = await createEndpoint(app.baseUrl);
    const agentBodies = Array.from({ length: 1300 }, (_, i) => `{"i":${i}}`);
    for (let i = 0; i < agentBodies.length; i += 50) {
      await Promise.all(
        agentBodies.slice(i, i + 50).map((b) => fetch(`${big.captureUrl}/n`, { method: "POST", body: b }).then((r) => r.arrayBuffer())),
      );
    }
    // Three 3.5 MiB bodies: the 8 MiB page budget splits them over two pages.
    const large = [1, 2, 3].map((n) => crypto.randomBytes(3.5 * 1024 * 1024 + n));
    for (const b of large) assert.equal((await fetch(`${big.captureUrl}/large`, { method: "POST", body: b })).status, 200);
    const lines = await ndjson(big);
    assert.equal(lines.length, 1303);
    assert.deepEqual(
      lines.map((l) => l.seq),
      Array.from({ length: 1303 }, (_, i) => i + 1),
    );
    assert.deepEqual(new Set(lines.slice(0, 1300).map((l) => Buffer.from(l.bodyBase64, "base64").toString())), new Set(agentBodies));
    large.forEach((b, i) => assert.ok(Buffer.from(lines[1300 + i]!.bodyBase64, "base64").equals(b)));
    const har = JSON.parse(await (await exportAs(big, "har")).text()) as HarDoc;
    assert.deepEqual(harProblems(har), []);
    assert.equal(har.log.entries.length, 1303);
  });

  test("a client that stops reading holds the export back: server memory stays far below the export's size", async (t) => {
    // 16,000 captures of 8 KiB written straight into the table: 125 MiB of bodies, ~175 MB as NDJSON.
    const N = 16_000;
    const slow = await createEndpoint(app.baseUrl);
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    try {
      await sql.query(
        `INSERT INTO captures (id, endpoint_id, seq, method, path, headers, body, body_size, declared_length, content_type,
                               remote_address, http_version, received_at, duration_us, response_status)
         SELECT gen_random_uuid(), $1::uuid, s, 'POST', '/bulk', '[["Content-Type","text/plain"]]'::jsonb, b, octet_length(b),
                octet_length(b), 'text/plain', '203.0.113.7', '1.1', now(), 1, 200
           FROM generate_series(1, $2::bigint) s, LATERAL (SELECT convert_to(repeat(md5(s::text), 256), 'UTF8') AS b) x`,
        [slow.id, N],
      );
      await sql.query("UPDATE endpoints SET capture_seq = $2::bigint, capture_count = $2::int WHERE id = $1", [slow.id, N]);
    } finally {
      await sql.end();
    }
    const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${app.pid}/status`, "utf8"))![1]) / 1024;
    const start = rssMiB();
    const sock = net.connect(app.port, "127.0.0.1");
    try {
      let got = 0;
      await new Promise<void>((resolve, reject) => {
        sock.on("error", reject);
        sock.on("data", (d: Buffer) => {
          got += d.length;
          // The first 256 KiB, then nothing more is read: the kernel's buffers fill and stay full.
          if (got > 256 * 1024 && !sock.isPaused()) {
            sock.pause();
            resolve();
          }
        });
        sock.write(
          `GET /api/endpoints/${slow.id}/export?format=ndjson HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
            `Authorization: Bearer ${slow.managementKey}\r\nConnection: close\r\n\r\n`,
        );
      });
      // Until the server's memory stops growing (2 s without a new high), or it passes the bound:
      // an export that read on regardless would hold the whole ~175 MB.
      const BOUND_MIB = 100;
      let peak = rssMiB();
      let since = Date.now();
      await waitFor(
        () => {
          const now = rssMiB();
          if (now > peak + 1) [peak, since] = [now, Date.now()];
          return Date.now() - since > 2_000 || peak - start > BOUND_MIB;
        },
        "the server's memory to settle while the client does not read",
        60_000,
      );
      t.diagnostic(`server RSS ${Math.round(start)} → ${Math.round(peak)} MiB while the client held the export at ${got} bytes`);
      assert.ok(peak - start < BOUND_MIB, `server RSS grew ${Math.round(peak - start)} MiB while the client read nothing`);
    } finally {
      sock.destroy();
    }
  });

  test("a bad format is a 400 naming the choices; no key is 401; a wrong key or another endpoint's key is 404", async () => {
    for (const q of ["", "?format=xml", "?format=HAR"]) {
      const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/export${q}`, { headers: auth(ep) });
      assert.equal(r.status, 400, q);
      assert.match(((await r.json()) as { error: { message: string } }).error.message, /format must be har or ndjson/);
    }
    const other = await createEndpoint(app.baseUrl);
    const none = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/export?format=har`);
    assert.equal(none.status, 401);
    for (const key of ["hsk_wrong", other.managementKey]) {
      const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/export?format=ndjson`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(r.status, 404);
      assert.ok(!(await r.text()).includes("PROPFIND"));
    }
  });
});

describe("wait (long-poll)", () => {
  let ep: Endpoint;
  before(async () => {
    ep = await createEndpoint(app.baseUrl, { name: "wait" });
  });

  const wait = (q: string, key = ep.managementKey) =>
    fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures/wait${q}`, { headers: { authorization: `Bearer ${key}` } });

  async function liveSubscribers(): Promise<number> {
    const r = await fetch(`${app.baseUrl}/api/health`);
    return ((await r.json()) as { liveSubscribers: number }).liveSubscribers;
  }

  test("returns a capture sent after the call started (woken by the live hub), and 204 on timeout", async () => {
    const before = await liveSubscribers();
    const started = Date.now();
    const pending = wait("?timeout=20");
    // The call is waiting once it has joined the endpoint's hub.
    await waitFor(async () => (await liveSubscribers()) > before, "the wait to join the live hub");
    const id = await capture(ep, "POST", "/ci", [["Content-Type", "text/plain"]], "hello from CI");
    const r = await pending;
    assert.equal(r.status, 200);
    const got = ZCapture.parse(await r.json());
    assert.equal(got.id, id);
    assert.equal(got.path, "/ci");
    assert.equal(wholeBody(got).toString(), "hello from CI");
    assert.ok(Date.now() - started < 10_000, "answered when the capture arrived, not at the timeout");
    await waitFor(async () => (await liveSubscribers()) === before, "the wait to leave the hub");

    const t0 = Date.now();
    const timedOut = await wait(`?after=${got.seq}&timeout=1`);
    const took = Date.now() - t0;
    assert.equal(timedOut.status, 204);
    assert.equal(await timedOut.text(), "");
    assert.ok(took >= 900 && took < 8_000, `204 after about 1 s (took ${took} ms)`);
  });

  test("with filters only a matching capture counts; a time filter goes in q because after is the cursor", async () => {
    const before = await liveSubscribers();
    const pending = wait(`?timeout=20&path=${encodeURIComponent("/deploy/*")}&method=POST`);
    await waitFor(async () => (await liveSubscribers()) > before, "the wait to join the live hub");
    await capture(ep, "POST", "/other", [], "not this one");
    await capture(ep, "GET", "/deploy/1", []);
    const id = await capture(ep, "POST", "/deploy/2", [], "this one");
    const r = await pending;
    assert.equal(r.status, 200);
    assert.equal(ZCapture.parse(await r.json()).id, id);
    const list = await listCaptures(app.baseUrl, ep);
    const first = list[list.length - 1]!.seq - 1;
    const timed = await wait(`?after=${first}&timeout=0&q=${encodeURIComponent("after:1h path:/deploy/2")}`);
    assert.equal(ZCapture.parse(await timed.json()).id, id);
    const bad = await wait("?timeout=0&q=size:huge");
    assert.equal(bad.status, 400);
  });

  test("the cursor: the first capture after it comes back at once; captures at or before it never do", async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push(await capture(ep, "POST", `/c${n}`, [], String(n)));
    const list = await listCaptures(app.baseUrl, ep);
    const seqOf = (id: string) => list.find((c) => c.id === id)!.seq;
    const first = await wait(`?after=${seqOf(ids[0]!) - 1}&timeout=5`);
    assert.equal(first.status, 200);
    assert.equal(ZCapture.parse(await first.json()).id, ids[0]);
    const next = await wait(`?after=${seqOf(ids[0]!)}&timeout=5`);
    assert.equal(ZCapture.parse(await next.json()).id, ids[1]);
    // Without a cursor, only what arrives after the call counts: nothing does here.
    const none = await wait("?timeout=0");
    assert.equal(none.status, 204);
    const past = await wait(`?after=${seqOf(ids[2]!)}&timeout=0`);
    assert.equal(past.status, 204);
  });

  test("a server that shuts down mid-wait answers 503 + Retry-After with the cursor, and the retry misses nothing", async () => {
    // A second process on the same database, stopped (SIGTERM) while a wait without `after` is open.
    const stopping = await startApp({ databaseUrl: db.url });
    const ep2 = await createEndpoint(app.baseUrl, { name: "wait shutdown" });
    let stopped = false;
    try {
      const subscribers = async () =>
        ((await (await fetch(`${stopping.baseUrl}/api/health`)).json()) as { liveSubscribers: number }).liveSubscribers;
      const pending = fetch(`${stopping.baseUrl}/api/endpoints/${ep2.id}/captures/wait?timeout=30`, {
        headers: { authorization: `Bearer ${ep2.managementKey}` },
      });
      await waitFor(async () => (await subscribers()) > 0, "the wait to join the stopping server's live hub");
      const t0 = Date.now();
      await stopping.stop();
      stopped = true;
      const r = await pending;
      assert.equal(r.status, 503, "not 204: nothing timed out, the server went away");
      assert.equal(r.headers.get("retry-after"), "2");
      const body = (await r.json()) as { error: { code: string; message: string; details: { after: number } } };
      assert.equal(body.error.code, "SHUTTING_DOWN");
      assert.match(body.error.message, /send the same request again/);
      assert.deepEqual(body.error.details, { after: 0 });
      assert.ok(Date.now() - t0 < 15_000, "answered at shutdown, not at the timeout");

      // The webhook arrives while the client backs off; the retry elsewhere with that cursor gets it.
      const id = await capture(ep2, "POST", "/during-restart", [], "x");
      const retry = await fetch(`${app.baseUrl}/api/endpoints/${ep2.id}/captures/wait?after=${body.error.details.after}&timeout=5`, {
        headers: { authorization: `Bearer ${ep2.managementKey}` },
      });
      assert.equal(retry.status, 200);
      assert.equal(ZCapture.parse(await retry.json()).id, id);
    } finally {
      if (!stopped) await stopping.stop();
    }
  });

  test("bad values are 400 with a clear message; the key is required (401/404)", async () => {
    for (const [q, msg] of [
      ["?timeout=61", /timeout must be a number of seconds from 0 to 60/],
      ["?timeout=-1", /timeout must be a number of seconds from 0 to 60/],
      ["?timeout=soon", /timeout must be a number of seconds from 0 to 60/],
      ["?after=abc", /after must be a capture's seq/],
      ["?after=-3", /after must be a capture's seq/],
    ] as const) {
      const r = await wait(q);
      assert.equal(r.status, 400, q);
      assert.match(((await r.json()) as { error: { message: string } }).error.message, msg, q);
    }
    const none = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures/wait?timeout=0`);
    assert.equal(none.status, 401);
    const other = await createEndpoint(app.baseUrl);
    for (const key of ["hsk_wrong", other.managementKey]) assert.equal((await wait("?timeout=0", key)).status, 404);
  });
});
