// Access, enumerated: every app/api/**/route.ts found on disk (so a route added later is covered
// without touching this file) and every method it exports is called without the endpoint's key:
// no credentials, an unrelated cookie, a made-up key, another endpoint's key as Bearer, as its
// own cookie, under this endpoint's cookie name and as ?key=. Each must be refused the way
// lib/server/http/auth refuses (401 without credentials, 404 otherwise), reveal nothing of the endpoint,
// and change nothing. Public routes are an explicit allow-list below, each with its reason and
// its own check. With the right key every route answers for real (so a refusal above came from
// the route, not from a typo'd URL), and no answer ever echoes the management key.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { findApiRoutes, METHODS, type ApiRoute } from "./support/api-routes";
import { createTestDatabase, dropDatabase } from "./support/db";

const ROUTES = findApiRoutes();

/**
 * Routes anyone may call, and why. Everything else needs the endpoint's management key.
 * A route listed here gets its own check below instead of the refusal checks.
 */
const PUBLIC: Record<string, { methods: string[]; reason: string }> = {
  "/api/health": { methods: ["GET"], reason: "liveness for load balancers: database up/down and a subscriber count, nothing per endpoint" },
  "/api/endpoints": {
    methods: ["GET", "POST"],
    reason: "POST creates a new endpoint (the front door); GET lists only endpoints whose key cookies the caller sends",
  },
  "/api/endpoints/session": {
    methods: ["POST"],
    reason:
      "trades a Bearer management key for the key cookie of the one endpoint that key opens (adding an endpoint by its key); the key is the credential, so it opens nothing else",
  },
  "/api/[...path]": { methods: METHODS, reason: "the JSON 404 for unknown API paths" },
  "/api/instance": {
    methods: ["GET"],
    reason:
      "what this instance asks of a visitor before any key exists (an endpoint-creation token or not, retention ceilings); nothing per endpoint",
  },
};

/** Share links: authorised by their own token, not the management key (checked with a made-up token). */
const isShareRoute = (r: ApiRoute) => /\/shares?\b|\/s\//.test(r.pattern) && /\[(token|shareToken)\]/.test(r.pattern);
/** The OpenAPI description of the API: public documentation, no data. */
const isOpenApiRoute = (r: ApiRoute) => /openapi/i.test(r.pattern);

let app: RunningApp;
let db: { name: string; url: string };
type Created = Awaited<ReturnType<typeof createEndpoint>>;
let victim: Created;
let other: Created;
let victimCapture: string;
let victimSecretId: string;
/** Strings that belong to the victim; none may appear in an answer to someone without its key. */
let secrets: string[];

const call = (p: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  fetch(`${app.baseUrl}${p}`, { ...init, redirect: "manual", signal: AbortSignal.timeout(15_000) });

before(async () => {
  db = await createTestDatabase("access");
  app = await startApp({ databaseUrl: db.url });
  const marker = crypto.randomBytes(8).toString("hex");
  victim = await createEndpoint(app.baseUrl, { name: `victim-${marker}` });
  other = await createEndpoint(app.baseUrl, { name: "other" });
  const cap = await fetch(`${victim.captureUrl}/private`, {
    method: "POST",
    headers: { "x-private": `header-${marker}` },
    body: `body-${marker}`,
  });
  assert.equal(cap.status, 200);
  victimCapture = cap.headers.get("x-hookscope-capture-id")!;
  await fetch(`${other.captureUrl}/theirs`, { method: "POST", body: "other's" });
  const signingSecret = `whsec_${crypto.randomBytes(24).toString("base64")}`;
  const sec = await call(`/api/endpoints/${victim.id}/secrets`, {
    method: "POST",
    headers: { authorization: `Bearer ${victim.managementKey}`, "content-type": "application/json" },
    body: JSON.stringify({ label: `label-${marker}`, scheme: "stripe", secret: signingSecret }),
  });
  assert.equal(sec.status, 201, await sec.clone().text());
  victimSecretId = ((await sec.json()) as { id: string }).id;
  secrets = [victim.managementKey, victim.slug, `victim-${marker}`, `body-${marker}`, `header-${marker}`, `label-${marker}`, signingSecret];
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

/** A concrete URL for a route pattern, pointing at the victim's resources. */
function urlFor(pattern: string): string {
  const segs = pattern.split("/");
  return segs
    .map((s, i) => {
      if (/^\[\.\.\.[^\]]+\]$/.test(s) || /^\[\[\.\.\.[^\]]+\]\]$/.test(s)) return "no/such/route";
      const m = /^\[([^\]]+)\]$/.exec(s);
      if (!m) return s;
      const parent = segs[i - 1];
      const name = m[1]!;
      if (name === "id" && parent === "endpoints") return victim.id;
      if (name === "id" && parent === "captures") return victimCapture;
      if (name === "slug") return victim.slug;
      if (name === "secretId") return victimSecretId;
      // A child resource this test does not create: a made-up id (the parent's key is checked first).
      return crypto.randomUUID();
    })
    .join("/");
}

