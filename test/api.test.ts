// The REST API against the real server and a real database: endpoint lifecycle, the management
// key (shown once, stored hashed, as Bearer or cookie), validation errors, capture listing and
// deletion, the access rules of every keyed route, and 503 while the database is down.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/server/db/embedded";
import { migrate } from "@/lib/server/db/migrate";
import { ZCapture, ZCapturePage, type TCaptureSummary } from "@/lib/shared/validation/captures";
import {
  ZCreateEndpointResponse,
  ZEndpoint,
  ZEndpointList,
  type TCreateEndpointResponse,
  type TEndpoint,
} from "@/lib/shared/validation/endpoints";
import { findApiRoutes } from "./support/api-routes";
import { startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";
import { wholeBodyText } from "./support/captures";

let app: RunningApp;
let db: { name: string; url: string };
let sql: pg.Client;

before(async () => {
  db = await createTestDatabase("api");
  app = await startApp({ databaseUrl: db.url });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
after(async () => {
  await sql?.end();
  await app?.stop();
  await dropDatabase(db.name);
});

// --- helpers ------------------------------------------------------------------------------

interface Call {
  method?: string;
  key?: string;
  cookie?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
}

function call(pathname: string, c: Call = {}): Promise<Response> {
  const headers: Record<string, string> = { ...c.headers };
  if (c.key) headers.authorization = `Bearer ${c.key}`;
  if (c.cookie) headers.cookie = c.cookie;
  let body = c.body;
  if (c.json !== undefined) {
    body = JSON.stringify(c.json);
    headers["content-type"] ??= "application/json";
  }
  return fetch(`${app.baseUrl}${pathname}`, { method: c.method ?? "GET", headers, body });
}

async function create(body?: unknown): Promise<{ ep: TCreateEndpointResponse; res: Response }> {
  const res = await call("/api/endpoints", body === undefined ? { method: "POST" } : { method: "POST", json: body });
  assert.equal(res.status, 201, `create: ${res.status} ${await res.clone().text()}`);
  return { ep: ZCreateEndpointResponse.parse(await res.json()), res };
}

async function newEndpoint(body?: unknown): Promise<TCreateEndpointResponse> {
  return (await create(body)).ep;
}

/** The `name=value` part of the key cookie the server set, ready for a Cookie header. */
function cookieFrom(res: Response): string {
  const set = res.headers.getSetCookie();
  assert.equal(set.length, 1, `one Set-Cookie: ${JSON.stringify(set)}`);
  return set[0]!.split(";")[0]!;
}

async function getEndpoint(ep: TCreateEndpointResponse): Promise<TEndpoint> {
  const r = await call(`/api/endpoints/${ep.id}`, { key: ep.managementKey });
  assert.equal(r.status, 200);
  return ZEndpoint.parse(await r.json());
}

/** Sends one request to the capture URL and returns the new capture's id. */
async function capture(ep: { captureUrl: string }, body: string | Uint8Array<ArrayBuffer> = "hello", suffix = ""): Promise<string> {
  const r = await fetch(`${ep.captureUrl}${suffix}`, { method: "POST", body, headers: { "content-type": "text/plain" } });
  assert.equal(r.status, 200, `capture: ${r.status}`);
  const { id } = (await r.json()) as { id: string };
  assert.match(id, /^[0-9a-f-]{36}$/);
  return id;
}

async function page(ep: TCreateEndpointResponse, query = ""): Promise<{ items: TCaptureSummary[]; nextCursor: string | null }> {
  const r = await call(`/api/endpoints/${ep.id}/captures${query}`, { key: ep.managementKey });
  assert.equal(r.status, 200, `list ${query}: ${r.status} ${await r.clone().text()}`);
  return ZCapturePage.parse(await r.json());
}

/** Asserts the `{ error: { code, message } }` envelope and returns the message. */
async function expectError(res: Response, status: number, code: string): Promise<string> {
  const text = await res.text();
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${text}`);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  assert.equal(body.error?.code, code, text);
  assert.equal(typeof body.error?.message, "string");
  assert.ok((body.error!.message as string).length > 0);
  return body.error!.message as string;
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// --- creating endpoints ----------------------------------------------------------------------

describe("POST /api/endpoints", () => {
  test("an empty request creates an endpoint with defaults, the key once, and the key cookie", async () => {
    const { ep, res } = await create();
    assert.match(ep.id, UUID);
    assert.match(ep.slug, /^[a-km-np-z2-9]{12}$/);
    assert.equal(ep.captureUrl, `${app.baseUrl}/h/${ep.slug}`);
    assert.equal(ep.dashboardUrl, `${app.baseUrl}/endpoints/${ep.id}`);
    assert.match(ep.managementKey, /^hsk_[A-Za-z0-9_-]{43}$/);
    assert.equal(ep.captureCount, 0);
    assert.equal(ep.lastCaptureAt, null);
    assert.ok(ep.name.length > 0);
    assert.deepEqual(ep.response, { status: 200, headers: [], body: null, contentType: null, delayMs: 0, handshakes: true });
    assert.equal(res.headers.get("cache-control"), "no-store");

    const [setCookie] = res.headers.getSetCookie();
    const parts = setCookie!.split(";").map((p) => p.trim());
    assert.equal(parts[0], `hsk_${ep.id}=${encodeURIComponent(ep.managementKey)}`);
    assert.ok(parts.includes("HttpOnly"), setCookie);
    assert.ok(parts.includes("SameSite=Lax"), setCookie);
    assert.ok(parts.includes("Path=/api"), setCookie);
    assert.ok(!parts.includes("Secure"), "no Secure flag over plain http, or the browser would drop the cookie");
    assert.ok(
      parts.some((p) => /^Max-Age=\d+$/.test(p) && Number(p.slice(8)) > 30 * 24 * 3600),
      "the cookie outlives the session",
    );
  });

  test("an empty JSON object and an empty body with a JSON content type work too", async () => {
    await newEndpoint({});
    const r = await call("/api/endpoints", { method: "POST", headers: { "content-type": "application/json" }, body: "" });
    assert.equal(r.status, 201);
  });

  test("name and response settings are stored and used by the capture URL", async () => {
    const ep = await newEndpoint({
      name: "  Stripe test  ",
      response: { status: 202, headers: [["X-Reply", "yes"]], body: "accepted", contentType: "text/plain; charset=utf-8" },
    });
    assert.equal(ep.name, "Stripe test");
    assert.deepEqual(ep.response, {
      status: 202,
      headers: [["X-Reply", "yes"]],
      body: "accepted",
      contentType: "text/plain; charset=utf-8",
      delayMs: 0,
      handshakes: true,
    });
    const r = await fetch(ep.captureUrl, { method: "POST", body: "x" });
    assert.equal(r.status, 202);
    assert.equal(r.headers.get("x-reply"), "yes");
    assert.equal(r.headers.get("content-type"), "text/plain; charset=utf-8");
    assert.equal(await r.text(), "accepted");
  });

  test("each endpoint gets its own id, slug and key", async () => {
    const a = await newEndpoint();
    const b = await newEndpoint();
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.slug, b.slug);
    assert.notEqual(a.managementKey, b.managementKey);
  });

  test("only a sha256 hash of the key reaches the database", async () => {
    const ep = await newEndpoint({ name: "hash check" });
    const { rows } = await sql.query<{ key_hash: string; row: string }>(
      `SELECT key_hash, row_to_json(e)::text AS row FROM endpoints e WHERE id = $1`,
      [ep.id],
    );
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.key_hash, sha256(ep.managementKey));
    const secret = ep.managementKey.slice(4);
    assert.ok(!rows[0]!.row.includes(secret), "the key itself is in no column");
    const anywhere = await sql.query(`SELECT 1 FROM endpoints e WHERE row_to_json(e)::text LIKE '%' || $1 || '%'`, [secret]);
    assert.equal(anywhere.rowCount, 0);
  });

  test("the key is never shown again: not by GET, PATCH or the list", async () => {
    const { ep, res } = await create({ name: "shown once" });
    const cookie = cookieFrom(res);
    const secret = ep.managementKey.slice(4);
    const texts = [
      await (await call(`/api/endpoints/${ep.id}`, { key: ep.managementKey })).text(),
      await (await call(`/api/endpoints/${ep.id}`, { method: "PATCH", key: ep.managementKey, json: { name: "renamed" } })).text(),
      await (await call(`/api/endpoints`, { cookie })).text(),
    ];
    for (const t of texts) {
      assert.ok(!t.includes(secret), t);
      assert.ok(!t.includes("managementKey"), t);
      assert.ok(!/keyHash|key_hash/.test(t), t);
    }
  });

  test("bad bodies get 400/415 with the error envelope and a message naming the problem", async () => {
    const post = (c: Call) => call("/api/endpoints", { method: "POST", ...c });
    assert.match(
      await expectError(await post({ body: "{}", headers: { "content-type": "text/plain" } }), 415, "UNSUPPORTED_MEDIA_TYPE"),
      /application\/json/,
    );
    assert.match(
      await expectError(await post({ body: "{nope", headers: { "content-type": "application/json" } }), 400, "BAD_REQUEST"),
      /not valid JSON/,
    );
    assert.match(await expectError(await post({ json: { nmae: "typo" } }), 400, "BAD_REQUEST"), /Unrecognized key: "nmae"/);
    assert.match(
      await expectError(await post({ json: { response: { status: 101 } } }), 400, "BAD_REQUEST"),
      /response\.status: Status must be 200–599/,
    );
    assert.match(await expectError(await post({ json: [] }), 400, "BAD_REQUEST"), /expected object/);
    const before = await sql.query(`SELECT count(*)::int AS n FROM endpoints`);
    await post({ json: { response: { delayMs: 99_999 } } });
    const afterCount = await sql.query(`SELECT count(*)::int AS n FROM endpoints`);
    assert.equal(afterCount.rows[0].n, before.rows[0].n, "a refused create stores nothing");
  });
});

describe("request size and unknown routes", () => {
  const big = (bytes: number) => JSON.stringify({ name: "x", response: { body: "y".repeat(bytes) } });

  test("the largest valid settings are accepted", async () => {
    // 256 Ki two-byte characters and 50 long headers: about 1.3 MiB of JSON.
    const headers = Array.from({ length: 50 }, (_, i) => [`X-H${i}`, "\u00e9".repeat(8192)]);
    const r = await call("/api/endpoints", { method: "POST", json: { response: { body: "é".repeat(256 * 1024), headers } } });
    assert.equal(r.status, 201, await r.clone().text());
    const ep = ZCreateEndpointResponse.parse(await r.json());
    assert.equal(ep.response.body!.length, 256 * 1024);
    assert.equal(ep.response.headers.length, 50);
  });

  test("bodies over 4 MiB get a readable 413, declared or streamed, and are never buffered", async () => {
    const ep = await newEndpoint();
    const declared = await call("/api/endpoints", {
      method: "POST",
      body: big(5 * 1024 * 1024),
      headers: { "content-type": "application/json" },
    });
    assert.equal(declared.headers.get("connection"), "close", "the connection is not reused after a refused body");
    assert.match(await expectError(declared, 413, "PAYLOAD_TOO_LARGE"), /larger than 4 MiB/);
    const patch = await call(`/api/endpoints/${ep.id}`, {
      method: "PATCH",
      key: ep.managementKey,
      body: big(5 * 1024 * 1024),
      headers: { "content-type": "application/json" },
    });
    await expectError(patch, 413, "PAYLOAD_TOO_LARGE");

    // Chunked, no Content-Length: the limit applies while reading.
    const chunk = new TextEncoder().encode("y".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"name":"'));
        if (sent > 8 * 1024 * 1024) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const init: RequestInit & { duplex: "half" } = {
      method: "POST",
      body: stream,
      headers: { "content-type": "application/json" },
      duplex: "half",
    };
    const streamed = await fetch(`${app.baseUrl}/api/endpoints`, init);
    await expectError(streamed, 413, "PAYLOAD_TOO_LARGE");
    assert.equal((await getEndpoint(ep)).name, ep.name, "the refused PATCH changed nothing");
  });

  test("an unknown /api path is a JSON 404, not the HTML page", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const msg = await expectError(await call("/api/no-such-thing/here", { method }), 404, "NOT_FOUND");
      assert.match(msg, new RegExp(`${method} /api/no-such-thing/here`));
    }
    const ep = await newEndpoint();
    await expectError(await call(`/api/endpoints/${ep.id}/nope`, { key: ep.managementKey }), 404, "NOT_FOUND");
  });
  test("a path with a malformed %-escape gets 400 with the envelope, not Next's bare 500", async () => {
    for (const pathname of ["/api/endpoints/%", "/api/captures/%zz/body", "/api/endpoints/%E0%A4%A", "/endpoints/%"]) {
      const msg = await expectError(await call(pathname), 400, "BAD_REQUEST");
      assert.match(msg, /%-escape/);
    }
    // A % in the query is the route's business, and a well-formed escape in the path is fine.
    await expectError(await call("/api/endpoints/%41?x=%"), 401, "UNAUTHORIZED");
  });

  test("a method a route does not answer gets 405 with Allow and the envelope, on every route; PROPFIND too", async () => {
    const fill = (pattern: string) => pattern.replace(/\[\w+\]/g, () => crypto.randomUUID());
    let checked = 0;
    for (const r of findApiRoutes()) {
      if (r.pattern.includes("[...")) continue; // the JSON 404 for unknown API paths answers every method
      const exported = new Set(r.methods);
      const allow = new Set([...exported, "OPTIONS", ...(exported.has("GET") ? ["HEAD"] : [])]);
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE", "PROPFIND"]) {
        if (exported.has(method)) continue;
        const pathname = fill(r.pattern);
        const res = await call(pathname, { method, json: method === "GET" ? undefined : {} });
        const msg = await expectError(res, 405, "METHOD_NOT_ALLOWED");
        assert.equal(res.headers.get("allow"), [...allow].sort().join(", "), `${method} ${r.pattern}`);
        assert.ok(msg.includes(method) && msg.includes(pathname), msg);
        checked++;
      }
    }
    assert.ok(checked >= 40, `checked ${checked} refusals`);
    // HEAD gets the status and Allow without a body; a method token on no route at all is a 404.
    const headOnPostOnly = await call(`/api/captures/${crypto.randomUUID()}/resend`, { method: "HEAD" });
    assert.equal(headOnPostOnly.status, 405);
    assert.equal(headOnPostOnly.headers.get("allow"), "OPTIONS, POST");
    assert.equal(await headOnPostOnly.text(), "");
    const msg = await expectError(await call("/api/no-such-thing", { method: "PROPFIND" }), 404, "NOT_FOUND");
    assert.match(msg, /PROPFIND \/api\/no-such-thing/);
  });
});

// --- reading, changing and deleting one endpoint ------------------------------------------

describe("GET, PATCH, DELETE /api/endpoints/:id", () => {
  test("work with the Bearer key", async () => {
    const ep = await newEndpoint({ name: "bearer" });
    const got = await getEndpoint(ep);
    assert.equal(got.name, "bearer");
    assert.equal(got.slug, ep.slug);

    const lower = await call(`/api/endpoints/${ep.id}`, { headers: { authorization: `bearer ${ep.managementKey}` } });
    assert.equal(lower.status, 200, "the auth scheme is case-insensitive");

    const patched = await call(`/api/endpoints/${ep.id}`, { method: "PATCH", key: ep.managementKey, json: { name: "bearer 2" } });
    assert.equal(patched.status, 200);
    assert.equal(ZEndpoint.parse(await patched.json()).name, "bearer 2");

    const del = await call(`/api/endpoints/${ep.id}`, { method: "DELETE", key: ep.managementKey });
    assert.equal(del.status, 204);
    await expectError(await call(`/api/endpoints/${ep.id}`, { key: ep.managementKey }), 404, "NOT_FOUND");
  });

  test("work with the cookie the browser got at creation", async () => {
    const { ep, res } = await create({ name: "cookie" });
    const cookie = cookieFrom(res);
    const got = await call(`/api/endpoints/${ep.id}`, { cookie: `theme=dark; ${cookie}; other=1` });
    assert.equal(got.status, 200);
    assert.equal(ZEndpoint.parse(await got.json()).name, "cookie");

    const patched = await call(`/api/endpoints/${ep.id}`, { method: "PATCH", cookie, json: { name: "cookie 2" } });
    assert.equal(patched.status, 200);
    assert.equal(ZEndpoint.parse(await patched.json()).name, "cookie 2");

    const del = await call(`/api/endpoints/${ep.id}`, { method: "DELETE", cookie });
    assert.equal(del.status, 204);
    const cleared = del.headers.getSetCookie();
    // The /api cookie, and the whole-site one an older version set.
    assert.deepEqual(
      cleared.map((c) => c.match(new RegExp(`^hsk_${ep.id}=; Path=(/api|/); Max-Age=0`))?.[1]),
      ["/api", "/"],
      "the key cookie is removed",
    );
    await expectError(await call(`/api/endpoints/${ep.id}`, { cookie }), 404, "NOT_FOUND");
  });

  test("PATCH changes only the fields sent, and the capture URL answers with the new settings", async () => {
    const ep = await newEndpoint({ name: "partial", response: { body: "old body", headers: [["X-Keep", "1"]] } });
    const before = await getEndpoint(ep);
    const r = await call(`/api/endpoints/${ep.id}`, {
      method: "PATCH",
      key: ep.managementKey,
      json: { response: { status: 418, delayMs: 0 } },
    });
    assert.equal(r.status, 200);
    const after = ZEndpoint.parse(await r.json());
    assert.equal(after.name, "partial");
    assert.deepEqual(after.response, { ...before.response, status: 418 });
    assert.ok(after.updatedAt > before.updatedAt, "updatedAt moves forward");
    assert.equal(after.createdAt, before.createdAt);
    assert.deepEqual(await getEndpoint(ep), after, "GET returns what PATCH returned");

    const hit = await fetch(ep.captureUrl, { method: "POST", body: "x" });
    assert.equal(hit.status, 418);
    assert.equal(await hit.text(), "old body");

    const reset = await call(`/api/endpoints/${ep.id}`, {
      method: "PATCH",
      key: ep.managementKey,
      json: { response: { body: null, headers: [] } },
    });
    assert.deepEqual(ZEndpoint.parse(await reset.json()).response, { ...before.response, status: 418, body: null, headers: [] });
  });

  test("PATCH validation: every refusal is 400/415 with the envelope and names the field; nothing changes", async () => {
    const ep = await newEndpoint({ name: "validated" });
    const before = await getEndpoint(ep);
    const patch = (c: Call) => call(`/api/endpoints/${ep.id}`, { method: "PATCH", key: ep.managementKey, ...c });
    const cases: [unknown, RegExp][] = [
      [{ response: { status: 100 } }, /^response\.status: Status must be 200–599/],
      [{ response: { status: 199 } }, /^response\.status: Status must be 200–599/],
      [{ response: { status: 600 } }, /^response\.status: Status must be 200–599/],
      [{ response: { status: 204.5 } }, /^response\.status: Status must be a whole number/],
      [{ response: { delayMs: -1 } }, /^response\.delayMs: Delay must be 0–30000 ms/],
      [{ response: { delayMs: 30_001 } }, /^response\.delayMs: Delay must be 0–30000 ms/],
      [{ response: { headers: [["Bad Header", "v"]] } }, /^response\.headers\.0\.0: Header name may only contain/],
      [
        {
          response: {
            headers: [
              ["X-Ok", "v"],
              ["X:Colon", "v"],
            ],
          },
        },
        /^response\.headers\.1\.0: Header name/,
      ],
      [{ response: { headers: [["Content-Length", "5"]] } }, /^response\.headers\.0\.0: This header is set by Hookscope/],
      [
        { response: { headers: [["X-Split", "a\r\nSet-Cookie: evil=1"]] } },
        /^response\.headers\.0\.1: Header value may not contain line breaks/,
      ],
      [{ response: { headers: [["X-Lf", "a\nb"]] } }, /^response\.headers\.0\.1: Header value may not contain line breaks/],
      [{ response: { contentType: "text/html\r\nX-Evil: 1" } }, /^response\.contentType: Header value may not contain line breaks/],
      [{ nmae: "typo" }, /Unrecognized key: "nmae"/],
      [{ response: { stauts: 404 } }, /^response: Unrecognized key: "stauts"/],
      [{ name: "" }, /^name: Name is empty/],
      [{ name: "x".repeat(101) }, /^name: Name is limited to 100 characters/],
    ];
    for (const [json, message] of cases) {
      const text = await expectError(await patch({ json }), 400, "BAD_REQUEST");
      assert.match(text, message, JSON.stringify(json));
    }
    assert.match(
      await expectError(await patch({ body: '{"name":"x"}', headers: { "content-type": "text/plain" } }), 415, "UNSUPPORTED_MEDIA_TYPE"),
      /Content-Type: application\/json/,
    );
    await expectError(await patch({ body: '{"name":"x"}' }), 415, "UNSUPPORTED_MEDIA_TYPE");
    assert.match(
      await expectError(await patch({ body: '{"name":', headers: { "content-type": "application/json" } }), 400, "BAD_REQUEST"),
      /not valid JSON/,
    );
    assert.match(
      await expectError(await patch({ body: "", headers: { "content-type": "application/json" } }), 400, "BAD_REQUEST"),
      /not valid JSON/,
    );
    assert.deepEqual(await getEndpoint(ep), before, "no refused PATCH changed anything");
  });

  test("DELETE removes the endpoint's captures and its capture URL", async () => {
    const ep = await newEndpoint();
    const id = await capture(ep);
    const del = await call(`/api/endpoints/${ep.id}`, { method: "DELETE", key: ep.managementKey });
    assert.equal(del.status, 204);
    assert.equal((await sql.query(`SELECT 1 FROM captures WHERE endpoint_id = $1`, [ep.id])).rowCount, 0);
    await expectError(await call(`/api/captures/${id}`, { key: ep.managementKey }), 404, "NOT_FOUND");
    const hit = await fetch(ep.captureUrl, { method: "POST", body: "x" });
    assert.equal(hit.status, 404, "the capture URL stops accepting requests");
  });
});

// --- listing endpoints --------------------------------------------------------------------

describe("GET /api/endpoints", () => {
  test("lists only the endpoints whose valid key cookies the client holds, newest first", async () => {
    const a = await create({ name: "list a" });
    const b = await create({ name: "list b" });
    const c = await create({ name: "list c" });
    const forgedB = `hsk_${b.ep.id}=${encodeURIComponent(`hsk_${"A".repeat(43)}`)}`;
    const unknown = `hsk_${crypto.randomUUID()}=${encodeURIComponent(a.ep.managementKey)}`;
    const cookie = [cookieFrom(a.res), forgedB, cookieFrom(c.res), unknown, "hsk_not-a-uuid=x", "session=1"].join("; ");

    const r = await call("/api/endpoints", { cookie });
    assert.equal(r.status, 200);
    const list = ZEndpointList.parse(await r.json());
    assert.deepEqual(
      list.items.map((e) => e.id),
      [c.ep.id, a.ep.id],
    );
    assert.deepEqual(
      list.items.map((e) => e.name),
      ["list c", "list a"],
    );
  });

  test("a key cookie named with an upper-case id still counts (it used to be a 500)", async () => {
    const { ep, res } = await create({ name: "upper" });
    const [name, value] = cookieFrom(res).split("=") as [string, string];
    const r = await call("/api/endpoints", { cookie: `${name.toUpperCase().replace("HSK_", "hsk_")}=${value}` });
    assert.equal(r.status, 200);
    assert.deepEqual(
      ZEndpointList.parse(await r.json()).items.map((e) => e.id),
      [ep.id],
    );
  });

  test("no cookies: an empty list, not other people's endpoints", async () => {
    await newEndpoint();
    const r = await call("/api/endpoints");
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { items: [] });
    const bearer = await call("/api/endpoints", { key: (await newEndpoint()).managementKey });
    assert.deepEqual(await bearer.json(), { items: [] }, "a Bearer key does not list anything either");
  });
});

// --- captures -------------------------------------------------------------------------------

describe("GET /api/endpoints/:id/captures", () => {
  test("limit and cursor are validated, naming the parameter", async () => {
    const ep = await newEndpoint();
    const list = (q: string) => call(`/api/endpoints/${ep.id}/captures${q}`, { key: ep.managementKey });
    assert.match(await expectError(await list("?limit=0"), 400, "BAD_REQUEST"), /^limit: /);
    assert.match(await expectError(await list("?limit=501"), 400, "BAD_REQUEST"), /^limit: limit is at most 500/);
    assert.match(await expectError(await list("?limit=abc"), 400, "BAD_REQUEST"), /^limit: /);
    assert.match(await expectError(await list("?limit=2.5"), 400, "BAD_REQUEST"), /^limit: /);
    assert.match(await expectError(await list("?cursor=abc"), 400, "BAD_REQUEST"), /^cursor: /);
    assert.match(await expectError(await list("?cursor=-4"), 400, "BAD_REQUEST"), /^cursor: /);
    assert.equal((await list("?limit=1")).status, 200);
    assert.equal((await list("?limit=500")).status, 200);
  });

  test("newest first, summaries only, with the endpoint's own sequence numbers", async () => {
    const ep = await newEndpoint();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await capture(ep, `body ${i}`, `/p${i}?q=${i}`));
    const { items, nextCursor } = await page(ep);
    assert.equal(nextCursor, null);
    assert.deepEqual(
      items.map((c) => c.id),
      [...ids].reverse(),
    );
    assert.deepEqual(
      items.map((c) => c.seq),
      [5, 4, 3, 2, 1],
    );
    assert.deepEqual(
      items.map((c) => c.path),
      ["/p4", "/p3", "/p2", "/p1", "/p0"],
    );
    assert.equal(items[0]!.query, "q=4");
    assert.equal(items[0]!.size, "body 4".length);
    assert.equal(items[0]!.method, "POST");
    assert.equal(items[0]!.endpointId, ep.id);
    assert.match(items[0]!.receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const raw = await (await call(`/api/endpoints/${ep.id}/captures`, { key: ep.managementKey })).text();
    assert.ok(!raw.includes("body 4"), "lists never carry bodies");
    assert.equal((await getEndpoint(ep)).captureCount, 5);
  });

  test("cursor pages stay stable while new captures keep arriving: no duplicates, no gaps", async () => {
    const ep = await newEndpoint();
    for (let i = 0; i < 25; i++) await capture(ep, `c${i}`);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const p = await page(ep, `?limit=7${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...p.items.map((c) => c.seq));
      cursor = p.nextCursor;
      pages++;
      // Newer captures land between page requests; they must not shift older pages.
      for (let i = 0; i < 3; i++) await capture(ep, `late ${pages}.${i}`);
    } while (cursor);
    assert.equal(pages, 4);
    assert.deepEqual(
      seen,
      Array.from({ length: 25 }, (_, i) => 25 - i),
    );

    const first = await page(ep, "?limit=7");
    assert.equal(first.items[0]!.seq, 25 + 3 * 4, "the newest page shows the late arrivals");
  });

  test("nextCursor is null when the last page is exactly full", async () => {
    const ep = await newEndpoint();
    for (let i = 0; i < 6; i++) await capture(ep);
    const p1 = await page(ep, "?limit=3");
    assert.equal(p1.items.length, 3);
    assert.equal(p1.nextCursor, String(p1.items[2]!.seq));
    const p2 = await page(ep, `?limit=3&cursor=${p1.nextCursor}`);
    assert.deepEqual(
      p2.items.map((c) => c.seq),
      [3, 2, 1],
    );
    assert.equal(p2.nextCursor, null);
    const empty = await page(ep, "?cursor=1");
    assert.deepEqual(empty, { items: [], nextCursor: null });
  });

  test("exactPath= keeps captures on exactly that path: the previous one on the same path is limit=1 below its seq", async () => {
    const ep = await newEndpoint();
    for (const suffix of ["/stripe", "/github", "/stripe?x=1", "/stripe/sub", "/Stripe", "/stripe"]) await capture(ep, "b", suffix);
    const p = await page(ep, `?exactPath=${encodeURIComponent("/stripe")}`);
    assert.deepEqual(
      p.items.map((c) => c.seq),
      [6, 3, 1],
    );
    const prev = await page(ep, `?exactPath=${encodeURIComponent("/stripe")}&cursor=6&limit=1`);
    assert.deepEqual(
      prev.items.map((c) => c.seq),
      [3],
    );
    assert.equal(prev.nextCursor, "3");
    assert.deepEqual(await page(ep, "?exactPath=%2Fnone"), { items: [], nextCursor: null });
    // With the search's prefix filter: both apply.
    assert.deepEqual((await page(ep, "?exactPath=%2Fstripe&method=GET")).items, []);
  });

  test("lists only the endpoint's own captures", async () => {
    const a = await newEndpoint();
    const b = await newEndpoint();
    await capture(a, "for a");
    await capture(b, "for b");
    await capture(b, "for b again");
    assert.deepEqual(
      (await page(a)).items.map((c) => c.endpointId),
      [a.id],
    );
    assert.equal((await page(b)).items.length, 2);
  });
});

