// Getting an endpoint into a browser and back out: adding one by its management key alone
// (POST /api/endpoints/session), the dashboard link any tab can ask for (POST
// /api/endpoints/:id/dashboard-link, from the key cookie), and deleting an endpoint (its key then
// opens nothing and its capture URL answers 404). test/access.test.ts covers both routes' refusals
// generically; this file checks what each does for real.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { SseClient } from "./support/sse";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("endpoint_keys");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

const call = (p: string, init: RequestInit = {}) => fetch(`${app.baseUrl}${p}`, { ...init, signal: AbortSignal.timeout(15_000) });
const cookieOf = (ep: { id: string; managementKey: string }) => `hsk_${ep.id}=${encodeURIComponent(ep.managementKey)}`;
const errorOf = async (r: Response) => ((await r.json()) as { error: { code: string; message: string } }).error;

test("POST /api/endpoints/session: a bare key adds its endpoint to the browser; a wrong or missing key is refused in words", async () => {
  const ep = await createEndpoint(app.baseUrl, { name: "added by key" });

  const none = await call("/api/endpoints/session", { method: "POST" });
  assert.equal(none.status, 401);
  assert.match((await errorOf(none)).message, /Authorization: Bearer <key>/);
  // A cookie is not a key to trade: it is already in the browser.
  const cookieOnly = await call("/api/endpoints/session", { method: "POST", headers: { cookie: cookieOf(ep) } });
  assert.equal(cookieOnly.status, 401);

  const wrong = await call("/api/endpoints/session", { method: "POST", headers: { authorization: "Bearer hsk_notakeynotakeynotakey" } });
  assert.equal(wrong.status, 404);
  const err = await errorOf(wrong);
  assert.equal(err.code, "NOT_FOUND");
  assert.match(err.message, /No endpoint has this management key/);
  assert.equal(wrong.headers.get("set-cookie"), null);

  const ok = await call("/api/endpoints/session", { method: "POST", headers: { authorization: `Bearer ${ep.managementKey}` } });
  assert.equal(ok.status, 200, await ok.clone().text());
  const body = (await ok.json()) as { id: string; name: string; managementKey?: string };
  assert.equal(body.id, ep.id);
  assert.equal(body.name, "added by key");
  assert.equal(body.managementKey, undefined, "the key is not echoed");
  const setCookie = ok.headers.get("set-cookie") ?? "";
  assert.match(setCookie, new RegExp(`^hsk_${ep.id}=${encodeURIComponent(ep.managementKey).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")};`));
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Lax/);

  // That cookie is what GET /api/endpoints lists by.
  const list = await call("/api/endpoints", { headers: { cookie: setCookie.split(";")[0]! } });
  assert.deepEqual(
    ((await list.json()) as { items: { id: string }[] }).items.map((i) => i.id),
    [ep.id],
  );
});

test("POST /api/endpoints/:id/dashboard-link: from the cookie (same origin) or a Bearer key; refused cross-site, with another key, and as GET", async () => {
  const ep = await createEndpoint(app.baseUrl, { name: "linked" });
  const other = await createEndpoint(app.baseUrl, { name: "other" });
  const path = `/api/endpoints/${ep.id}/dashboard-link`;

  for (const headers of <Record<string, string>[]>[
    { cookie: cookieOf(ep), "sec-fetch-site": "same-origin", origin: app.baseUrl },
    { authorization: `Bearer ${ep.managementKey}` },
  ]) {
    const r = await call(path, { method: "POST", headers });
    assert.equal(r.status, 200, await r.clone().text());
    assert.match(r.headers.get("cache-control") ?? "", /no-store/);
    const link = (await r.json()) as { url: string; managementKey: string };
    assert.equal(link.managementKey, ep.managementKey);
    assert.equal(link.url, `${app.baseUrl}/endpoints/${ep.id}#key=${encodeURIComponent(ep.managementKey)}`);
  }

  const crossSite = await call(path, {
    method: "POST",
    headers: { cookie: cookieOf(ep), "sec-fetch-site": "cross-site", origin: "https://evil.example" },
  });
  assert.equal(crossSite.status, 403);
  const crossBody = await crossSite.text();
  assert.equal((JSON.parse(crossBody) as { error: { code: string } }).error.code, "CROSS_SITE_REQUEST");
  assert.ok(!crossBody.includes(ep.managementKey));

  const otherKey = await call(path, { method: "POST", headers: { cookie: cookieOf(other) } });
  assert.equal(otherKey.status, 404);
  assert.ok(!(await otherKey.text()).includes(ep.managementKey));

  const get = await call(path, { headers: { cookie: cookieOf(ep) } });
  assert.equal(get.status, 405);
  assert.ok(!(await get.text()).includes(ep.managementKey));
});

