// Forwarding to localhost without the server reaching it: `hookscope forward` (the real bin, as
// a child process) pulls captures over the live stream and sends them byte for byte to a local
// server, reports each answer as a delivery, and loses nothing across a server restart (captures
// taken by a second process on the same database while the first is down arrive after the
// reconnect); `--from` replays history; while the local target is down captures wait and are
// retried in order, and a killed CLI resumes after the last capture the target answered. And the real `smee-client` package forwards a capture
// through the endpoint's smee channel.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import SmeeClient from "smee-client";
import Stripe from "stripe";
import { ZDeliveryPage } from "@/lib/shared/validation/deliveries";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { SseClient } from "./support/sse";
import { createTestDatabase, dropDatabase } from "./support/db";
import { startTarget, type Target } from "./support/target";
import { waitFor } from "./support/wait";

let db: { name: string; url: string };
let app: RunningApp;
let target: Target;
/** The CLI's resume cursors (HOOKSCOPE_STATE_DIR), never the user's ~/.hookscope. */
let stateDir: string;

before(async () => {
  stateDir = await fs.mkdtemp(path.join(os.tmpdir(), "hookscope-state-"));
  db = await createTestDatabase("fwdcli");
  target = await startTarget();
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  await target?.close();
  await dropDatabase(db.name);
  await fs.rm(stateDir, { recursive: true, force: true });
});