/** A body any JSON route would accept if it did not check the key first. */
const PAYLOAD = JSON.stringify({
  name: "hijacked",
  label: "hijacked",
  scheme: "stripe",
  secret: "whsec_aGlqYWNrZWQ=",
  provider: "stripe",
  target: "self",
  url: "http://127.0.0.1:9/",
  response: { status: 418 },
});

const WITHOUT_KEY: { label: string; headers: () => Record<string, string>; query?: () => string; noCredentials: boolean }[] = [
  { label: "no credentials", headers: () => ({}), noCredentials: true },
  { label: "an unrelated cookie", headers: () => ({ cookie: "session=abc; theme=dark" }), noCredentials: true },
  {
    label: "a made-up key",
    headers: () => ({ authorization: `Bearer hsk_${crypto.randomBytes(32).toString("base64url")}` }),
    noCredentials: false,
  },
  { label: "another endpoint's key", headers: () => ({ authorization: `Bearer ${other.managementKey}` }), noCredentials: false },
  {
    label: "another endpoint's cookie",
    headers: () => ({ cookie: `hsk_${other.id}=${encodeURIComponent(other.managementKey)}` }),
    noCredentials: false,
  },
  {
    label: "another endpoint's key in this endpoint's cookie",
    headers: () => ({ cookie: `hsk_${victim.id}=${encodeURIComponent(other.managementKey)}` }),
    noCredentials: false,
  },
  // A route that takes the key from the URL (for clients that cannot send headers) must check it too.
  {
    label: "another endpoint's key as ?key=",
    headers: () => ({}),
    query: () => `key=${encodeURIComponent(other.managementKey)}`,
    noCredentials: true,
  },
];

function isPublic(r: ApiRoute, method: string): boolean {
  return PUBLIC[r.pattern]?.methods.includes(method) ?? false;
}

async function send(r: ApiRoute, method: string, headers: Record<string, string>, query?: string): Promise<Response> {
  const url = urlFor(r.pattern) + (query ? `?${query}` : "");
  const hasBody = !["GET", "HEAD", "OPTIONS", "DELETE"].includes(method);
  return call(url, {
    method,
    headers: { accept: "application/json, text/event-stream", ...headers, ...(hasBody ? { "content-type": "application/json" } : {}) },
    body: hasBody ? PAYLOAD : undefined,
  });
}

test("the route list is found on disk and covers the routes this test knows exist", () => {
  const patterns = ROUTES.map((r) => r.pattern);
  for (const known of ["/api/endpoints/[id]", "/api/endpoints/[id]/events", "/api/captures/[id]/body", "/api/health"]) {
    assert.ok(patterns.includes(known), `${known} in ${patterns.join(", ")}`);
  }
  for (const r of ROUTES) assert.ok(r.methods.length > 0, `${r.file} exports no HTTP method`);
});