describe("GET and DELETE /api/captures/:id", () => {
  test("a capture in full: headers as sent, a small body whole and once, as UTF-8 text", async () => {
    const ep = await newEndpoint();
    const r = await fetch(`${ep.captureUrl}/hook?a=1`, {
      method: "PUT",
      body: "héllo wörld",
      headers: { "X-Mixed-Case": "v1", "content-type": "text/plain; charset=utf-8" },
    });
    const { id } = (await r.json()) as { id: string };
    const res = await call(`/api/captures/${id}`, { key: ep.managementKey });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "no-store");
    const c = ZCapture.parse(await res.json());
    assert.equal(c.id, id);
    assert.equal(c.method, "PUT");
    assert.equal(c.path, "/hook");
    assert.equal(c.query, "a=1");
    assert.deepEqual(c.body, { encoding: "utf8", data: "héllo wörld" });
    assert.equal(c.bodySize, Buffer.byteLength("héllo wörld"));
    assert.equal(c.bodyTruncated, false);
    assert.equal(c.bodyUrl, `/api/captures/${id}/body`);
    assert.equal(c.size, Buffer.byteLength("héllo wörld"));
    assert.equal(c.contentType, "text/plain; charset=utf-8");
    assert.ok(
      c.headers.some(([n, v]) => n === "X-Mixed-Case" && v === "v1"),
      JSON.stringify(c.headers),
    );
  });

  test("a body that is not valid UTF-8: exact bytes once, in base64", async () => {
    const ep = await newEndpoint();
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28, 0x80]);
    const id = await capture(ep, bytes);
    const c = ZCapture.parse(await (await call(`/api/captures/${id}`, { key: ep.managementKey })).json());
    assert.deepEqual(c.body, { encoding: "base64", data: bytes.toString("base64") });
    assert.equal(wholeBodyText(c), null);
    assert.equal(c.size, bytes.length);

    const raw = await call(`/api/captures/${id}/body`, { key: ep.managementKey });
    assert.equal(raw.status, 200);
    assert.deepEqual(Buffer.from(await raw.arrayBuffer()), bytes);
    assert.match(raw.headers.get("content-disposition") ?? "", /^attachment;/);
    assert.equal(raw.headers.get("x-content-type-options"), "nosniff");
  });

  test("DELETE removes one capture (then 404) and keeps the count right", async () => {
    const ep = await newEndpoint();
    const keep = await capture(ep, "keep");
    const drop = await capture(ep, "drop");
    assert.equal((await getEndpoint(ep)).captureCount, 2);
    const del = await call(`/api/captures/${drop}`, { method: "DELETE", key: ep.managementKey });
    assert.equal(del.status, 204);
    assert.equal(await del.text(), "");
    await expectError(await call(`/api/captures/${drop}`, { key: ep.managementKey }), 404, "NOT_FOUND");
    await expectError(await call(`/api/captures/${drop}/body`, { key: ep.managementKey }), 404, "NOT_FOUND");
    await expectError(await call(`/api/captures/${drop}`, { method: "DELETE", key: ep.managementKey }), 404, "NOT_FOUND");
    assert.equal((await getEndpoint(ep)).captureCount, 1);
    assert.deepEqual(
      (await page(ep)).items.map((c) => c.id),
      [keep],
    );
  });

  test("DELETE /api/endpoints/:id/captures clears them; the count is 0 and seq keeps counting up", async () => {
    const ep = await newEndpoint();
    for (let i = 0; i < 4; i++) await capture(ep);
    const r = await call(`/api/endpoints/${ep.id}/captures`, { method: "DELETE", key: ep.managementKey });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { deleted: 4 });
    assert.deepEqual(await page(ep), { items: [], nextCursor: null });
    assert.equal((await getEndpoint(ep)).captureCount, 0);
    assert.equal((await sql.query(`SELECT 1 FROM captures WHERE endpoint_id = $1`, [ep.id])).rowCount, 0);

    await capture(ep);
    const after = await page(ep);
    assert.equal(after.items.length, 1);
    assert.equal(after.items[0]!.seq, 5, "sequence numbers are never reused (live clients rely on them)");
    assert.equal((await getEndpoint(ep)).captureCount, 1);

    const again = await call(`/api/endpoints/${ep.id}/captures`, { method: "DELETE", key: ep.managementKey });
    assert.deepEqual(await again.json(), { deleted: 1 });
  });
});

