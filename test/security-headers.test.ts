// Security headers and the key cookie, as the real server sends them: dashboard pages carry a CSP
// whose scripts need this response's nonce (no 'unsafe-inline' for scripts) and every inline
// script in the HTML carries it; nothing may frame the dashboard; API answers run nothing; the
// key cookie is httpOnly and SameSite, and Secure only when the request came over HTTPS through
// a trusted proxy.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import pg from "pg";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { getCapture } from "./support/captures";
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

async function page(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ csp: Map<string, string[]>; nonce: string; html: string; res: Response }> {
  const res = await fetch(`${app.baseUrl}${path}`, { headers });
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
  // A prefetch is a page too: another site's <link rel=prefetch> sends Purpose: prefetch, and the
  // browser may show what it fetched, so it gets the same policy and its scripts the nonce.
  for (const headers of [{ purpose: "prefetch" }, { "sec-purpose": "prefetch" }] as Record<string, string>[]) {
    const { nonce, html } = await page(`/endpoints/${ep.id}`, headers);
    for (const tag of html.matchAll(/<script\b[^>]*>/g)) assert.ok(tag[0].includes(`nonce="${nonce}"`), JSON.stringify(headers));
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

test("the key cookie: httpOnly, SameSite=Lax, /api only; Secure only for HTTPS reported by a trusted proxy", async () => {
  const plain = await createVia(app);
  assert.ok(plain.includes("httponly"));
  assert.ok(plain.includes("samesite=lax"));
  assert.ok(plain.includes("path=/api"), "a browser never sends it to a capture URL (/h/…), whose owner reads what arrives");
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

test("a key cookie sent to a capture URL is not stored: the capture URL's owner never reads another endpoint's key", async () => {
  // A browser that still holds a whole-site key cookie (set before keys were kept to /api) sends
  // it with a visit to anyone's capture URL; a link is enough.
  const victim = await createEndpoint(app.baseUrl);
  const trap = await createEndpoint(app.baseUrl);
  const res = await fetch(`${trap.captureUrl}/landing`, {
    headers: { cookie: `theme=dark; hsk_${victim.id}=${encodeURIComponent(victim.managementKey)}; other=1` },
  });
  assert.equal(res.status, 200);
  const id = res.headers.get("x-hookscope-capture-id");
  assert.ok(id);
  const stored = await getCapture(app.baseUrl, trap, id);
  const cookies = stored.headers.filter(([n]) => n.toLowerCase() === "cookie");
  assert.deepEqual(cookies, [["cookie", "theme=dark; other=1"]]);
  assert.ok(!JSON.stringify(stored).includes(victim.managementKey), "the key appears nowhere in the capture");
  // A Cookie header of key cookies alone is dropped whole.
  const only = await fetch(`${trap.captureUrl}/landing`, { headers: { cookie: `hsk_${victim.id}=${victim.managementKey}` } });
  const alone = await getCapture(app.baseUrl, trap, only.headers.get("x-hookscope-capture-id")!);
  assert.deepEqual(
    alone.headers.filter(([n]) => n.toLowerCase() === "cookie"),
    [],
  );
});

test("capture answers are inert in a browser: sandboxing CSP and nosniff on every answer, origin-acting headers refused", async () => {
  // An anonymous visitor's endpoint answering an HTML page with a script.
  const ep = await createEndpoint(app.baseUrl, {
    response: { body: "<script>fetch('/api/endpoints')</script>", contentType: "text/html" },
  });
  for (const method of ["GET", "POST", "HEAD", "PUT"]) {
    const res = await fetch(`${ep.captureUrl}/page`, { method });
    assert.equal(res.status, 200, method);
    const csp = directives(res.headers.get("content-security-policy") ?? "");
    assert.ok(csp.has("sandbox"), `${method}: scripts must not run in the dashboard's origin`);
    assert.deepEqual(csp.get("default-src"), ["'none'"], method);
    assert.deepEqual(csp.get("frame-ancestors"), ["'none'"], method);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff", method);
    await res.arrayBuffer();
  }
  // Errors from the capture path too (unknown slug).
  const missing = await fetch(`${app.baseUrl}/h/nosuchslug0000`);
  assert.ok(directives(missing.headers.get("content-security-policy") ?? "").has("sandbox"));
  assert.equal(missing.headers.get("x-content-type-options"), "nosniff");
  await missing.arrayBuffer();

  // A service-worker script fetch of a capture URL is refused, and not stored.
  const sw = await fetch(`${ep.captureUrl}/sw.js`, { headers: { "service-worker": "script" } });
  assert.equal(sw.status, 403);
  assert.equal(((await sw.json()) as { error: { code: string } }).error.code, "FORBIDDEN");

  // The settings API refuses headers that act on the origin, naming the header and why.
  const auth = { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" };
  const refused: [string, string, RegExp][] = [
    ["Set-Cookie", "a=1; Path=/; Max-Age=31536000", /Set-Cookie cannot be configured: it would store a cookie/],
    ["Service-Worker-Allowed", "/", /Service-Worker-Allowed cannot be configured/],
    ["Clear-Site-Data", '"*"', /Clear-Site-Data cannot be configured/],
    ["Refresh", "0; url=https://evil.example/", /Refresh cannot be configured/],
    ["Link", "</h/x/a.js>; rel=preload; as=script", /Link cannot be configured/],
    ["Sec-Session-Registration", '(ES256);path="/h/x/start"', /Sec-Session-Registration cannot be configured: Sec- headers are reserved/],
    ["Speculation-Rules", '"/h/x/rules.json"', /Speculation-Rules cannot be configured/],
    ["Content-Security-Policy", "script-src *", /Content-Security-Policy is set by Hookscope/],
    ["X-Content-Type-Options", "sniff", /X-Content-Type-Options is set by Hookscope/],
    ["Location", "https://evil.example/login", /Location must be a path on this host/],
    ["Location", "//evil.example/login", /Location must be a path on this host/],
  ];
  for (const [name, value, message] of refused) {
    for (const [method, url] of [
      ["PATCH", `${app.baseUrl}/api/endpoints/${ep.id}`],
      ["POST", `${app.baseUrl}/api/endpoints`],
    ] as const) {
      const r = await fetch(url, { method, headers: auth, body: JSON.stringify({ response: { status: 302, headers: [[name, value]] } }) });
      assert.equal(r.status, 400, `${method} ${name}: ${value}`);
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "BAD_REQUEST");
      assert.match(body.error.message, message, `${method} ${name}`);
    }
  }
  // A redirect within the host is fine.
  const local = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, {
    method: "PATCH",
    headers: auth,
    body: JSON.stringify({ response: { status: 302, headers: [["Location", `/h/${ep.slug}/done`]] } }),
  });
  assert.equal(local.status, 200);
  await local.arrayBuffer();
  const redirected = await fetch(ep.captureUrl, { redirect: "manual" });
  assert.equal(redirected.status, 302);
  assert.equal(redirected.headers.get("location"), `/h/${ep.slug}/done`);
  await redirected.arrayBuffer();
});

test("an endpoint stored with origin-acting headers before the rule answers without them, and the capture shows what was sent", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const hostile = [
    ["Set-Cookie", "bomb=x; Path=/; Max-Age=31536000"],
    ["Service-Worker-Allowed", "/"],
    ["Location", "https://evil.example/login"],
    ["Content-Security-Policy", "script-src *"],
    ["X-Kept", "1"],
  ];
  const sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  try {
    // Written as an old release (or a hand edit) would have: the endpoint and its current revision.
    await sql.query("UPDATE endpoints SET response_status = 302, response_headers = $2 WHERE id = $1", [ep.id, JSON.stringify(hostile)]);
    await sql.query(
      "UPDATE endpoint_responses SET status = 302, headers = $2 WHERE endpoint_id = $1 AND rev = (SELECT response_rev FROM endpoints WHERE id = $1)",
      [ep.id, JSON.stringify(hostile)],
    );
  } finally {
    await sql.end();
  }
  const res = await fetch(ep.captureUrl, { method: "POST", redirect: "manual" });
  assert.equal(res.status, 302);
  assert.deepEqual(res.headers.getSetCookie(), []);
  assert.equal(res.headers.get("service-worker-allowed"), null);
  assert.equal(res.headers.get("location"), null);
  assert.equal(res.headers.get("content-security-policy"), "default-src 'none'; frame-ancestors 'none'; sandbox");
  assert.equal(res.headers.get("x-kept"), "1");
  await res.arrayBuffer();
  const c = await getCapture(app.baseUrl, ep, res.headers.get("x-hookscope-capture-id")!);
  const sent = c.response!.headers.map(([n]) => n.toLowerCase());
  for (const gone of ["set-cookie", "service-worker-allowed", "location"]) assert.ok(!sent.includes(gone), gone);
  assert.equal(sent.filter((n) => n === "content-security-policy").length, 1);
  // The settings shown are what is answered.
  const shown = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, { headers: { authorization: `Bearer ${ep.managementKey}` } });
  assert.deepEqual(((await shown.json()) as { response: { headers: unknown } }).response.headers, [["X-Kept", "1"]]);
});
