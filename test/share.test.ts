// Share links against the real server and a real database: tokens stored only as sha256 and
// shown once; a capture link opens that capture and nothing else; secret headers redacted
// server-side unless the sharer includes them; an endpoint link lists and streams live; revoked
// and expired links answer 410 (API and page, with words) and end open streams; unknown tokens
// 404; and a share token writes nothing, through the share routes or any management route.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { ZCapturePage } from "@/lib/shared/validation/captures";
import {
  ZCreatedShareLink,
  ZSharedCapture,
  ZSharedView,
  ZShareLink,
  ZShareLinkList,
  type TCreatedShareLink,
  type TSharedCapture,
} from "@/lib/shared/validation/shares";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { SseClient } from "./support/sse";
import { wholeBodyText } from "./support/captures";

let app: RunningApp;
let db: { name: string; url: string };
let sql: pg.Client;
type Endpoint = Awaited<ReturnType<typeof createEndpoint>>;

before(async () => {
  db = await createTestDatabase("share");
  app = await startApp({ databaseUrl: db.url });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  await seed();
});
after(async () => {
  await sql?.end();
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

const auth = (ep: Endpoint) => ({ authorization: `Bearer ${ep.managementKey}` });
const call = (p: string, init: RequestInit = {}) =>
  fetch(`${app.baseUrl}${p}`, { redirect: "manual", ...init, signal: AbortSignal.timeout(15_000) });

const SECRETS = {
  authorization: "Bearer sk_live_authorization_secret_value",
  cookie: "session=cookie_secret_value",
  stripe: "t=1700000000,v1=stripe_signature_secret_value",
  hub: "sha256=hub_signature_secret_value",
  custom: "custom_signature_secret_value",
  setCookie: "sid=set_cookie_secret_value; HttpOnly",
  proxy: "Basic proxy_authorization_secret_value",
  shopify: "shopify_hmac_secret_value==",
  standard: "v1,standard_webhooks_secret_value=",
  /** A cookie the endpoint answers with (its custom response): the answer's headers are redacted too. */
  answerToken: "answer_token_secret_value",
};

async function capture(ep: Endpoint, p: string, headers: Record<string, string>, body: string): Promise<string> {
  const r = await fetch(`${ep.captureUrl}${p}`, { method: "POST", headers, body });
  assert.equal(r.status, 200);
  return r.headers.get("x-hookscope-capture-id")!;
}

const headerValue = (c: TSharedCapture, name: string) => c.headers.find(([n]) => n.toLowerCase() === name)?.[1];

async function share(ep: Endpoint, body: object = {}): Promise<TCreatedShareLink> {
  const r = await call(`/api/endpoints/${ep.id}/shares`, {
    method: "POST",
    headers: { ...auth(ep), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(r.status, 201, await r.clone().text());
  return ZCreatedShareLink.parse(await r.json());
}

async function revoke(ep: Endpoint, id: string) {
  const r = await call(`/api/endpoints/${ep.id}/shares/${id}`, { method: "DELETE", headers: auth(ep) });
  assert.equal(r.status, 200, await r.clone().text());
  return ZShareLink.parse(await r.json());
}

async function listShares(ep: Endpoint) {
  const r = await call(`/api/endpoints/${ep.id}/shares`, { headers: auth(ep) });
  assert.equal(r.status, 200);
  const text = await r.text();
  return { text, items: ZShareLinkList.parse(JSON.parse(text)).items };
}

let ep: Endpoint;
let secretCapture: string;
let otherCapture: string;

/** One endpoint with a generic HMAC secret and two captures, one carrying every kind of secret header. */
async function seed(): Promise<void> {
  ep = await createEndpoint(app.baseUrl, { name: "shared endpoint", response: { headers: [["X-Auth-Token", SECRETS.answerToken]] } });
  // A generic HMAC secret whose header (X-Acme-Sig) is not on the built-in list: hidden too.
  const sec = await call(`/api/endpoints/${ep.id}/secrets`, {
    method: "POST",
    headers: { ...auth(ep), "content-type": "application/json" },
    body: JSON.stringify({
      label: "acme",
      scheme: "generic",
      secret: "acme-signing-secret",
      options: { generic: { header: "X-Acme-Sig" } },
    }),
  });
  assert.equal(sec.status, 201, await sec.text());
  secretCapture = await capture(
    ep,
    "/with-secrets?x=1",
    {
      Authorization: SECRETS.authorization,
      Cookie: SECRETS.cookie,
      "Stripe-Signature": SECRETS.stripe,
      "X-Hub-Signature-256": SECRETS.hub,
      "X-Acme-Sig": SECRETS.custom,
      "Set-Cookie": SECRETS.setCookie,
      "Proxy-Authorization": SECRETS.proxy,
      "X-Shopify-Hmac-Sha256": SECRETS.shopify,
      "webhook-signature": SECRETS.standard,
      "Content-Type": "application/json",
      "X-Visible": "plain value",
    },
    '{"hello":"shared"}',
  );
  otherCapture = await capture(ep, "/other", { "content-type": "text/plain" }, "the other capture");
}

describe("creating and listing", () => {
  test("the token is long, random, prefixed, shown once and stored only as its sha256", async () => {
    const created = await share(ep, { captureId: secretCapture });
    assert.match(created.token, /^hss_[A-Za-z0-9_-]{43}$/);
    assert.equal(created.url, `${app.baseUrl}/s/${created.token}`);
    assert.equal(created.state, "active");
    assert.equal(created.captureId, secretCapture);
    assert.equal(created.captureSeq, 1);
    assert.equal(created.includeSecrets, false);
    assert.equal(created.tokenHint, `hss_…${created.token.slice(-4)}`);

    const { rows } = await sql.query<{ row: string; token_hash: string }>(
      "SELECT row_to_json(s)::text AS row, token_hash FROM share_links s WHERE id = $1",
      [created.id],
    );
    assert.equal(rows[0]!.token_hash, crypto.createHash("sha256").update(created.token).digest("hex"));
    assert.ok(!rows[0]!.row.includes(created.token.slice(4)), "the token itself is not stored");

    const { text, items } = await listShares(ep);
    assert.ok(!text.includes(created.token), "the list never carries the token");
    assert.ok(!text.includes(created.token.slice(4, 20)));
    assert.ok(items.some((l) => l.id === created.id));
  });

  test("expiry choices: 7 days by default, 1h / 1d / 7d from now, or never", async () => {
    const at = Date.now();
    const near = (iso: string | null, ms: number) => {
      assert.ok(iso);
      const d = new Date(iso).getTime() - at;
      assert.ok(Math.abs(d - ms) < 60_000, `${iso} is ${d} ms from now, expected about ${ms}`);
    };
    near((await share(ep)).expiresAt, 7 * 86400_000);
    near((await share(ep, { expiresIn: "1h" })).expiresAt, 3600_000);
    near((await share(ep, { expiresIn: "1d" })).expiresAt, 86400_000);
    near((await share(ep, { expiresIn: "7d" })).expiresAt, 7 * 86400_000);
    assert.equal((await share(ep, { expiresIn: "never" })).expiresAt, null);
  });

  test("bad requests get 400 with the reason; another endpoint's capture gets 404", async () => {
    const post = (body: string) =>
      call(`/api/endpoints/${ep.id}/shares`, { method: "POST", headers: { ...auth(ep), "content-type": "application/json" }, body });
    for (const [body, pattern] of [
      ['{"expiresIn":"2h"}', /expiresIn must be one of 1h, 1d, 7d, never/],
      ['{"captureId":"nope"}', /captureId must be a capture id/],
      ['{"includeSecrets":"yes"}', /includeSecrets must be true or false/],
      ['{"token":"hss_chosen"}', /token/],
      ["{", /not valid JSON/],
    ] as const) {
      const r = await post(body);
      assert.equal(r.status, 400, body);
      assert.match(((await r.json()) as { error: { message: string } }).error.message, pattern, body);
    }
    const other = await createEndpoint(app.baseUrl);
    const theirs = await capture(other, "/theirs", {}, "x");
    const r = await post(JSON.stringify({ captureId: theirs }));
    assert.equal(r.status, 404);
  });

  test("creating, listing and revoking need the endpoint's key", async () => {
    const link = await share(ep);
    const other = await createEndpoint(app.baseUrl);
    assert.equal((await call(`/api/endpoints/${ep.id}/shares`)).status, 401);
    assert.equal((await call(`/api/endpoints/${ep.id}/shares`, { headers: auth(other) })).status, 404);
    assert.equal((await call(`/api/endpoints/${ep.id}/shares`, { method: "POST", headers: auth(other) })).status, 404);
    assert.equal((await call(`/api/endpoints/${ep.id}/shares/${link.id}`, { method: "DELETE", headers: auth(other) })).status, 404);
    // Another endpoint's key cannot revoke this endpoint's link through its own URL either.
    assert.equal((await call(`/api/endpoints/${other.id}/shares/${link.id}`, { method: "DELETE", headers: auth(other) })).status, 404);
    assert.equal((await listShares(ep)).items.find((l) => l.id === link.id)?.state, "active");
  });
});

describe("a capture link", () => {
  let link: TCreatedShareLink;
  before(async () => {
    link = await share(ep, { captureId: secretCapture, expiresIn: "1d" });
  });

  test("opens that capture without any key, with secret header values redacted on the server", async () => {
    const view = ZSharedView.parse(await (await call(`/api/s/${link.token}`)).json());
    assert.equal(view.kind, "capture");
    assert.equal(view.captureId, secretCapture);
    assert.equal(view.endpoint.name, "shared endpoint");
    assert.equal(view.includeSecrets, false);

    const r = await call(`/api/s/${link.token}/captures/${secretCapture}`);
    assert.equal(r.status, 200);
    const text = await r.text();
    for (const secret of Object.values(SECRETS)) {
      // The secret's distinctive part never leaves the server.
      assert.ok(!text.includes(secret.match(/\w*secret_value/)![0]), `the answer contains ${secret}`);
    }
    assert.ok(!text.includes(ep.managementKey) && !text.includes(ep.slug) && !text.includes(link.token));
    const c = ZSharedCapture.parse(JSON.parse(text));
    const value = (name: string) => headerValue(c, name);
    assert.deepEqual(value("authorization"), { redacted: true, length: SECRETS.authorization.length });
    assert.deepEqual(value("cookie"), { redacted: true, length: SECRETS.cookie.length });
    assert.deepEqual(value("stripe-signature"), { redacted: true, length: SECRETS.stripe.length });
    assert.deepEqual(value("x-hub-signature-256"), { redacted: true, length: SECRETS.hub.length });
    assert.deepEqual(value("x-acme-sig"), { redacted: true, length: SECRETS.custom.length });
    // The rest of the list: each present as "a value was sent", none readable.
    assert.deepEqual(value("set-cookie"), { redacted: true, length: SECRETS.setCookie.length });
    assert.deepEqual(value("proxy-authorization"), { redacted: true, length: SECRETS.proxy.length });
    assert.deepEqual(value("x-shopify-hmac-sha256"), { redacted: true, length: SECRETS.shopify.length });
    assert.deepEqual(value("webhook-signature"), { redacted: true, length: SECRETS.standard.length });
    assert.equal(value("x-visible"), "plain value");
    // The answer the capture got is shown with the same rule: its token is hidden, the rest is not.
    const answered = (name: string) => c.response?.headers.find(([n]) => n.toLowerCase() === name)?.[1];
    assert.deepEqual(answered("x-auth-token"), { redacted: true, length: SECRETS.answerToken.length });
    assert.equal(answered("x-hookscope-capture-id"), secretCapture);
    assert.equal(c.path, "/with-secrets");
    assert.equal(c.query, "x=1");
    assert.equal(wholeBodyText(c), '{"hello":"shared"}');

    const body = await call(`/api/s/${link.token}/captures/${secretCapture}/body`);
    assert.equal(body.status, 200);
    assert.equal(await body.text(), '{"hello":"shared"}');
    assert.match(body.headers.get("content-disposition") ?? "", /^attachment/);
    assert.equal(body.headers.get("x-content-type-options"), "nosniff");
  });

  test("lists only its capture, opens nothing else of the endpoint, and has no live stream", async () => {
    const page = ZCapturePage.parse(await (await call(`/api/s/${link.token}/captures`)).json());
    assert.deepEqual(
      page.items.map((i) => i.id),
      [secretCapture],
    );
    assert.equal((await call(`/api/s/${link.token}/captures/${otherCapture}`)).status, 404);
    assert.equal((await call(`/api/s/${link.token}/captures/${otherCapture}/body`)).status, 404);
    assert.equal((await call(`/api/s/${link.token}/captures/not-a-uuid`)).status, 404);
    assert.equal((await call(`/api/s/${link.token}/events`, { headers: { accept: "text/event-stream" } })).status, 404);
  });

  test("records its last use, at most once a minute", async () => {
    const before = (await listShares(ep)).items.find((l) => l.id === link.id)!;
    assert.ok(before.lastUsedAt, "used by the tests above");
    await sql.query("UPDATE share_links SET last_used_at = now() - interval '2 minutes' WHERE id = $1", [link.id]);
    const old = (await listShares(ep)).items.find((l) => l.id === link.id)!.lastUsedAt!;
    await call(`/api/s/${link.token}`);
    const now = (await listShares(ep)).items.find((l) => l.id === link.id)!.lastUsedAt!;
    assert.ok(new Date(now).getTime() - new Date(old).getTime() > 100_000, `${old} → ${now}`);
    await call(`/api/s/${link.token}`);
    assert.equal((await listShares(ep)).items.find((l) => l.id === link.id)!.lastUsedAt, now);
  });

  test("with includeSecrets, the sharer's choice, the values are shown as sent", async () => {
    const open = await share(ep, { captureId: secretCapture, includeSecrets: true });
    const c = ZSharedCapture.parse(await (await call(`/api/s/${open.token}/captures/${secretCapture}`)).json());
    assert.equal(headerValue(c, "authorization"), SECRETS.authorization);
    assert.equal(headerValue(c, "x-acme-sig"), SECRETS.custom);
    assert.deepEqual(
      c.response?.headers.find(([n]) => n === "X-Auth-Token"),
      ["X-Auth-Token", SECRETS.answerToken],
    );
  });

  test("a rule's template that echoed a secret header shows it hidden in the answer too, unless the link includes secrets", async () => {
    const echo = await createEndpoint(app.baseUrl, { name: "echo" });
    const rules = await call(`/api/endpoints/${echo.id}/response-rules`, {
      method: "PUT",
      headers: { ...auth(echo), "content-type": "application/json" },
      body: JSON.stringify({
        rules: [
          {
            name: "echo",
            match: { methods: null, path: null, query: [], headers: [], body: null },
            answer: {
              status: 200,
              headers: [["X-Echo", "{{ headers.authorization }}"]],
              body: '{"seen": "{{ headers.authorization }}", "all": {{ headers | json }}}',
              contentType: "application/json",
              delayMs: 0,
            },
            failure: null,
          },
        ],
      }),
    });
    assert.equal(rules.status, 200, await rules.text());
    const id = await capture(echo, "/echo", { Authorization: SECRETS.authorization, "X-Visible": "plain value" }, "{}");
    const hidden = await share(echo, { captureId: id });
    const text = await (await call(`/api/s/${hidden.token}/captures/${id}`)).text();
    assert.ok(!text.includes("authorization_secret_value"), "the echoed Authorization is hidden");
    const c = ZSharedCapture.parse(JSON.parse(text));
    assert.equal(c.response?.rule?.name, "echo");
    assert.match(c.response?.body ?? "", /"seen": "\(hidden\)"/);
    assert.match(c.response?.body ?? "", /"x-visible":"plain value"/);
    // The sharer's choice to include secrets shows the answer as it was sent.
    const open = await share(echo, { captureId: id, includeSecrets: true });
    const shown = ZSharedCapture.parse(await (await call(`/api/s/${open.token}/captures/${id}`)).json());
    assert.ok(shown.response?.body?.includes(SECRETS.authorization));
    assert.deepEqual(
      shown.response?.headers.find(([n]) => n === "X-Echo"),
      ["X-Echo", SECRETS.authorization],
    );
  });

  test("the endpoint's signing secrets are never part of a share, even one that includes secret headers", async () => {
    for (const l of [await share(ep, { captureId: secretCapture, includeSecrets: true }), await share(ep, { includeSecrets: true })]) {
      for (const path of [
        `/api/s/${l.token}`,
        `/api/s/${l.token}/captures`,
        `/api/s/${l.token}/captures/${secretCapture}`,
        `/api/s/${l.token}/captures/${secretCapture}/body`,
        `/s/${l.token}`,
      ]) {
        const r = await call(path);
        assert.equal(r.status, 200, path);
        const text = await r.text();
        assert.ok(!text.includes("acme-signing-secret"), `${path} carries the signing secret`);
      }
    }
  });

  test("dies with its capture: it never widens to the endpoint", async () => {
    const doomed = await capture(ep, "/doomed", {}, "bye");
    const l = await share(ep, { captureId: doomed });
    assert.equal((await call(`/api/s/${l.token}`)).status, 200);
    assert.equal((await call(`/api/captures/${doomed}`, { method: "DELETE", headers: auth(ep) })).status, 204);
    assert.equal((await call(`/api/s/${l.token}`)).status, 404);
    assert.equal((await call(`/api/s/${l.token}/captures`)).status, 404);
  });
});

describe("an endpoint link", () => {
  test("lists the endpoint's captures and streams new ones live, read-only", async () => {
    const link = await share(ep, { expiresIn: "never" });
    const view = ZSharedView.parse(await (await call(`/api/s/${link.token}`)).json());
    assert.equal(view.kind, "endpoint");
    assert.equal(view.expiresAt, null);
    const page = ZCapturePage.parse(await (await call(`/api/s/${link.token}/captures?limit=1`)).json());
    assert.equal(page.items.length, 1);
    assert.ok(page.nextCursor);
    const all = ZCapturePage.parse(await (await call(`/api/s/${link.token}/captures`)).json());
    assert.ok(all.items.some((i) => i.id === secretCapture) && all.items.some((i) => i.id === otherCapture));
    // Every capture of the endpoint opens, redacted.
    const c = ZSharedCapture.parse(await (await call(`/api/s/${link.token}/captures/${secretCapture}`)).json());
    assert.deepEqual(headerValue(c, "authorization"), { redacted: true, length: SECRETS.authorization.length });

    const stream = await SseClient.open(`${app.baseUrl}/api/s/${link.token}/events`);
    try {
      assert.equal(stream.status, 200);
      await stream.waitFor((s) => s.events.some((e) => e.event === "ready"), "ready");
      const live = await capture(ep, "/live", {}, "live one");
      await stream.waitFor((s) => s.captures<{ id: string }>().some((e) => e.id === live), "the live capture");
    } finally {
      stream.close();
    }
  });

  test("a shared body downloads exact, or decoded with ?decode= like the capture body route", async () => {
    const link = await share(ep);
    const zipped = zlib.gzipSync("shared and zipped");
    const r = await fetch(`${ep.captureUrl}/gz`, { method: "POST", headers: { "content-encoding": "gzip" }, body: zipped });
    const id = r.headers.get("x-hookscope-capture-id")!;
    const exact = await call(`/api/s/${link.token}/captures/${id}/body`);
    assert.deepEqual(Buffer.from(await exact.arrayBuffer()), zipped);
    const decoded = await call(`/api/s/${link.token}/captures/${id}/body?decode=gzip`);
    assert.equal(decoded.status, 200);
    assert.equal(await decoded.text(), "shared and zipped");
    assert.equal(decoded.headers.get("x-hookscope-truncated"), "false");
    assert.ok(!(decoded.headers.get("content-disposition") ?? "").includes(ep.slug), "the file name does not give the slug away");
    assert.equal((await call(`/api/s/${link.token}/captures/${id}/body?decode=zip`)).status, 400);
  });

  test("a revoke ends an open stream; reconnecting gets 410", async () => {
    const link = await share(ep);
    const stream = await SseClient.open(`${app.baseUrl}/api/s/${link.token}/events`);
    try {
      await stream.waitFor((s) => s.events.some((e) => e.event === "ready"), "ready");
      await revoke(ep, link.id);
      await stream.waitFor((s) => s.ended || s.error !== null, "the stream to end after the revoke", 20_000);
    } finally {
      stream.close();
    }
    const again = await SseClient.open(`${app.baseUrl}/api/s/${link.token}/events`);
    again.close();
    assert.equal(again.status, 410);
  });
});

describe("revoked, expired and unknown links", () => {
  test("a revoked link answers 410 everywhere, and its page says so in words", async () => {
    const link = await share(ep, { captureId: secretCapture });
    assert.equal((await call(`/s/${link.token}`)).status, 200);
    const revoked = await revoke(ep, link.id);
    assert.equal(revoked.state, "revoked");
    assert.ok(revoked.revokedAt);
    // Revoking again keeps the first time.
    assert.equal((await revoke(ep, link.id)).revokedAt, revoked.revokedAt);
    for (const p of ["", "/captures", `/captures/${secretCapture}`, `/captures/${secretCapture}/body`]) {
      const r = await call(`/api/s/${link.token}${p}`);
      assert.equal(r.status, 410, p);
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "GONE");
      assert.match(body.error.message, /revoked/);
      assert.ok(!JSON.stringify(body).includes("hello"), "no capture data");
    }
    const page = await call(`/s/${link.token}`);
    assert.equal(page.status, 410);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    const html = await page.text();
    assert.match(html, /This share link was revoked/);
    assert.match(html, /Ask them for a new link/);
    assert.doesNotMatch(html, /<script/i);
    assert.equal((await listShares(ep)).items.find((l) => l.id === link.id)?.state, "revoked");
  });

  test("an expired link answers 410, and its page says it expired", async () => {
    const link = await share(ep, { captureId: secretCapture, expiresIn: "1h" });
    assert.equal((await call(`/api/s/${link.token}`)).status, 200);
    await sql.query("UPDATE share_links SET expires_at = now() - interval '1 second' WHERE id = $1", [link.id]);
    const r = await call(`/api/s/${link.token}/captures/${secretCapture}`);
    assert.equal(r.status, 410);
    assert.match(((await r.json()) as { error: { message: string } }).error.message, /expired/);
    const page = await call(`/s/${link.token}`);
    assert.equal(page.status, 410);
    assert.match(await page.text(), /This share link has expired/);
    assert.equal((await listShares(ep)).items.find((l) => l.id === link.id)?.state, "expired");
  });

  test("an open stream ends when its link expires", async () => {
    const link = await share(ep);
    await sql.query("UPDATE share_links SET expires_at = now() + interval '2 seconds' WHERE id = $1", [link.id]);
    const stream = await SseClient.open(`${app.baseUrl}/api/s/${link.token}/events`);
    try {
      assert.equal(stream.status, 200);
      await stream.waitFor((s) => s.ended || s.error !== null, "the stream to end at expiry", 20_000);
    } finally {
      stream.close();
    }
  });

  test("unknown and malformed tokens get 404, API and page alike", async () => {
    for (const token of [`hss_${crypto.randomBytes(32).toString("base64url")}`, "hss_short", "nothing", ep.managementKey]) {
      const r = await call(`/api/s/${token}`);
      assert.equal(r.status, 404, token);
      const page = await call(`/s/${token}`);
      assert.equal(page.status, 404, token);
      assert.match(await page.text(), /This share link does not exist/);
    }
  });
});

/** Write routes under app/api (methods other than GET/HEAD), found on disk like test/access.test.ts does. */
function writeRoutes(dir = path.join("app", "api")): { pattern: string; method: string }[] {
  const out: { pattern: string; method: string }[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...writeRoutes(p));
    else if (e.name === "route.ts") {
      const src = fs.readFileSync(p, "utf8");
      const pattern = "/" + path.dirname(p).split(path.sep).slice(1).join("/");
      for (const m of src.matchAll(/export\s+(?:async\s+)?(?:function|const)\s+(POST|PUT|PATCH|DELETE)\b/g))
        out.push({ pattern, method: m[1]! });
    }
  }
  return out;
}

describe("a share token writes nothing", () => {
  let link: TCreatedShareLink;
  let victim: string;
  before(async () => {
    link = await share(ep, { expiresIn: "never", includeSecrets: true });
    victim = await capture(ep, "/victim", {}, "keep me");
  });

  const shareWrites = writeRoutes().filter((r) => r.pattern.startsWith("/api/s/"));
  test("the share routes found on disk refuse every write method", () => {
    assert.ok(shareWrites.length >= 16, shareWrites.map((r) => `${r.method} ${r.pattern}`).join(", "));
  });
  for (const r of shareWrites) {
    test(`${r.method} ${r.pattern} with a working token: 405, read-only`, async () => {
      const url = r.pattern.replace("[token]", link.token).replace("[captureId]", victim);
      const res = await call(url, { method: r.method, headers: { "content-type": "application/json" }, body: "{}" });
      assert.equal(res.status, 405);
      assert.match(((await res.json()) as { error: { message: string } }).error.message, /read-only/);
    });
  }

  const managementWrites = writeRoutes().filter((r) => !r.pattern.startsWith("/api/s/") && !r.pattern.includes("[..."));
  test("the management routes found on disk include delete, settings, clear and secrets", () => {
    const list = managementWrites.map((r) => `${r.method} ${r.pattern}`);
    for (const must of [
      "DELETE /api/captures/[id]",
      "PATCH /api/endpoints/[id]",
      "DELETE /api/endpoints/[id]",
      "DELETE /api/endpoints/[id]/captures",
      "POST /api/endpoints/[id]/secrets",
      "POST /api/endpoints/[id]/shares",
      "DELETE /api/endpoints/[id]/shares/[shareId]",
    ]) {
      assert.ok(list.includes(must), `${must} in ${list.join(", ")}`);
    }
  });
  for (const r of managementWrites) {
    if (r.pattern === "/api/endpoints" && r.method === "POST") continue; // creates a new endpoint: public by design
    test(`${r.method} ${r.pattern} refuses the share token as Bearer, cookie and ?key=`, async () => {
      const url = r.pattern
        .replace("/endpoints/[id]", `/endpoints/${ep.id}`)
        .replace("/captures/[id]", `/captures/${victim}`)
        .replace("[shareId]", link.id)
        .replace(/\[[^\]]+\]/g, crypto.randomUUID());
      const body = JSON.stringify({ name: "hijacked", response: { status: 418 }, label: "x", scheme: "stripe", secret: "whsec_eA==" });
      for (const [label, headers, query] of [
        ["Bearer", { authorization: `Bearer ${link.token}` }, ""],
        ["cookie", { cookie: `hsk_${ep.id}=${link.token}` }, ""],
        ["?key=", {}, `?key=${link.token}`],
      ] as const) {
        const res = await call(url + query, { method: r.method, headers: { ...headers, "content-type": "application/json" }, body });
        assert.ok([401, 404].includes(res.status), `${r.method} ${url} with the share token as ${label}: ${res.status}`);
      }
    });
  }

  test("after all that, nothing changed", async () => {
    const e = (await (await call(`/api/endpoints/${ep.id}`, { headers: auth(ep) })).json()) as {
      name: string;
      response: { status: number };
    };
    assert.equal(e.name, "shared endpoint");
    assert.equal(e.response.status, 200);
    assert.equal((await call(`/api/captures/${victim}`, { headers: auth(ep) })).status, 200);
    assert.equal((await call(`/api/captures/${secretCapture}`, { headers: auth(ep) })).status, 200);
    const shares = (await listShares(ep)).items;
    assert.equal(shares.find((l) => l.id === link.id)?.state, "active");
    const secrets = (await (await call(`/api/endpoints/${ep.id}/secrets`, { headers: auth(ep) })).json()) as { items: unknown[] };
    assert.equal(secrets.items.length, 1);
  });
});