test("DELETE /api/endpoints/:id: afterwards its key opens nothing, it is not listed, and its capture URL answers 404", async () => {
  const ep = await createEndpoint(app.baseUrl, { name: "doomed" });
  assert.equal((await fetch(ep.captureUrl, { method: "POST", body: "x" })).status, 200);
  const del = await call(`/api/endpoints/${ep.id}`, {
    method: "DELETE",
    headers: { cookie: cookieOf(ep), "sec-fetch-site": "same-origin", origin: app.baseUrl },
  });
  assert.equal(del.status, 204);
  assert.match(del.headers.get("set-cookie") ?? "", new RegExp(`^hsk_${ep.id}=;.*Max-Age=0`));

  assert.equal((await fetch(ep.captureUrl, { method: "POST", body: "y" })).status, 404);
  const session = await call("/api/endpoints/session", { method: "POST", headers: { authorization: `Bearer ${ep.managementKey}` } });
  assert.equal(session.status, 404);
  await session.arrayBuffer();
  const list = await call("/api/endpoints", { headers: { cookie: cookieOf(ep) } });
  assert.deepEqual(((await list.json()) as { items: unknown[] }).items, []);
});

test("a browser holds at most 100 live keys: one more is refused in words, one it holds is not; cookies that open nothing do not count and are expired", async () => {
  const ep = await createEndpoint(app.baseUrl, { name: "one more" });
  const held = await Promise.all(Array.from({ length: 100 }, (_, i) => createEndpoint(app.baseUrl, { name: `held ${i}` })));
  const cookies = (eps: { id: string; managementKey: string }[]) => eps.map(cookieOf).join("; ");
  const bearer = { authorization: `Bearer ${ep.managementKey}` };
  // Cookies of deleted endpoints (or replaced keys) open nothing: they do not count.
  const dead = Array.from({ length: 50 }, (_, i) => `hsk_00000000-0000-4000-8000-${String(i).padStart(12, "0")}=hsk_x${i}`).join("; ");

  // 99 live (and 50 dead): room for one more.
  const room = await call(`/api/endpoints/${ep.id}/session`, {
    method: "POST",
    headers: { ...bearer, cookie: `${cookies(held.slice(1))}; ${dead}` },
  });
  assert.equal(room.status, 204);
  assert.match(room.headers.get("set-cookie") ?? "", new RegExp(`^hsk_${ep.id}=`));

  // 100 live: a dashboard link, a pasted key and a create from the home page are refused, and set nothing.
  const full = cookies(held);
  const refusals = [
    await call(`/api/endpoints/${ep.id}/session`, { method: "POST", headers: { ...bearer, cookie: full } }),
    await call("/api/endpoints/session", { method: "POST", headers: { ...bearer, cookie: full } }),
    await call("/api/endpoints", { method: "POST", headers: { cookie: full } }),
  ];
  for (const r of refusals) {
    assert.equal(r.status, 409);
    assert.equal(r.headers.get("set-cookie"), null);
    assert.match((await errorOf(r)).message, /already holds the keys of 100 endpoints, the most it keeps \(100\)\. Remove some/);
  }
  // Renewing a key the browser holds is not one more.
  const renewed = await call(`/api/endpoints/${held[0]!.id}/session`, {
    method: "POST",
    headers: { authorization: `Bearer ${held[0]!.managementKey}`, cookie: full },
  });
  assert.equal(renewed.status, 204);
  // Scripts and API clients send no cookies: creating through the API is never limited by this.
  assert.equal((await call("/api/endpoints", { method: "POST" })).status, 201);

  // The home page's list expires the dead cookies (both paths) and lists the live ones.
  const list = await call("/api/endpoints", { headers: { cookie: `${cookieOf(ep)}; ${dead}` } });
  assert.equal(list.status, 200);
  assert.deepEqual(
    ((await list.json()) as { items: { id: string }[] }).items.map((e) => e.id),
    [ep.id],
  );
  const expired = list.headers.getSetCookie();
  assert.equal(expired.length, 100, "50 dead cookies, each at /api and /");
  assert.ok(
    expired.every((c) => /^hsk_00000000-0000-4000-8000-\d{12}=; Path=\/(api)?; Max-Age=0/.test(c)),
    expired[0],
  );
});