describe("every non-public route refuses callers without the endpoint's key", () => {
  for (const r of ROUTES) {
    if (isShareRoute(r) || isOpenApiRoute(r)) continue;
    for (const method of r.methods) {
      if (isPublic(r, method)) continue;
      test(`${method} ${r.pattern}`, async () => {
        for (const v of WITHOUT_KEY) {
          const res = await send(r, method, v.headers(), v.query?.());
          const text = method === "HEAD" ? "" : await res.text();
          const what = `${method} ${r.pattern} with ${v.label}: ${res.status} ${text.slice(0, 200)}`;
          if (v.noCredentials && !v.query) assert.equal(res.status, 401, what);
          else assert.ok(res.status === 401 || res.status === 404, what);
          assert.doesNotMatch(res.headers.get("content-type") ?? "", /event-stream/, what);
          assert.equal(res.headers.get("set-cookie"), null, what);
          if (method !== "HEAD") {
            const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
            assert.ok(body.error?.code === "UNAUTHORIZED" || body.error?.code === "NOT_FOUND", what);
            // The refusal came from the route itself, not from the catch-all for unknown paths.
            assert.doesNotMatch(body.error?.message ?? "", /There is no API route/, what);
          }
          for (const s of secrets) assert.ok(!text.includes(s), `${what}: the answer contains ${s.slice(0, 12)}…`);
        }
      });
    }
  }
});

describe("public routes", () => {
  for (const [pattern, { reason }] of Object.entries(PUBLIC)) {
    test(`${pattern} is public: ${reason}`, async () => {
      const r = ROUTES.find((x) => x.pattern === pattern);
      assert.ok(r, `${pattern} is allow-listed but no longer exists: drop it from PUBLIC`);
      for (const method of r.methods) {
        for (const v of WITHOUT_KEY) {
          const res = await send(r, method, v.headers(), v.query?.());
          const text = await res.text();
          assert.ok(res.status < 500, `${method} ${pattern}: ${res.status}`);
          for (const s of secrets) assert.ok(!text.includes(s), `${method} ${pattern} with ${v.label} contains ${s.slice(0, 12)}…`);
          if (pattern === "/api/endpoints" && method === "GET") {
            const list = JSON.parse(text) as { items?: { id: string }[] } | { id: string }[] as unknown;
            assert.ok(!JSON.stringify(list).includes(victim.id), `GET /api/endpoints with ${v.label} lists the victim`);
          }
        }
      }
    });
  }

  for (const r of ROUTES.filter(isShareRoute)) {
    test(`${r.pattern} (share link): a made-up token is refused and reveals nothing`, async () => {
      for (const method of r.methods) {
        const res = await send(r, method, {});
        const text = await res.text();
        assert.ok([401, 403, 404, 410].includes(res.status), `${method} ${r.pattern}: ${res.status}`);
        for (const s of secrets) assert.ok(!text.includes(s), `${method} ${r.pattern} contains ${s.slice(0, 12)}…`);
      }
    });
  }

  for (const r of ROUTES.filter(isOpenApiRoute)) {
    test(`${r.pattern} (OpenAPI description) holds no data`, async () => {
      const res = await send(r, "GET", {});
      const text = await res.text();
      for (const s of secrets) assert.ok(!text.includes(s), `${r.pattern} contains ${s.slice(0, 12)}…`);
    });
  }
});

const UNSAFE = ["POST", "PUT", "PATCH", "DELETE"];