describe("capture counts under concurrency", () => {
  test("captureCount equals the stored captures after concurrent captures, deletes and a clear", async () => {
    const ep = await newEndpoint();
    const sends = Array.from({ length: 120 }, (_, i) => capture(ep, `n${i}`));
    const deleter = (async () => {
      for (let round = 0; round < 8; round++) {
        const { items } = await page(ep, "?limit=4");
        const results = await Promise.all(items.map((c) => call(`/api/captures/${c.id}`, { method: "DELETE", key: ep.managementKey })));
        // 404 is fine: the capture may have gone in the clear below, or another round got it.
        for (const r of results) assert.ok(r.status === 204 || r.status === 404, `delete: ${r.status}`);
        if (round === 4)
          assert.equal((await call(`/api/endpoints/${ep.id}/captures`, { method: "DELETE", key: ep.managementKey })).status, 200);
      }
    })();
    await Promise.all([...sends, deleter]);

    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM captures WHERE endpoint_id = $1`, [ep.id]);
    const endpoint = await getEndpoint(ep);
    assert.equal(endpoint.captureCount, rows[0]!.n, "the counter matches the rows");
    assert.ok(rows[0]!.n < 120, "some captures were deleted");
    let listed = 0;
    let cursor: string | null = null;
    do {
      const p = await page(ep, `?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
      listed += p.items.length;
      cursor = p.nextCursor;
    } while (cursor);
    assert.equal(listed, rows[0]!.n);
    const seq = await sql.query<{ seq: number }>(`SELECT capture_seq::int AS seq FROM endpoints WHERE id = $1`, [ep.id]);
    assert.equal(seq.rows[0]!.seq, 120, "every capture got its own sequence number");
  });
});