interface Cli {
  child: ChildProcess;
  out: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function runCli(args: string[]): Cli {
  const child = spawn(process.execPath, ["bin/hookscope.mjs", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOOKSCOPE_STATE_DIR: stateDir },
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  return {
    child,
    out: () => out,
    async stop(signal: NodeJS.Signals = "SIGINT") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
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
      await waitFor(() => cli.out().includes("Live:"), "the CLI's stream");
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

  test("a body over the capture detail's 256 KiB preview is forwarded whole, byte for byte", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const big = crypto.randomBytes(1024 * 1024 + 7);
    const id = await post(`${ep.captureUrl}/big`, big, { "content-type": "application/octet-stream" });
    const start = target.received.length;
    const cli = runCli(["forward", `${app.baseUrl}/h/${ep.slug}`, "--to", target.url, "--key", ep.managementKey, "--from", id]);
    try {
      await waitFor(() => target.received.length > start, "the big capture at the local target", 30_000);
      assert.equal(target.received[start]!.body.length, big.length);
      assert.ok(target.received[start]!.body.equals(big), "the whole body, not the preview");
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

/** A port with nothing listening on it (a target that is down), and a way to bring a recording target up on it. */
async function downTarget(): Promise<{ url: string; up(): Promise<Target> }> {
  const t = await startTarget();
  await t.close();
  return {
    url: t.url,
    async up() {
      await new Promise<void>((r) => t.server.listen(t.port, "127.0.0.1", r));
      return t;
    },
  };
}

async function deliveriesOf(captureId: string, key: string) {
  const r = await fetch(`${app.baseUrl}/api/captures/${captureId}/deliveries`, { headers: { authorization: `Bearer ${key}` } });
  // Newest first from the API; oldest first here.
  return ZDeliveryPage.parse(await r.json()).items.reverse();
}

describe("hookscope forward while the local target is down", () => {
  test("captures wait and are retried in order until the target answers, each delivered once", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const down = await downTarget();
    const cli = runCli(["forward", `${app.baseUrl}/h/${ep.slug}`, "--to", `${down.url}/local`, "--key", ep.managementKey]);
    let up: Target | null = null;
    try {
      await waitFor(() => cli.out().includes("Live:"), "the CLI's stream");
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await post(`${ep.captureUrl}/down/${i}`, `d${i}`));
      // The first capture is tried again and again (1 s, then 2 s…); the others wait behind it.
      await waitFor(() => /#1 POST \/down\/0 → ✗ .*; target down, retry 2 in/.test(cli.out()), "a second retry of #1", 30_000);
      assert.doesNotMatch(cli.out(), /#2 /, "#2 waits for #1");
      up = await down.up();
      await waitFor(() => /#3 POST \/down\/2 → 200 OK/.test(cli.out()), "#3 delivered", 60_000);
      assert.deepEqual(
        up.received.map((r) => r.url),
        ["/local/down/0", "/local/down/1", "/local/down/2"],
        "all three, in order, once each",
      );
      // The dashboard shows the first failure and the attempt that got through.
      await waitFor(async () => (await deliveriesOf(ids[0]!, ep.managementKey)).length === 2, "#1's two reports");
      const [failed, ok] = await deliveriesOf(ids[0]!, ep.managementKey);
      assert.equal(failed!.attempt, 1);
      assert.equal(failed!.outcome, "retrying");
      assert.equal(failed!.error?.code, "connect_failed");
      assert.ok(ok!.attempt >= 3, `delivered on attempt ${ok!.attempt}`);
      assert.equal(ok!.response?.status, 200);
      await waitFor(async () => (await deliveriesOf(ids[2]!, ep.managementKey)).length === 1, "#3's report");
      assert.equal(up.received.length, 3, "nothing sent twice");
    } finally {
      await cli.stop();
      await up?.close();
    }
  });

  test("--max-attempts gives up on a capture after n tries and goes on; a 4xx is an answer, not retried", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const t = await startTarget();
    t.respond = (r, res) => {
      res.statusCode = r.url.includes("/bad") ? 400 : 503;
      res.end();
    };
    const cli = runCli(["forward", `${app.baseUrl}/h/${ep.slug}`, "--to", t.url, "--key", ep.managementKey, "--max-attempts", "2"]);
    try {
      await waitFor(() => cli.out().includes("Live:"), "the CLI's stream");
      await post(`${ep.captureUrl}/bad`, "x");
      const busy = await post(`${ep.captureUrl}/busy`, "y");
      await post(`${ep.captureUrl}/bad/again`, "z");
      await waitFor(() => /#3 POST \/bad\/again → 400 Bad Request/.test(cli.out()), "#3 answered", 30_000);
      assert.match(cli.out(), /#1 POST \/bad → 400 Bad Request \d+ ms\n/);
      assert.match(cli.out(), /#2 POST \/busy → 503 Service Unavailable \d+ ms; target failing, retry 1 in/);
      assert.match(cli.out(), /#2 POST \/busy → 503 Service Unavailable \d+ ms; giving up after 2 attempts/);
      assert.deepEqual(
        t.received.map((r) => r.url),
        ["/bad", "/busy", "/busy", "/bad/again"],
      );
      await waitFor(async () => (await deliveriesOf(busy, ep.managementKey)).length === 2, "#2's reports");
      const reports = await deliveriesOf(busy, ep.managementKey);
      assert.deepEqual(
        reports.map((d) => [d.attempt, d.outcome, d.response?.status]),
        [
          [1, "retrying", 503],
          [2, "failed", 503],
        ],
      );
    } finally {
      await cli.stop();
      await t.close();
    }
  });

  test("a killed CLI started again without --from resumes after the last capture the target answered", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const args = ["forward", `${app.baseUrl}/h/${ep.slug}`, "--to", `${target.url}/resume`, "--key", ep.managementKey];
    const start = target.received.length;
    const first = runCli(args);
    try {
      await waitFor(() => first.out().includes("Live:"), "the CLI's stream");
      await post(`${ep.captureUrl}/k/0`, "k0");
      await post(`${ep.captureUrl}/k/1`, "k1");
      await waitFor(() => /#2 POST \/k\/1 → 200 OK/.test(first.out()), "#2 delivered");
    } finally {
      await first.stop("SIGKILL");
    }
    // Captured while no CLI runs.
    await post(`${ep.captureUrl}/k/2`, "k2");
    await post(`${ep.captureUrl}/k/3`, "k3");
    const second = runCli(args);
    try {
      await waitFor(() => /#4 POST \/k\/3 → 200 OK/.test(second.out()), "#4 delivered after the restart", 30_000);
      assert.match(second.out(), /Resuming after #2/);
      assert.deepEqual(
        target.received.slice(start).map((r) => r.url),
        ["/resume/k/0", "/resume/k/1", "/resume/k/2", "/resume/k/3"],
        "the missed ones, and none of the delivered ones again",
      );
    } finally {
      await second.stop();
    }
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

      // A chunked capture (Transfer-Encoding, which fetch refuses to send on) arrives too.
      const chunked = await new Promise<number>((resolve, reject) => {
        const req = http.request(`${ep.captureUrl}/gh?delivery=2`, {
          method: "POST",
          headers: { "content-type": "application/json", connection: "keep-alive", expect: "100-continue" },
        });
        req.on("response", (res) => (res.resume(), resolve(res.statusCode!)));
        req.on("error", reject);
        req.write('{"action":');
        req.end('"closed"}');
      });
      assert.equal(chunked, 200);
      await waitFor(() => target.received.length > start + 1, "smee-client's POST of the chunked capture", 30_000);
      assert.equal(target.received[start + 1]!.url, "/smee?delivery=2");
      assert.deepEqual(JSON.parse(target.received[start + 1]!.body.toString()), { action: "closed" });
    } finally {
      await client.stop();
    }
    const refused = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/smee?key=hsk_wrong`);
    assert.equal(refused.status, 404);
  });

  test("the channel's bytes: retry and ready pass through as /events wrote them, captures become id + data messages", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const first = await post(`${ep.captureUrl}/a`, "{}", { "content-type": "application/json" });
    const auth = { authorization: `Bearer ${ep.managementKey}` };
    const seqOf = async (id: string) =>
      ((await (await fetch(`${app.baseUrl}/api/captures/${id}`, { headers: auth })).json()) as { seq: number }).seq;
    const seq = await seqOf(first);
    const smee = await SseClient.open(`${app.baseUrl}/api/endpoints/${ep.id}/smee?key=${ep.managementKey}`, {
      "last-event-id": String(seq - 1),
    });
    try {
      await smee.waitFor((c) => c.events.some((e) => e.event === "ready"), "the ready event");
      const message = /^id: (\d+)\ndata: (\{.*\})\n\n/;
      assert.ok(smee.raw.startsWith("retry: 2000\n\n"), smee.raw);
      const rest = smee.raw.slice("retry: 2000\n\n".length);
      const m = message.exec(rest);
      assert.ok(m, rest);
      assert.equal(Number(m[1]), seq);
      assert.deepEqual((JSON.parse(m[2]!) as { body: unknown }).body, {});
      assert.equal(rest.slice(m[0].length), `id: ${seq}\nevent: ready\ndata: {"latestSeq":${seq}}\n\n`);
      const second = await post(`${ep.captureUrl}/b`, "{}", { "content-type": "application/json" });
      const next = await seqOf(second);
      await smee.waitFor((c) => c.events.some((e) => e.id === String(next)), "the live message");
      assert.match(smee.raw, new RegExp(`\\n\\nid: ${next}\\ndata: \\{[^\\n]*\\}\\n\\n`));
    } finally {
      smee.close();
    }
  });
});