/** How a browser marks a request another site's page made (or a sandboxed capture answer, whose origin is opaque). */
const CROSS_SITE: { label: string; headers: () => Record<string, string> }[] = [
  { label: "Sec-Fetch-Site: cross-site", headers: () => ({ "sec-fetch-site": "cross-site", origin: "https://evil.example" }) },
  {
    label: "Sec-Fetch-Site: same-site (a sibling host)",
    headers: () => ({ "sec-fetch-site": "same-site", origin: "https://in.example.com" }),
  },
  { label: "a sandboxed page (Origin: null)", headers: () => ({ "sec-fetch-site": "cross-site", origin: "null" }) },
  { label: "Origin of another site, no Sec-Fetch-Site (an older browser)", headers: () => ({ origin: "https://evil.example" }) },
];

describe("cookie-authenticated writes are refused when the browser says another site sent them", () => {
  for (const r of ROUTES) {
    if (isShareRoute(r) || isOpenApiRoute(r)) continue;
    for (const method of r.methods.filter((m) => UNSAFE.includes(m) && !isPublic(r, m))) {
      test(`${method} ${r.pattern}`, async () => {
        for (const v of CROSS_SITE) {
          const res = await send(r, method, { cookie: `hsk_${victim.id}=${encodeURIComponent(victim.managementKey)}`, ...v.headers() });
          const body = (await res.json()) as { error?: { code?: string; message?: string } };
          const what = `${method} ${r.pattern} with the victim's cookie and ${v.label}: ${res.status} ${JSON.stringify(body)}`;
          // Trading a key for a cookie takes only a Bearer key, and says so first.
          if (r.pattern.endsWith("/session") && method === "POST") assert.equal(res.status, 401, what);
          else {
            assert.equal(res.status, 403, what);
            assert.equal(body.error?.code, "CROSS_SITE_REQUEST", what);
            assert.match(body.error?.message ?? "", /Authorization: Bearer/, what);
          }
          assert.equal(res.headers.get("set-cookie"), null, what);
        }
      });
    }
  }
});

test("an empty cross-site POST …/shares creates no share link; same-origin pages, typed URLs, scripts and Bearer keys still write", async () => {
  const cookie = (ep: Created) => `hsk_${ep.id}=${encodeURIComponent(ep.managementKey)}`;
  const shares = async (ep: Created) => {
    const r = await call(`/api/endpoints/${ep.id}/shares`, { headers: { authorization: `Bearer ${ep.managementKey}` } });
    return ((await r.json()) as { items: unknown[] }).items.length;
  };
  // The attack: a "simple" request (no body, no preflight) from another site's page.
  const before = await shares(victim);
  const attack = await call(`/api/endpoints/${victim.id}/shares`, {
    method: "POST",
    headers: { cookie: cookie(victim), "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors", origin: "https://evil.example" },
  });
  assert.equal(attack.status, 403);
  assert.equal(((await attack.json()) as { error: { code: string } }).error.code, "CROSS_SITE_REQUEST");
  assert.equal(await shares(victim), before, "no share link was created");

  const allowed: [string, Record<string, string>][] = [
    ["the dashboard's own page", { cookie: cookie(other), "sec-fetch-site": "same-origin", origin: app.baseUrl }],
    ["a URL the user typed", { cookie: cookie(other), "sec-fetch-site": "none" }],
    ["an older browser on our origin", { cookie: cookie(other), origin: app.baseUrl }],
    ["a client that is not a browser", { cookie: cookie(other) }],
    [
      "a Bearer key, whatever the headers say",
      { authorization: `Bearer ${other.managementKey}`, "sec-fetch-site": "cross-site", origin: "https://evil.example" },
    ],
  ];
  for (const [label, headers] of allowed) {
    const r = await call(`/api/endpoints/${other.id}/shares`, { method: "POST", headers });
    assert.equal(r.status, 201, `${label}: ${r.status} ${await r.clone().text()}`);
    await r.arrayBuffer();
  }
  // Reads are not writes: a cross-site GET with the cookie still answers (CORS keeps it from the other page).
  const read = await call(`/api/endpoints/${other.id}`, { headers: { cookie: cookie(other), "sec-fetch-site": "cross-site" } });
  assert.equal(read.status, 200);
  await read.arrayBuffer();
});