// --- access rules for every keyed route ----------------------------------------------------

describe("access", () => {
  interface Route {
    label: string;
    method: string;
    path: (endpointId: string, captureId: string) => string;
    json?: unknown;
  }
  const ROUTES: Route[] = [
    { label: "GET endpoint", method: "GET", path: (e) => `/api/endpoints/${e}` },
    { label: "PATCH endpoint", method: "PATCH", path: (e) => `/api/endpoints/${e}`, json: { name: "hijacked" } },
    { label: "DELETE endpoint", method: "DELETE", path: (e) => `/api/endpoints/${e}` },
    { label: "GET captures", method: "GET", path: (e) => `/api/endpoints/${e}/captures` },
    { label: "DELETE captures", method: "DELETE", path: (e) => `/api/endpoints/${e}/captures` },
    { label: "GET capture", method: "GET", path: (_, c) => `/api/captures/${c}` },
    { label: "DELETE capture", method: "DELETE", path: (_, c) => `/api/captures/${c}` },
    { label: "GET capture body", method: "GET", path: (_, c) => `/api/captures/${c}/body` },
  ];

  let victim: TCreateEndpointResponse;
  let victimCapture: string;
  let other: TCreateEndpointResponse;
  let otherCookie: string;

  before(async () => {
    victim = await newEndpoint({ name: "victim" });
    victimCapture = await capture(victim, "private");
    const o = await create({ name: "other" });
    other = o.ep;
    otherCookie = cookieFrom(o.res);
    await capture(other, "other's");
  });

  const send = (r: Route, endpointId: string, captureId: string, c: Call) =>
    call(r.path(endpointId, captureId), { method: r.method, json: r.json, ...c });

  /** Status, body and headers that could tell two answers apart (Date aside). */
  async function fingerprint(res: Response): Promise<string> {
    const headers = [...res.headers].filter(([n]) => n !== "date").sort();
    return JSON.stringify({ status: res.status, headers, body: await res.text() });
  }

  for (const r of ROUTES) {
    test(`${r.label}: no credentials → 401`, async () => {
      const msg = await expectError(await send(r, victim.id, victimCapture, {}), 401, "UNAUTHORIZED");
      assert.match(msg, /Authorization: Bearer/);
      // A cookie for some other purpose is not a credential either.
      await expectError(await send(r, victim.id, victimCapture, { cookie: "session=abc" }), 401, "UNAUTHORIZED");
    });

    test(`${r.label}: wrong key, another endpoint's key or cookie → 404`, async () => {
      await expectError(
        await send(r, victim.id, victimCapture, { key: `hsk_${crypto.randomBytes(32).toString("base64url")}` }),
        404,
        "NOT_FOUND",
      );
      await expectError(await send(r, victim.id, victimCapture, { key: other.managementKey }), 404, "NOT_FOUND");
      await expectError(await send(r, victim.id, victimCapture, { cookie: otherCookie }), 404, "NOT_FOUND");
      // Another endpoint's key stuffed into this endpoint's cookie name.
      await expectError(
        await send(r, victim.id, victimCapture, { cookie: `hsk_${victim.id}=${encodeURIComponent(other.managementKey)}` }),
        404,
        "NOT_FOUND",
      );
    });

    test(`${r.label}: a non-UUID id → 404, not 500`, async () => {
      for (const bad of ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g", "%27%3B--", "x".repeat(300)]) {
        await expectError(await send(r, bad, bad, { key: victim.managementKey }), 404, "NOT_FOUND");
      }
    });

    test(`${r.label}: "no such id" and "wrong key" are byte-identical 404s`, async () => {
      const missing = crypto.randomUUID();
      const wrongKey = await fingerprint(await send(r, victim.id, victimCapture, { key: other.managementKey }));
      const noSuchId = await fingerprint(await send(r, missing, missing, { key: other.managementKey }));
      const noSuchIdOwnKey = await fingerprint(await send(r, missing, missing, { key: victim.managementKey }));
      assert.equal(noSuchId, wrongKey);
      assert.equal(noSuchIdOwnKey, wrongKey);
      const notUuid = await fingerprint(await send(r, "not-a-uuid", "not-a-uuid", { key: other.managementKey }));
      assert.equal(notUuid, wrongKey);
    });
  }

  test("none of the refused requests changed anything", async () => {
    const ep = await getEndpoint(victim);
    assert.equal(ep.name, "victim");
    assert.equal(ep.captureCount, 1);
    const c = await call(`/api/captures/${victimCapture}`, { key: victim.managementKey });
    assert.equal(c.status, 200);
  });

  test("a capture is reachable only with its own endpoint's key", async () => {
    const res = await call(`/api/captures/${victimCapture}`, { key: other.managementKey });
    await expectError(res, 404, "NOT_FOUND");
    const ok = await call(`/api/captures/${victimCapture}`, {
      cookie: `${otherCookie}; hsk_${victim.id}=${encodeURIComponent(victim.managementKey)}`,
    });
    assert.equal(ok.status, 200, "the cookie for the capture's endpoint is picked out of several");
  });
});

