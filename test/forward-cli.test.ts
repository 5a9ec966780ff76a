// Forwarding to localhost without the server reaching it: `hookscope forward` (the real bin, as
// a child process) pulls captures over the live stream and sends them byte for byte to a local
// server, reports each answer as a delivery, and loses nothing across a server restart (captures
// taken by a second process on the same database while the first is down arrive after the
// reconnect); `--from` replays history. And the real `smee-client` package forwards a capture
// through the endpoint's smee channel.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { after, before, describe, test } from "node:test";
import SmeeClient from "smee-client";
import Stripe from "stripe";
import { ZDeliveryPage } from "@/lib/validation/deliveries";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { startTarget, type Target } from "./support/target";
import { waitFor } from "./support/wait";

let db: { name: string; url: string };
let app: RunningApp;
let target: Target;

before(async () => {
  db = await createTestDatabase("fwdcli");
  target = await startTarget();
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  await target?.close();
  await dropDatabase(db.name);
});

interface Cli {
  child: ChildProcess;
  out: () => string;
  stop(): Promise<void>;
}

function runCli(args: string[]): Cli {
  const child = spawn(process.execPath, ["bin/hookscope.mjs", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    child,
    out: () => out,
    async stop() {
      if (child.exitCode === null) child.kill("SIGINT");
      await exited;
    },
  };
}

async function post(url: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<string> {
  const r = await fetch(url, { method: "POST", headers, body: typeof body === "string" ? body : new Uint8Array(body) });
  assert.equal(r.status, 200);
  return ((await r.json()) as { id: string }).id;
}

describe("hookscope forward", () => {
  test("forwards byte for byte, reports deliveries, and loses nothing across a server restart", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const cli = runCli(["forward", `${app.baseUrl}/h/${ep.slug}`, "--to", `${target.url}/local`, "--key", ep.managementKey]);
    const start = target.received.length;
    try {
      await waitFor(() => cli.out().includes("Forwarding"), "the CLI to start");
      // The stream is live once a capture sent now arrives; send until one does (connect race).
      const bin = crypto.randomBytes(4096);
      const first = await post(`${ep.captureUrl}/orders/1?x=1`, bin, { "content-type": "application/octet-stream", "X-Sig": "abc" });
      await waitFor(() => target.received.length > start, "the first capture at the local target", 30_000);
      const got = target.received[start]!;
      assert.equal(got.url, "/local/orders/1?x=1");
      assert.ok(got.body.equals(bin), "body byte for byte");
      assert.ok(got.rawHeaders.includes("X-Sig"), "header name as captured");
      await waitFor(() => /#1 POST \/orders\/1\?x=1 → 200 OK \d+ ms/.test(cli.out()), "one printed line per request");
      const auth = { authorization: `Bearer ${ep.managementKey}` };
      await waitFor(async () => {
        const d = ZDeliveryPage.parse(
          await (await fetch(`${app.baseUrl}/api/captures/${first}/deliveries`, { headers: auth })).json(),
        ).items;
        return d.length === 1 && d[0]!.kind === "cli" && d[0]!.response?.status === 200;
      }, "the CLI's report as a delivery");

      // Restart: stop the app; while it is down a second process on the same database captures;
      // the app comes back on the same port and the CLI resumes from its last event.
      const port = app.port;
      await app.stop();
      const other = await startApp({ databaseUrl: db.url });
      const during: string[] = [];
      try {
        for (let i = 0; i < 20; i++) during.push(await post(`${other.baseUrl}/h/${ep.slug}/during/${i}`, `d${i}`));
      } finally {
        await other.stop();
      }
      app = await startApp({ databaseUrl: db.url, port });
      for (let i = 0; i < 5; i++) await post(`${app.baseUrl}/h/${ep.slug}/after/${i}`, `a${i}`);
      await waitFor(() => target.received.length >= start + 26, "all 26 captures at the local target", 60_000);
      const urls = target.received.slice(start).map((r) => r.url);
      const expected = [
        "/local/orders/1?x=1",
        ...Array.from({ length: 20 }, (_, i) => `/local/during/${i}`),
        ...Array.from({ length: 5 }, (_, i) => `/local/after/${i}`),
      ];
      assert.deepEqual(urls, expected, "every capture once, in order");
      assert.match(cli.out(), /Reconnected/);
    } finally {
      await cli.stop();
    }
  });

  test("--from replays history from a capture on; bad usage gets a worded error", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(await post(`${ep.captureUrl}/old/${i}`, `o${i}`));
    const start = target.received.length;
    const cli = runCli(["forward", `${app.baseUrl}/endpoints/${ep.id}#key=${ep.managementKey}`, "--to", target.url, "--from", ids[1]!]);
    try {
      await waitFor(() => target.received.length >= start + 2, "the replay");
      assert.deepEqual(
        target.received.slice(start).map((r) => r.url),
        ["/old/1", "/old/2"],
      );
    } finally {
      await cli.stop();
    }
    const bad = runCli(["forward", `${app.baseUrl}/h/${ep.slug}`, "--to", target.url]);
    await new Promise((r) => bad.child.once("exit", r));
    assert.equal(bad.child.exitCode, 2);
    assert.match(bad.out(), /--key <management key> is required/);
    const wrong = runCli(["forward", `${app.baseUrl}/h/${ep.slug}`, "--to", target.url, "--key", "hsk_wrong"]);
    await new Promise((r) => wrong.child.once("exit", r));
    assert.equal(wrong.child.exitCode, 1);
    assert.match(wrong.out(), /Could not open the endpoint: 404/);
  });
});

describe("hookscope forward --resign-secret", () => {
  test("a production Stripe event reaches the local handler signed with the test secret; the report says so", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const stripe = new Stripe("sk_test_hookscope");
    const body = '{"id":"evt_live_cli","object":"event","type":"payment_intent.succeeded","livemode":true}';
    const production = stripe.webhooks.generateTestHeaderString({ payload: body, secret: "whsec_production_secret" });
    const id = await post(`${ep.captureUrl}/stripe`, body, { "content-type": "application/json", "Stripe-Signature": production });
    const unsigned = await post(`${ep.captureUrl}/plain`, "no signature here");
    const testSecret = `whsec_test_${crypto.randomBytes(6).toString("hex")}`;
    const start = target.received.length;
    const source = `${app.baseUrl}/endpoints/${ep.id}#key=${ep.managementKey}`;
    const cli = runCli(["forward", source, "--to", target.url, "--from", id, "--resign-secret", testSecret]);
    const auth = { authorization: `Bearer ${ep.managementKey}` };
    const delivered = async (captureId: string) =>
      ZDeliveryPage.parse(await (await fetch(`${app.baseUrl}/api/captures/${captureId}/deliveries`, { headers: auth })).json()).items;
    try {
      await waitFor(() => target.received.length > start, "the re-signed capture at the local target", 30_000);
      const got = target.received[start]!;
      assert.equal(got.body.toString(), body, "the body is not touched");
      const sig = got.rawHeaders[got.rawHeaders.findIndex((h) => /^stripe-signature$/i.test(h)) + 1]!;
      assert.equal(stripe.webhooks.constructEvent(got.body, sig, testSecret).id, "evt_live_cli");
      assert.throws(() => stripe.webhooks.constructEvent(got.body, sig, "whsec_production_secret"), /No signatures found/);
      await waitFor(() => /#\d+ POST \/stripe → 200 OK \d+ ms \(re-signed, stripe\)/.test(cli.out()), "the printed line");
      await waitFor(async () => (await delivered(id)).length === 1, "the CLI's report");
      const [d] = await delivered(id);
      assert.equal(d!.request.resignedScheme, "stripe");
      // A capture with no signature to replace is not sent unsigned: reported as a failure.
      await waitFor(async () => (await delivered(unsigned)).length === 1, "the unsigned capture's report");
      const [u] = await delivered(unsigned);
      assert.equal(u!.error?.code, "resign_failed");
      assert.equal(target.received.length, start + 1, "the unsigned capture was not sent");
    } finally {
      await cli.stop();
    }
  });
});

describe("smee.io-compatible channel", () => {
  test("the real smee-client forwards a capture end to end", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const logs: string[] = [];
    const logger = { info: (...a: unknown[]) => logs.push(a.join(" ")), error: (...a: unknown[]) => logs.push(a.join(" ")) };
    const client = new SmeeClient({
      source: `${app.baseUrl}/api/endpoints/${ep.id}/smee?key=${ep.managementKey}`,
      target: `${target.url}/smee`,
      logger: logger as unknown as Console,
    });
    await client.start();
    const start = target.received.length;
    try {
      const body = JSON.stringify({ action: "opened", number: 7, nested: { ok: true } });
      await post(`${ep.captureUrl}/gh?delivery=1`, body, { "content-type": "application/json", "X-GitHub-Event": "pull_request" });
      await waitFor(() => target.received.length > start, "smee-client's POST at the local target", 30_000);
      const got = target.received[start]!;
      assert.equal(got.method, "POST");
      assert.equal(got.url, "/smee?delivery=1");
      assert.deepEqual(JSON.parse(got.body.toString()), JSON.parse(body));
      const h = new Map<string, string>();
      for (let i = 0; i < got.rawHeaders.length; i += 2) h.set(got.rawHeaders[i]!.toLowerCase(), got.rawHeaders[i + 1]!);
      assert.equal(h.get("x-github-event"), "pull_request");
      await waitFor(() => logs.some((l) => /POST .*\/smee\?delivery=1 - 200/.test(l)), "smee-client's log line");
    } finally {
      await client.stop();
    }
    const refused = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/smee?key=hsk_wrong`);
    assert.equal(refused.status, 404);
  });
});
