// Security headers and the key cookie, as the real server sends them: dashboard pages carry a CSP
// whose scripts need this response's nonce (no 'unsafe-inline' for scripts) and every inline
// script in the HTML carries it; nothing may frame the dashboard; API answers run nothing; the
// key cookie is httpOnly and SameSite, and Secure only when the request came over HTTPS through
// a trusted proxy.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";

let app: RunningApp;
let proxied: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("headers");
  [app, proxied] = await Promise.all([startApp({ databaseUrl: db.url }), startApp({ databaseUrl: db.url, env: { TRUST_PROXY: "1" } })]);
});
after(async () => {
  await Promise.all([app?.stop(), proxied?.stop()]);
  if (db) await dropDatabase(db.name);
});

/** Directives of a CSP header: name → sources. */
function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(";")) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

async function page(path: string): Promise<{ csp: Map<string, string[]>; nonce: string; html: string; res: Response }> {
  const res = await fetch(`${app.baseUrl}${path}`);
  assert.equal(res.status, 200, path);
  const header = res.headers.get("content-security-policy");
  assert.ok(header, `${path}: no Content-Security-Policy`);
  const csp = directives(header);
  const nonceSource = csp.get("script-src")?.find((s) => s.startsWith("'nonce-"));
  assert.ok(nonceSource, `${path}: script-src has no nonce: ${header}`);
  return { csp, nonce: nonceSource.slice("'nonce-".length, -1), html: await res.text(), res };
}

test("dashboard pages: scripts need this response's nonce (no 'unsafe-inline'), and every script tag carries it", async () => {
  const ep = await createEndpoint(app.baseUrl);
  for (const path of ["/", `/endpoints/${ep.id}`]) {
    const { csp, nonce, html, res } = await page(path);
    const scripts = csp.get("script-src")!;
    assert.ok(!scripts.includes("'unsafe-inline'"), `${path}: script-src allows 'unsafe-inline'`);
    assert.ok(!scripts.includes("'unsafe-eval'"), `${path}: script-src allows 'unsafe-eval' in production`);
    assert.ok(scripts.includes("'strict-dynamic'"));
    assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/, "128 random bits");
    assert.deepEqual(csp.get("frame-ancestors"), ["'none'"]);
    assert.deepEqual(csp.get("object-src"), ["'none'"]);
    assert.deepEqual(csp.get("base-uri"), ["'none'"]);
    assert.deepEqual(csp.get("worker-src"), ["'self'", "blob:"], "workers from our own files still start");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    assert.equal(res.headers.get("x-frame-options"), "DENY");

    // Every <script> in the HTML (Next's bootstrap and chunks, the theme script) has the nonce;
    // without it the browser would not run it.
    const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(tags.length > 1, `${path}: expected several scripts`);
    for (const tag of tags) assert.ok(tag.includes(`nonce="${nonce}"`), `${path}: a script without the nonce: ${tag}`);
    assert.ok(html.includes("hookscope-theme"), `${path}: the no-flash theme script is inlined`);
  }
  // A fresh nonce for every response.
  const a = await page("/");
  const b = await page("/");
  assert.notEqual(a.nonce, b.nonce);
});

test("API answers: a CSP that runs and frames nothing, nosniff, no referrer", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const hit = await fetch(`${ep.captureUrl}/x`, {
    method: "POST",
    headers: { "content-type": "text/html" },
    body: "<script>alert(1)</script>",
  });
  const id = hit.headers.get("x-hookscope-capture-id")!;
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  for (const path of [`/api/endpoints/${ep.id}`, `/api/captures/${id}/body`, "/api/health", "/api/no/such/route"]) {
    const res = await fetch(`${app.baseUrl}${path}`, { headers: auth });
    await res.arrayBuffer();
    const csp = directives(res.headers.get("content-security-policy") ?? "");
    assert.deepEqual(csp.get("default-src"), ["'none'"], path);
    assert.deepEqual(csp.get("frame-ancestors"), ["'none'"], path);
    assert.ok(csp.has("sandbox"), path);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
    assert.equal(res.headers.get("referrer-policy"), "no-referrer", path);
  }
  const body = await fetch(`${app.baseUrl}/api/captures/${id}/body`, { headers: auth });
  assert.match(body.headers.get("content-disposition") ?? "", /^attachment/);
  await body.arrayBuffer();
});

function keyCookieOf(res: Response, endpointId: string): string[] {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`hsk_${endpointId}=`));
  assert.ok(cookie, "a key cookie is set");
  return cookie.split(";").map((s) => s.trim().toLowerCase());
}

async function createVia(a: RunningApp, headers: Record<string, string> = {}) {
  const res = await fetch(`${a.baseUrl}/api/endpoints`, { method: "POST", headers });
  assert.equal(res.status, 201);
  const { id } = (await res.json()) as { id: string };
  return keyCookieOf(res, id);
}

test("the key cookie: httpOnly and SameSite=Lax; Secure only for HTTPS reported by a trusted proxy", async () => {
  const plain = await createVia(app);
  assert.ok(plain.includes("httponly"));
  assert.ok(plain.includes("samesite=lax"));
  assert.ok(plain.includes("path=/"));
  assert.ok(!plain.includes("secure"), "plain HTTP: a Secure cookie would never come back");

  // No proxy trusted: anyone can send X-Forwarded-Proto, so it changes nothing.
  const spoofed = await createVia(app, { "x-forwarded-proto": "https" });
  assert.ok(!spoofed.includes("secure"));

  // Behind one trusted proxy that says the browser used HTTPS.
  const behind = await createVia(proxied, { "x-forwarded-proto": "https", "x-forwarded-for": "203.0.113.9" });
  assert.ok(behind.includes("secure"));
  assert.ok(behind.includes("httponly"));
  assert.ok(behind.includes("samesite=lax"));
  const behindHttp = await createVia(proxied, { "x-forwarded-proto": "http" });
  assert.ok(!behindHttp.includes("secure"));
});