// --- database outage -------------------------------------------------------------------------

describe("while the database is down", () => {
  let pgDir: string;
  let pgServer: EmbeddedDatabase;
  let port: number;
  let outageApp: RunningApp;

  before(async () => {
    // A PostgreSQL of its own, so stopping it does not disturb the other tests.
    pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-outage-"));
    fs.chmodSync(pgDir, 0o755);
    pgServer = await startEmbeddedPostgres(pgDir);
    port = pgServer.port;
    await migrate(pgServer.url);
    outageApp = await startApp({ databaseUrl: pgServer.url });
  });
  after(async () => {
    await outageApp?.stop();
    await pgServer?.stop();
    fs.rmSync(pgDir, { recursive: true, force: true });
  });

  test("API routes answer 503 with Retry-After, the process stays up, and it recovers by itself", async () => {
    const base = outageApp.baseUrl;
    const created = await fetch(`${base}/api/endpoints`, { method: "POST" });
    assert.equal(created.status, 201);
    const cookie = cookieFrom(created);
    const ep = ZCreateEndpointResponse.parse(await created.json());
    const hit = await fetch(ep.captureUrl, { method: "POST", body: "before the outage" });
    const { id: captureId } = (await hit.json()) as { id: string };
    const auth = { authorization: `Bearer ${ep.managementKey}` };

    await pgServer.stop();

    const requests: [string, () => Promise<Response>][] = [
      ["GET endpoint", () => fetch(`${base}/api/endpoints/${ep.id}`, { headers: auth })],
      [
        "PATCH endpoint",
        () =>
          fetch(`${base}/api/endpoints/${ep.id}`, {
            method: "PATCH",
            headers: { ...auth, "content-type": "application/json" },
            body: '{"name":"x"}',
          }),
      ],
      ["GET captures", () => fetch(`${base}/api/endpoints/${ep.id}/captures`, { headers: auth })],
      ["DELETE captures", () => fetch(`${base}/api/endpoints/${ep.id}/captures`, { method: "DELETE", headers: auth })],
      ["GET capture", () => fetch(`${base}/api/captures/${captureId}`, { headers: auth })],
      ["GET capture body", () => fetch(`${base}/api/captures/${captureId}/body`, { headers: auth })],
      ["DELETE capture", () => fetch(`${base}/api/captures/${captureId}`, { method: "DELETE", headers: auth })],
      ["POST endpoints", () => fetch(`${base}/api/endpoints`, { method: "POST" })],
      ["GET endpoints (cookie)", () => fetch(`${base}/api/endpoints`, { headers: { cookie } })],
    ];
    for (const [label, send] of requests) {
      const res = await send();
      const retryAfter = res.headers.get("retry-after");
      const msg = await expectError(res, 503, "DATABASE_UNAVAILABLE");
      assert.match(msg, /database is unavailable/i, label);
      assert.match(retryAfter ?? "", /^\d+$/, `${label}: Retry-After`);
    }
    const health = await fetch(`${base}/api/health`);
    assert.equal(health.status, 503);
    assert.equal(outageApp.process.exitCode, null, "the server keeps running");

    pgServer = await startEmbeddedPostgres(pgDir, { port });
    await waitFor(async () => (await fetch(`${base}/api/endpoints/${ep.id}`, { headers: auth })).status === 200, "the API to recover");
    const back = await fetch(`${base}/api/endpoints/${ep.id}/captures`, { headers: auth });
    assert.equal(back.status, 200);
    assert.deepEqual(
      ZCapturePage.parse(await back.json()).items.map((c) => c.id),
      [captureId],
      "nothing was lost or changed by the refused requests",
    );
  });
});
