// Signature verification and signed test events against the real server and database: secrets
// stored encrypted and never returned, requests signed by each provider's own library captured
// through the real capture URL and judged valid, test events signed by Hookscope accepted by
// those libraries, each failure verdict, stale verdicts after a secret change, the SSRF guard
// on test events, access rules, and a restart with the wrong key.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { sign as githubSign, verify as githubVerify } from "@octokit/webhooks-methods";
import pg from "pg";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { getExpectedTwilioSignature, validateRequest } from "twilio/lib/webhooks/webhooks";
import { ZCapturePage } from "@/lib/shared/validation/captures";
import {
  ZSendTestEventResponse,
  ZSignatureBatch,
  ZSignatureVerdict,
  ZSigningSecret,
  ZSigningSecretList,
  type TSendTestEventResponse,
  type TSignatureVerdict,
  type TSigningSecret,
} from "@/lib/shared/validation/signatures";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { getCapture, wholeBody } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";

const stripe = new Stripe("sk_test_hookscope");

const SECRETS = {
  stripe: "whsec_" + crypto.randomBytes(24).toString("hex"),
  github: "gh-" + crypto.randomBytes(16).toString("hex"),
  shopify: "shpss_" + crypto.randomBytes(16).toString("hex"),
  slack: crypto.randomBytes(16).toString("hex"),
  standard: "whsec_" + crypto.randomBytes(24).toString("base64"),
  twilio: crypto.randomBytes(16).toString("hex"),
};

let app: RunningApp;
let db: { name: string; url: string };
let sql: pg.Client;
let dataDir: string;