test("DELETE /api/endpoints/:id/session: this browser forgets the endpoint (both cookie paths cleared); the endpoint stays", async () => {
  const ep = await createEndpoint(app.baseUrl, { name: "forget me" });
  const sameOrigin = { cookie: cookieOf(ep), "sec-fetch-site": "same-origin", origin: app.baseUrl };
  // Another site's page cannot make the browser forget it.
  const crossSite = await call(`/api/endpoints/${ep.id}/session`, {
    method: "DELETE",
    headers: { ...sameOrigin, "sec-fetch-site": "cross-site" },
  });
  assert.equal(crossSite.status, 403);
  const r = await call(`/api/endpoints/${ep.id}/session`, { method: "DELETE", headers: sameOrigin });
  assert.equal(r.status, 204);
  assert.deepEqual(
    r.headers.getSetCookie().map((c) => c.match(new RegExp(`^hsk_${ep.id}=; Path=(/api|/); Max-Age=0`))?.[1]),
    ["/api", "/"],
  );
  // Still there, for its key.
  const got = await call(`/api/endpoints/${ep.id}`, { headers: { authorization: `Bearer ${ep.managementKey}` } });
  assert.equal(got.status, 200);
  assert.equal((await fetch(ep.captureUrl, { method: "POST", body: "x" })).status, 200);
});

test("POST /api/endpoints/:id/key replaces the key: the old one, its links and its open streams stop working; the new one works", async () => {
  const ep = await createEndpoint(app.baseUrl, { name: "leaked" });
  const old = { authorization: `Bearer ${ep.managementKey}` };
  const events = await SseClient.open(`${app.baseUrl}/api/endpoints/${ep.id}/events`, old);
  const smee = await SseClient.open(`${app.baseUrl}/api/endpoints/${ep.id}/smee?key=${encodeURIComponent(ep.managementKey)}`);
  try {
    await events.waitFor((c) => c.events.some((e) => e.event === "ready"), "the live stream's ready");
    await smee.waitFor((c) => c.events.some((e) => e.event === "ready"), "the smee stream's ready");

    const r = await call(`/api/endpoints/${ep.id}/key`, { method: "POST", headers: old });
    assert.equal(r.status, 200);
    const { managementKey, url } = (await r.json()) as { managementKey: string; url: string };
    assert.match(managementKey, /^hsk_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(managementKey, ep.managementKey);
    assert.equal(url, `${app.baseUrl}/endpoints/${ep.id}#key=${encodeURIComponent(managementKey)}`);
    assert.match(r.headers.get("set-cookie") ?? "", new RegExp(`^hsk_${ep.id}=${encodeURIComponent(managementKey)}; Path=/api`));

    // The old key opens nothing: Bearer, cookie, dashboard link (session), smee URL.
    assert.equal((await call(`/api/endpoints/${ep.id}`, { headers: old })).status, 404);
    assert.equal((await call(`/api/endpoints/${ep.id}`, { headers: { cookie: cookieOf(ep) } })).status, 404);
    assert.equal((await call(`/api/endpoints/${ep.id}/session`, { method: "POST", headers: old })).status, 404);
    // Streams opened with it end by themselves (re-checked every 5 s).
    await events.waitForClose(20_000);
    await smee.waitForClose(20_000);

    // The whole-site cookie an older version set is ended too; a browser that still sends it after
    // the /api one (browsers put the longer path first) is judged by the /api one.
    assert.ok(r.headers.getSetCookie().some((c) => c.startsWith(`hsk_${ep.id}=; Path=/; Max-Age=0`)));
    const both = `hsk_${ep.id}=${encodeURIComponent(managementKey)}; ${cookieOf(ep)}`;
    assert.equal((await call(`/api/endpoints/${ep.id}`, { headers: { cookie: both } })).status, 200);

    const fresh = { authorization: `Bearer ${managementKey}` };
    assert.equal((await call(`/api/endpoints/${ep.id}`, { headers: fresh })).status, 200);
    assert.equal((await fetch(ep.captureUrl, { method: "POST", body: "x" })).status, 200, "the capture URL is unchanged");

    // Two replacements at once with one key: exactly one wins; the other is told, and its key is not the one in force.
    const racing = await Promise.all([1, 2].map(() => call(`/api/endpoints/${ep.id}/key`, { method: "POST", headers: fresh })));
    assert.equal(racing.filter((b) => b.status === 200).length, 1);
    for (const b of racing) if (b.status !== 200) assert.ok([404, 409].includes(b.status), String(b.status));
  } finally {
    events.close();
    smee.close();
  }
});