test("another site's page cannot make a visitor's browser create an endpoint; our pages, typed URLs and scripts can", async () => {
  for (const v of CROSS_SITE) {
    const r = await call("/api/endpoints", { method: "POST", headers: { "content-type": "application/json", ...v.headers() }, body: "{}" });
    const body = (await r.json()) as { error?: { code?: string; message?: string } };
    assert.equal(r.status, 403, `${v.label}: ${r.status} ${JSON.stringify(body)}`);
    assert.equal(body.error?.code, "CROSS_SITE_REQUEST", v.label);
    assert.match(body.error?.message ?? "", /another site's page may have asked this browser to create an endpoint/);
    assert.equal(r.headers.get("set-cookie"), null, `${v.label}: no key cookie`);
  }
  const allowed: [string, Record<string, string>][] = [
    ["the dashboard's own page", { "sec-fetch-site": "same-origin", origin: app.baseUrl }],
    ["a URL the user typed", { "sec-fetch-site": "none" }],
    ["an older browser on our origin", { origin: app.baseUrl }],
    ["a script", {}],
  ];
  for (const [label, headers] of allowed) {
    const r = await call("/api/endpoints", { method: "POST", headers: { "content-type": "application/json", ...headers }, body: "{}" });
    assert.equal(r.status, 201, `${label}: ${r.status} ${await r.clone().text()}`);
    await r.arrayBuffer();
  }
});

test("none of the refused calls changed anything", async () => {
  const auth = { authorization: `Bearer ${victim.managementKey}` };
  const ep = (await (await call(`/api/endpoints/${victim.id}`, { headers: auth })).json()) as {
    name: string;
    captureCount: number;
    response: { status: number };
  };
  assert.match(ep.name, /^victim-/);
  assert.equal(ep.captureCount, 1);
  assert.equal(ep.response.status, 200);
  const body = await call(`/api/captures/${victimCapture}/body`, { headers: auth });
  assert.equal(body.status, 200);
  assert.match(await body.text(), /^body-/);
  const secretsList = await call(`/api/endpoints/${victim.id}/secrets`, { headers: auth });
  assert.equal(secretsList.status, 200);
  assert.match(await secretsList.text(), new RegExp(victimSecretId));
});

test("with the key every GET route gets past the key check, and no answer echoes the management key", async () => {
  const auth = { authorization: `Bearer ${victim.managementKey}` };
  for (const r of ROUTES) {
    if (isShareRoute(r) || r.pattern.includes("[...")) continue;
    // Reads only: writes were refused above; here the point is that the URL reached the route.
    if (!r.methods.includes("GET")) continue;
    // A long-poll answers at once with timeout=0 instead of holding the request for its default 30 s.
    const url = urlFor(r.pattern) + (r.pattern.endsWith("/wait") ? "?timeout=0" : "");
    const ac = new AbortController();
    const res = await fetch(`${app.baseUrl}${url}`, { headers: auth, signal: ac.signal });
    let text: string;
    if ((res.headers.get("content-type") ?? "").includes("event-stream")) {
      // A live stream: its first bytes are enough.
      const reader = res.body!.getReader();
      const first = await reader.read();
      text = Buffer.from(first.value ?? new Uint8Array()).toString();
      ac.abort();
    } else text = await res.text();
    const what = `GET ${r.pattern}: ${res.status} ${text.slice(0, 200)}`;
    // Past the key check: not refused (a 400 for a missing query parameter still proves it).
    if (!/\[(?!id\]|slug\]|secretId\])[^\]]+\]/.test(r.pattern)) {
      assert.ok(res.status !== 401 && res.status !== 404 && res.status < 500, what);
    }
    assert.ok(!text.includes(victim.managementKey), `${what}: echoes the management key`);
    assert.equal(res.headers.get("set-cookie"), null, `${what}: sets a cookie`);
  }
});