before(async () => {
  db = await createTestDatabase("sig");
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-sig-"));
  // No SECRETS_KEY: the server generates DATA_DIR/secrets.key on first start.
  app = await startApp({ databaseUrl: db.url, env: { DATA_DIR: dataDir, ALLOW_PRIVATE_TARGETS: "false" } });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
after(async () => {
  await sql?.end();
  await app?.stop();
  await dropDatabase(db.name);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// --- helpers ------------------------------------------------------------------------------

interface Ep {
  id: string;
  slug: string;
  captureUrl: string;
  managementKey: string;
}

async function api(ep: Ep | null, pathname: string, init: { method?: string; json?: unknown; key?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const key = init.key ?? ep?.managementKey;
  if (key) headers.authorization = `Bearer ${key}`;
  if (init.json !== undefined) headers["content-type"] = "application/json";
  return fetch(`${app.baseUrl}${pathname}`, {
    method: init.method ?? "GET",
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

async function addSecret(ep: Ep, body: Record<string, unknown>): Promise<TSigningSecret> {
  const r = await api(ep, `/api/endpoints/${ep.id}/secrets`, { method: "POST", json: body });
  const text = await r.text();
  assert.equal(r.status, 201, text);
  return ZSigningSecret.parse(JSON.parse(text));
}

/** Sends to the capture URL; returns the capture id from the default answer. */
async function capture(ep: Ep, body: string, headers: Record<string, string>, suffix = ""): Promise<string> {
  const r = await fetch(`${ep.captureUrl}${suffix}`, { method: "POST", headers, body });
  assert.equal(r.status, 200, await r.clone().text());
  return ((await r.json()) as { id: string }).id;
}

async function verdict(ep: Ep, captureId: string): Promise<TSignatureVerdict> {
  const r = await api(ep, `/api/captures/${captureId}/signature`);
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return ZSignatureVerdict.parse(JSON.parse(text));
}

async function listed(ep: Ep) {
  const r = await api(ep, `/api/endpoints/${ep.id}/captures?limit=100`);
  assert.equal(r.status, 200);
  return ZCapturePage.parse(await r.json()).items;
}

async function sendTestEvent(ep: Ep, body: Record<string, unknown>): Promise<TSendTestEventResponse> {
  const r = await api(ep, `/api/endpoints/${ep.id}/test-events`, { method: "POST", json: body });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  return ZSendTestEventResponse.parse(JSON.parse(text));
}

function header(headers: [string, string][], name: string): string {
  const found = headers.find(([n]) => n.toLowerCase() === name.toLowerCase());
  assert.ok(found, `header ${name}`);
  return found[1];
}

// --- tests --------------------------------------------------------------------------------

describe("signing secrets", () => {
  test("the key file was generated at start with mode 0600", () => {
    const st = fs.statSync(path.join(dataDir, "secrets.key"));
    assert.equal(st.mode & 0o777, 0o600);
    assert.match(app.output(), /Generated the signing-secrets key/);
  });

  test("stored encrypted; the API shows a hint, never the secret", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const secret = "whsec_" + "Zq9".repeat(10) + "3f9a";
    const created = await addSecret(ep, { label: "Stripe live", scheme: "stripe", secret, options: { toleranceSeconds: 600 } });
    assert.equal(created.hint, "whsec_…3f9a");
    assert.deepEqual(created.options, { toleranceSeconds: 600 });
    const bodies: string[] = [JSON.stringify(created)];

    const list = await api(ep, `/api/endpoints/${ep.id}/secrets`);
    bodies.push(await list.clone().text());
    assert.deepEqual(ZSigningSecretList.parse(await list.json()).items, [created]);

    const patched = await api(ep, `/api/endpoints/${ep.id}/secrets/${created.id}`, { method: "PATCH", json: { label: "Stripe (live)" } });
    assert.equal(patched.status, 200);
    bodies.push(await patched.text());
    for (const b of bodies) {
      assert.ok(!b.includes(secret) && !b.includes(secret.slice(6, 20)), "no response carries the secret");
    }

    const { rows } = await sql.query<{ secret_enc: string; hint: string }>("SELECT secret_enc, hint FROM signing_secrets WHERE id = $1", [
      created.id,
    ]);
    assert.equal(rows.length, 1);
    const enc = rows[0]!.secret_enc;
    assert.match(enc, /^v1\./);
    for (const form of [secret, secret.slice(6), Buffer.from(secret).toString("base64"), Buffer.from(secret).toString("hex")]) {
      assert.ok(!enc.includes(form), "the ciphertext holds no form of the secret");
    }
    // No row of any table holds it either.
    const dump = await sql.query<{ t: string }>(
      "SELECT row_to_json(s)::text AS t FROM signing_secrets s UNION ALL SELECT row_to_json(e)::text FROM endpoints e",
    );
    assert.ok(!dump.rows.some((r) => r.t.includes(secret)));

    const del = await api(ep, `/api/endpoints/${ep.id}/secrets/${created.id}`, { method: "DELETE" });
    assert.equal(del.status, 204);
    assert.equal((await api(ep, `/api/endpoints/${ep.id}/secrets/${created.id}`, { method: "DELETE" })).status, 404);
  });

  test("validation: a generic rule is required for generic secrets, whitespace is refused", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const bad = async (json: unknown, pattern: RegExp) => {
      const r = await api(ep, `/api/endpoints/${ep.id}/secrets`, { method: "POST", json });
      assert.equal(r.status, 400);
      assert.match(((await r.json()) as { error: { message: string } }).error.message, pattern);
    };
    await bad({ label: "g", scheme: "generic", secret: "k" }, /options\.generic/);
    await bad({ label: "w", secret: "abc\n" }, /whitespace/);
    await bad({ label: "x", scheme: "paypal", secret: "k" }, /scheme/);
    await bad({ label: "x", secret: "k", extra: 1 }, /extra|Unrecognized/i);
    const s = await addSecret(ep, { label: "auto", secret: "k" });
    const r = await api(ep, `/api/endpoints/${ep.id}/secrets/${s.id}`, { method: "PATCH", json: { scheme: "generic" } });
    assert.equal(r.status, 400);
    const generic = await addSecret(ep, {
      label: "acme",
      scheme: "generic",
      secret: "k",
      options: { generic: { header: "X-Acme-Signature", algorithm: "sha512", encoding: "base64", prefix: "v1=" } },
    });
    assert.deepEqual(generic.options.generic, {
      header: "X-Acme-Signature",
      algorithm: "sha512",
      encoding: "base64",
      prefix: "v1=",
      signed: "body",
      separator: ".",
    });
  });

  test("access: the new routes need the endpoint's key (401 without, 404 with another's)", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const other = await createEndpoint(app.baseUrl);
    const s = await addSecret(ep, { label: "a", secret: "k" });
    const id = await capture(ep, "{}", { "content-type": "application/json" });
    const routes: [string, string, unknown?][] = [
      ["GET", `/api/endpoints/${ep.id}/secrets`],
      ["POST", `/api/endpoints/${ep.id}/secrets`, { label: "b", secret: "k" }],
      ["PATCH", `/api/endpoints/${ep.id}/secrets/${s.id}`, { label: "c" }],
      ["DELETE", `/api/endpoints/${ep.id}/secrets/${s.id}`],
      ["GET", `/api/captures/${id}/signature`],
      ["GET", `/api/endpoints/${ep.id}/signatures?ids=${id}`],
      ["POST", `/api/endpoints/${ep.id}/test-events`, { provider: "github", secret: "k" }],
    ];
    for (const [method, p, json] of routes) {
      const anon = await fetch(`${app.baseUrl}${p}`, {
        method,
        headers: json ? { "content-type": "application/json" } : {},
        body: json ? JSON.stringify(json) : undefined,
      });
      assert.equal(anon.status, 401, `${method} ${p} without a key`);
      const wrong = await api(null, p, { method, json, key: other.managementKey });
      assert.equal(wrong.status, 404, `${method} ${p} with another endpoint's key`);
    }
    // Another endpoint's secret id under one's own endpoint is not found either.
    const theirs = await addSecret(other, { label: "theirs", secret: "k" });
    assert.equal((await api(ep, `/api/endpoints/${ep.id}/secrets/${theirs.id}`, { method: "DELETE" })).status, 404);
    assert.equal((await api(ep, `/api/endpoints/${ep.id}/secrets/not-a-uuid`, { method: "DELETE" })).status, 404);
    // The secret still works for its owner.
    assert.equal((await api(other, `/api/endpoints/${other.id}/secrets`)).status, 200);
  });
});

describe("requests signed by the providers' libraries, captured through the capture URL", () => {
  let ep: Ep;
  before(async () => {
    ep = await createEndpoint(app.baseUrl);
    for (const [scheme, secret] of Object.entries(SECRETS)) await addSecret(ep, { label: `${scheme} secret`, scheme, secret });
  });

  test("Stripe: generateTestHeaderString → valid", async () => {
    const body = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded", livemode: false }, null, 2);
    const sig = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRETS.stripe });
    const v = await verdict(ep, await capture(ep, body, { "content-type": "application/json", "Stripe-Signature": sig }));
    assert.equal(v.status, "valid", v.reason);
    assert.deepEqual([v.scheme, v.secretLabel, v.header], ["stripe", "stripe secret", "Stripe-Signature"]);
  });

  test("GitHub: @octokit/webhooks-methods sign → valid", async () => {
    const body = JSON.stringify({ zen: "Design for failure." });
    const v = await verdict(
      ep,
      await capture(ep, body, { "content-type": "application/json", "X-Hub-Signature-256": await githubSign(SECRETS.github, body) }),
    );
    assert.equal(v.status, "valid", v.reason);
    assert.equal(v.scheme, "github");
  });

  test("Shopify: HMAC-SHA256 base64 of the body → valid", async () => {
    const body = JSON.stringify({ id: 820982911946154500, email: "jon@example.com" });
    const sig = crypto.createHmac("sha256", SECRETS.shopify).update(body).digest("base64");
    const v = await verdict(ep, await capture(ep, body, { "content-type": "application/json", "X-Shopify-Hmac-Sha256": sig }));
    assert.equal(v.status, "valid", v.reason);
  });

  test("Slack: v0 signature over the timestamp and body → valid", async () => {
    const body = "token=x&team_id=T1&command=%2Fhookscope&text=hello";
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = "v0=" + crypto.createHmac("sha256", SECRETS.slack).update(`v0:${ts}:${body}`).digest("hex");
    const v = await verdict(
      ep,
      await capture(ep, body, {
        "content-type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sig,
      }),
    );
    assert.equal(v.status, "valid", v.reason);
  });

  test("Standard Webhooks: Webhook.sign → valid", async () => {
    const body = JSON.stringify({ type: "user.created", data: { id: 1 } });
    const id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
    const now = new Date();
    const sig = new Webhook(SECRETS.standard).sign(id, now, body);
    const v = await verdict(
      ep,
      await capture(ep, body, {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": sig,
      }),
    );
    assert.equal(v.status, "valid", v.reason);
  });

  test("Twilio: getExpectedTwilioSignature over the capture URL and form parameters → valid", async () => {
    const params = { AccountSid: "AC123", Body: "Hi there", From: "+14155550100", To: "+15005550006" };
    const body = new URLSearchParams(params).toString();
    const suffix = "/sms?account=main";
    const sig = getExpectedTwilioSignature(SECRETS.twilio, `${ep.captureUrl}${suffix}`, params);
    const v = await verdict(
      ep,
      await capture(ep, body, { "content-type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sig }, suffix),
    );
    assert.equal(v.status, "valid", v.reason);
    assert.equal(v.url, `${ep.captureUrl}${suffix}`);
  });

  test("the batch route judges captures the list has not seen yet", async () => {
    const body = JSON.stringify({ ping: 1 });
    const id = await capture(ep, body, {
      "content-type": "application/json",
      "X-Hub-Signature-256": await githubSign(SECRETS.github, body),
    });
    const r = await api(ep, `/api/endpoints/${ep.id}/signatures?ids=${id}`);
    assert.equal(r.status, 200, await r.clone().text());
    assert.deepEqual(ZSignatureBatch.parse(await r.json()).items[id], { status: "valid", scheme: "github", secretLabel: "github secret" });
  });

  test("the batch route leaves out another endpoint's captures, even with a verdict stored at the same rev", async () => {
    // Two endpoints at rev 0 (no secrets); a capture id is no secret, every capture answer names it.
    const mine = await createEndpoint(app.baseUrl);
    const theirs = await createEndpoint(app.baseUrl);
    const body = JSON.stringify({ zen: "x" });
    const id = await capture(theirs, body, { "content-type": "application/json", "X-Hub-Signature-256": await githubSign("s", body) });
    const own = await api(theirs, `/api/endpoints/${theirs.id}/signatures?ids=${id}`);
    assert.equal(ZSignatureBatch.parse(await own.json()).items[id]?.scheme, "github", "the owner's verdict is stored");
    const r = await api(mine, `/api/endpoints/${mine.id}/signatures?ids=${id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(ZSignatureBatch.parse(await r.json()).items, {});
  });

  test("the list carries the verdicts as badges, and the batch route agrees", async () => {
    const items = await listed(ep);
    assert.ok(items.length >= 6);
    for (const i of items) assert.equal(i.signature?.status, "valid", JSON.stringify(i));
    const ids = items.map((i) => i.id).join(",");
    const r = await api(ep, `/api/endpoints/${ep.id}/signatures?ids=${ids},00000000-0000-7000-8000-000000000000`);
    const batch = ZSignatureBatch.parse(await r.json());
    assert.equal(Object.keys(batch.items).length, items.length, "unknown ids are left out");
    const { rows } = await sql.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM capture_signatures s JOIN captures c ON c.id = s.capture_id WHERE c.endpoint_id = $1",
      [ep.id],
    );
    assert.equal(rows[0]!.n, items.length, "verdicts are stored");
  });
});

describe("failure verdicts through the capture URL", () => {
  let ep: Ep;
  const body = JSON.stringify({ id: "evt_2", type: "invoice.paid", livemode: false });
  before(async () => {
    ep = await createEndpoint(app.baseUrl);
    await addSecret(ep, { label: "stripe", scheme: "stripe", secret: SECRETS.stripe });
  });

  test("tampered body: invalid, with the expected signature of the stored bytes", async () => {
    const sig = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRETS.stripe });
    const tampered = body.replace("invoice.paid", "invoice.void");
    const v = await verdict(ep, await capture(ep, tampered, { "content-type": "application/json", "Stripe-Signature": sig }));
    assert.equal(v.status, "invalid");
    const t = /t=(\d+)/.exec(sig)![1];
    const expected = crypto.createHmac("sha256", SECRETS.stripe).update(`${t}.${tampered}`).digest("hex");
    assert.equal(v.expected, `t=${t},v1=${expected}`);
    assert.equal(v.received, sig);
  });

  test("re-serialized body: invalid, cause body_reserialized", async () => {
    const sig = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRETS.stripe });
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    const v = await verdict(ep, await capture(ep, pretty, { "content-type": "application/json", "Stripe-Signature": sig }));
    assert.deepEqual([v.status, v.cause], ["invalid", "body_reserialized"]);
  });

  test("wrong secret: invalid, cause wrong_secret", async () => {
    const sig = stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_someone_else" });
    const v = await verdict(ep, await capture(ep, body, { "content-type": "application/json", "Stripe-Signature": sig }));
    assert.deepEqual([v.status, v.cause], ["invalid", "wrong_secret"]);
  });

  test("expired timestamp: expired, with the skew", async () => {
    const t = Math.floor(Date.now() / 1000) - 3600;
    const sig = stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRETS.stripe, timestamp: t });
    const v = await verdict(ep, await capture(ep, body, { "content-type": "application/json", "Stripe-Signature": sig }));
    assert.equal(v.status, "expired");
    assert.ok(v.skewSeconds! >= 3600 && v.skewSeconds! < 3700, String(v.skewSeconds));
  });

  test("missing header: missing_header", async () => {
    const v = await verdict(ep, await capture(ep, body, { "content-type": "application/json" }));
    assert.deepEqual([v.status, v.header], ["missing_header", "Stripe-Signature"]);
  });

  test("no secret: no_secret, naming the scheme that signed it", async () => {
    const bare = await createEndpoint(app.baseUrl);
    const sig = await githubSign("x", body);
    const id = await capture(bare, body, { "content-type": "application/json", "X-Hub-Signature-256": sig });
    const v = await verdict(bare, id);
    assert.deepEqual([v.status, v.scheme], ["no_secret", "github"]);
    assert.equal((await listed(bare))[0]!.signature?.status, "no_secret");
  });

  test("adding the right secret later turns a stored verdict valid (stale verdicts are recomputed)", async () => {
    const later = await createEndpoint(app.baseUrl);
    const wrong = await addSecret(later, { label: "old", secret: "gh-old" });
    const id = await capture(later, body, {
      "content-type": "application/json",
      "X-Hub-Signature-256": await githubSign(SECRETS.github, body),
    });
    assert.equal((await listed(later))[0]!.signature?.status, "invalid");
    await addSecret(later, { label: "current", secret: SECRETS.github });
    const row = (await listed(later)).find((i) => i.id === id)!;
    assert.deepEqual(row.signature, { status: "valid", scheme: "github", secretLabel: "current" });
    await api(later, `/api/endpoints/${later.id}/secrets/${wrong.id}`, { method: "DELETE" });
    assert.equal((await verdict(later, id)).attempts.length, 1);
  });

  test("deleting a capture deletes its stored verdict", async () => {
    const id = await capture(ep, body, { "content-type": "application/json" });
    await verdict(ep, id);
    assert.equal((await api(ep, `/api/captures/${id}`, { method: "DELETE" })).status, 204);
    const { rows } = await sql.query("SELECT 1 FROM capture_signatures WHERE capture_id = $1", [id]);
    assert.equal(rows.length, 0);
  });
});

describe("signed test events", () => {
  let ep: Ep;
  const stored: Record<string, string> = {};
  before(async () => {
    ep = await createEndpoint(app.baseUrl);
    for (const [scheme, secret] of Object.entries(SECRETS))
      stored[scheme] = (await addSecret(ep, { label: `${scheme} test`, scheme, secret })).id;
  });

  test("to self, with a stored secret: captured, judged valid, and accepted by the provider's library", async () => {
    for (const provider of ["stripe", "github", "shopify", "slack", "standard", "twilio"] as const) {
      const r = await sendTestEvent(ep, { provider, secretId: stored[provider], target: "self" });
      assert.equal(r.ok, true, JSON.stringify(r.error));
      assert.equal(r.response!.status, 200);
      assert.ok(r.captureId, provider);
      assert.ok(r.durationMs > 0);
      const v = await verdict(ep, r.captureId!);
      assert.equal(v.status, "valid", `${provider}: ${v.reason}`);
      assert.equal(v.secretLabel, `${provider} test`);

      // The bytes and headers the capture stored pass the official verifier.
      const c = await getCapture(app.baseUrl, ep, r.captureId!);
      const bytes = wholeBody(c).toString("utf8");
      const h = c.headers as [string, string][];
      if (provider === "stripe")
        assert.equal(stripe.webhooks.constructEvent(bytes, header(h, "Stripe-Signature"), SECRETS.stripe).type, "payment_intent.succeeded");
      if (provider === "github") assert.equal(await githubVerify(SECRETS.github, bytes, header(h, "X-Hub-Signature-256")), true);
      if (provider === "standard")
        assert.ok(new Webhook(SECRETS.standard).verify(bytes, Object.fromEntries(h.map(([n, v2]) => [n.toLowerCase(), v2]))));
      if (provider === "twilio")
        assert.equal(
          validateRequest(SECRETS.twilio, header(h, "X-Twilio-Signature"), ep.captureUrl, Object.fromEntries(new URLSearchParams(bytes))),
          true,
        );
      if (provider === "shopify")
        assert.equal(header(h, "X-Shopify-Hmac-Sha256"), crypto.createHmac("sha256", SECRETS.shopify).update(bytes).digest("base64"));
      if (provider === "slack") {
        const ts = header(h, "X-Slack-Request-Timestamp");
        assert.equal(
          header(h, "X-Slack-Signature"),
          "v0=" + crypto.createHmac("sha256", SECRETS.slack).update(`v0:${ts}:${bytes}`).digest("hex"),
        );
      }
    }
  });

  test("with a pasted secret and a chosen event", async () => {
    const r = await sendTestEvent(ep, { provider: "github", event: "ping", secret: SECRETS.github });
    assert.equal(r.event, "ping");
    assert.equal(header(r.request.headers, "X-GitHub-Event"), "ping");
    assert.equal((await verdict(ep, r.captureId!)).status, "valid");
  });

  test("input errors: unknown event, both or neither secret, a bad Standard Webhooks secret, a foreign secret id", async () => {
    const bad = async (json: unknown, status = 400) => {
      const r = await api(ep, `/api/endpoints/${ep.id}/test-events`, { method: "POST", json });
      assert.equal(r.status, status, `${JSON.stringify(json)}: ${await r.clone().text()}`);
    };
    await bad({ provider: "stripe", event: "charge.exploded", secret: "x" });
    await bad({ provider: "stripe" });
    await bad({ provider: "stripe", secret: "x", secretId: stored.stripe });
    await bad({ provider: "standard", secret: "whsec_not base64!" });
    await bad({ provider: "stripe", secret: "x", target: "ftp://example.com/" });
    const other = await createEndpoint(app.baseUrl);
    const theirs = await addSecret(other, { label: "theirs", secret: "k" });
    await bad({ provider: "stripe", secretId: theirs.id }, 404);
  });

  test("to a URL: private targets are refused and no connection reaches the listener", async () => {
    let connections = 0;
    const listener = http.createServer((_req, res) => res.end("ok"));
    listener.on("connection", () => connections++);
    await new Promise<void>((r) => listener.listen(0, "127.0.0.1", r));
    const port = (listener.address() as AddressInfo).port;
    try {
      for (const target of [
        `http://127.0.0.1:${port}/hook`,
        `http://localhost:${port}/hook`,
        `http://[::ffff:127.0.0.1]:${port}/hook`,
        `http://2130706433:${port}/hook`,
        "http://169.254.169.254/latest/meta-data/",
        // The server's own capture URL is a loopback address here; "self" is the way to it.
        ep.captureUrl,
      ]) {
        const r = await sendTestEvent(ep, { provider: "stripe", secret: SECRETS.stripe, target });
        assert.equal(r.ok, false, target);
        assert.equal(r.error!.code, "blocked_address", `${target}: ${r.error!.message}`);
        assert.equal(r.response, null);
      }
      assert.equal(connections, 0);
    } finally {
      listener.closeAllConnections();
      await new Promise((r) => listener.close(r));
    }
  });
});

describe("restarted with another key", () => {
  test("secrets that cannot be decrypted are reported, not used, and verdicts under them are not stored", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const s = await addSecret(ep, { label: "stripe", scheme: "stripe", secret: SECRETS.stripe });
    const body = "{}";
    const id = await capture(ep, body, {
      "Stripe-Signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRETS.stripe }),
    });
    await app.stop();
    app = await startApp({ databaseUrl: db.url, env: { DATA_DIR: dataDir, SECRETS_KEY: crypto.randomBytes(32).toString("base64") } });

    const v = await verdict(ep, id);
    assert.equal(v.status, "invalid");
    assert.match(v.reason, /cannot be decrypted.*another key/);
    const stored = () => sql.query("SELECT 1 FROM capture_signatures WHERE capture_id = $1", [id]).then((r) => r.rows.length);
    assert.equal(await stored(), 0, "a verdict made without the secret is not kept");
    const send = await api(ep, `/api/endpoints/${ep.id}/test-events`, { method: "POST", json: { provider: "stripe", secretId: s.id } });
    assert.equal(send.status, 409);
    assert.match(((await send.json()) as { error: { message: string } }).error.message, /cannot be decrypted/);
    assert.equal((await api(ep, `/api/endpoints/${ep.id}/captures`)).status, 200, "the list still works");

    // Back on the original key everything verifies again.
    await app.stop();
    app = await startApp({ databaseUrl: db.url, env: { DATA_DIR: dataDir } });
    assert.equal((await verdict(ep, id)).status, "valid");
    assert.equal(await stored(), 1);
  });
});
