// The SSRF guard as users meet it through resend and forward rules, on an app that does NOT allow
// private targets: every internal address form (and a name resolving to loopback) is refused,
// recorded as a failed delivery whose error names the address and range, never retried, and
// not one connection reaches the loopback listener the URLs point at.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { ZDelivery, ZDeliveryPage } from "@/lib/shared/validation/deliveries";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";
import { startTarget, type Target } from "./support/target";

let db: { name: string; url: string };
let sql: pg.Client;
let app: RunningApp;
let target: Target;

before(async () => {
  db = await createTestDatabase("fwdssrf");
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
  target = await startTarget();
  app = await startApp({
    databaseUrl: db.url,
    env: { ALLOW_PRIVATE_TARGETS: "false", FORWARD_RETRY_BASE_MS: "50", FORWARD_POLL_MS: "200" },
  });
});
after(async () => {
  await app?.stop();
  await target?.close();
  await sql?.end();
  await dropDatabase(db.name);
});

describe("outgoing safety (private targets not allowed)", () => {
  test("resend to every internal address form is refused, recorded, and no connection reaches the listener", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const auth = { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" };
    const id = ((await (await fetch(ep.captureUrl, { method: "POST", body: "secret payload" })).json()) as { id: string }).id;
    const p = target.port;
    const urls = [
      `http://127.0.0.1:${p}/`,
      `http://127.1:${p}/`,
      `http://2130706433:${p}/`,
      `http://0x7f000001:${p}/`,
      `http://[::ffff:127.0.0.1]:${p}/`,
      `http://[64:ff9b::a9fe:a9fe]/latest/meta-data/`,
      `http://[64:ff9b::7f00:1]:${p}/`,
      `http://169.254.169.254/latest/meta-data/`,
      `http://100.64.0.1/`,
      `http://10.0.0.1/`,
      `http://172.16.0.1/`,
      `http://192.168.1.1/`,
      `http://[fe80::1]:${p}/`,
      `http://[fd00::1]/`,
      `http://224.0.0.1/`,
      `http://[ff02::1]/`,
      `http://[::1]:${p}/`,
      `http://0.0.0.0:${p}/`,
      `http://localhost:${p}/`,
    ];
    for (const url of urls) {
      const r = await fetch(`${app.baseUrl}/api/captures/${id}/resend`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ url, followRedirects: true }),
      });
      assert.equal(r.status, 201, url);
      const d = ZDelivery.parse(await r.json());
      assert.equal(d.outcome, "failed", url);
      assert.equal(d.error?.code, "blocked_address", `${url}: ${d.error?.message}`);
      assert.match(d.error!.message, /Refused: .*ALLOW_PRIVATE_TARGETS/, url);
      assert.equal(d.response, null);
    }
    const local = await fetch(`${app.baseUrl}/api/captures/${id}/deliveries?limit=200`, { headers: auth });
    const page = ZDeliveryPage.parse(await local.json());
    assert.equal(page.items.length, urls.length, "every refusal is listed on the capture");
    assert.match(
      page.items.find((d) => d.request.url.includes("localhost"))!.error!.message,
      /localhost resolves to (127\.0\.0\.1|::1), a loopback address/,
    );
    assert.equal(target.connections, 0, "no connection reached the loopback listener");
  });

  test("a forward rule to a loopback name fails once, visibly, without retries; the capture is stored and answered", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const auth = { authorization: `Bearer ${ep.managementKey}`, "content-type": "application/json" };
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/forward-rules`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ targetUrl: `http://localhost:${target.port}/hooks` }),
    });
    assert.equal(r.status, 201);
    const c = await fetch(`${ep.captureUrl}/x`, { method: "POST", body: "payload" });
    assert.equal(c.status, 200);
    const id = ((await c.json()) as { id: string }).id;
    await waitFor(
      async () => (await sql.query("SELECT 1 FROM forward_outbox WHERE capture_id = $1 AND state = 'failed'", [id])).rowCount === 1,
      "the outbox row failed",
    );
    const rows = await sql.query<{ attempts: number }>("SELECT attempts FROM forward_outbox WHERE capture_id = $1", [id]);
    assert.equal(rows.rows[0]!.attempts, 1, "a refusal is final: not retried");
    const d = ZDeliveryPage.parse(await (await fetch(`${app.baseUrl}/api/captures/${id}/deliveries`, { headers: auth })).json()).items;
    assert.equal(d.length, 1);
    assert.equal(d[0]!.kind, "forward");
    assert.equal(d[0]!.error?.code, "blocked_address");
    assert.equal(target.connections, 0);
  });
});
