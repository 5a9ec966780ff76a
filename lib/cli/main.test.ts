// The CLI end to end against a local receiver: what `hookscope send` delivers verifies with the
// providers' libraries, usage errors exit 2, and bin/hookscope.mjs runs under plain node.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { verify as githubVerify } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { main, streamIo } from "./main";
import type { CliIo } from "./types";

interface Received {
  url: string;
  headers: Record<string, string>;
  body: string;
}

let server: http.Server;
let base: string;
const received: Received[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      received.push({ url: req.url!, headers: req.headers as Record<string, string>, body });
      res.writeHead(req.url === "/fail" ? 400 : 200, { "content-type": "text/plain" });
      res.end("thanks");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

function io(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

describe("hookscope send", () => {
  test("stripe: the delivered event passes stripe.webhooks.constructEvent", async () => {
    const secret = "whsec_cli_test_secret";
    const o = io();
    assert.equal(await main(["send", "stripe", "payment_intent.succeeded", "--to", `${base}/webhooks`, "--secret", secret], o), 0);
    const got = received.at(-1)!;
    const event = new Stripe("sk_test_x").webhooks.constructEvent(got.body, got.headers["stripe-signature"]!, secret);
    assert.equal(event.type, "payment_intent.succeeded");
    assert.match(o.lines[0]!, /→ POST .*\/webhooks {2}stripe payment_intent\.succeeded/);
    assert.match(o.lines[1]!, /← 200 OK {2}in \d+ ms/);
  });

  test("github with --event, extra headers; standard with --svix", async () => {
    assert.equal(
      await main(["send", "github", "--event", "pull_request", "--to", base, "--secret", "s3cret", "-H", "X-Extra: 1"], io()),
      0,
    );
    let got = received.at(-1)!;
    assert.equal(got.headers["x-github-event"], "pull_request");
    assert.equal(got.headers["x-extra"], "1");
    assert.equal(await githubVerify("s3cret", got.body, got.headers["x-hub-signature-256"]!), true);

    const secret = "whsec_" + Buffer.from("cli standard secret").toString("base64");
    assert.equal(await main(["send", "standard", "--to", base, "--secret", secret, "--svix"], io()), 0);
    got = received.at(-1)!;
    const h = {
      "webhook-id": got.headers["svix-id"]!,
      "webhook-timestamp": got.headers["svix-timestamp"]!,
      "webhook-signature": got.headers["svix-signature"]!,
    };
    assert.ok(new Webhook(secret).verify(got.body, h));
  });

  test("without --secret a random one is generated and printed", async () => {
    const o = io();
    assert.equal(await main(["send", "slack", "--to", base], o), 0);
    assert.match(o.errors[0]!, /random one: [0-9a-f]{32}/);
  });

  test("a non-2xx answer exits 1; a refused connection exits 1 with the reason", async () => {
    assert.equal(await main(["send", "shopify", "--to", `${base}/fail`, "--secret", "x"], io()), 1);
    const o = io();
    assert.equal(await main(["send", "shopify", "--to", "http://127.0.0.1:9/", "--secret", "x"], o), 1);
    assert.match(o.errors.join("\n"), /ECONNREFUSED/);
  });

  test("usage errors exit 2 and explain", async () => {
    const cases: [string[], RegExp][] = [
      [["send"], /Which provider/],
      [["send", "paypal", "--to", base], /Unknown provider "paypal"/],
      [["send", "stripe"], /--to <url> is required/],
      [["send", "stripe", "charge.exploded", "--to", base, "--secret", "x"], /Unknown stripe event/],
      [["send", "standard", "--to", base, "--secret", "not base64!"], /base64/],
      [["send", "stripe", "--to", base, "--bogus"], /Unknown option/],
      [["frobnicate"], /Unknown command "frobnicate"/],
    ];
    const before = received.length;
    for (const [argv, pattern] of cases) {
      const o = io();
      assert.equal(await main(argv, o), 2, argv.join(" "));
      assert.match(o.errors.join("\n"), pattern, argv.join(" "));
    }
    assert.equal(received.length, before, "nothing was sent");
  });

  test("--dry-run prints the signed request without sending", async () => {
    const before = received.length;
    const o = io();
    assert.equal(await main(["send", "twilio", "--to", `${base}/sms`, "--secret", "tok", "--dry-run"], o), 0);
    assert.ok(o.lines.some((l) => l.startsWith("  X-Twilio-Signature: ")));
    assert.equal(received.length, before);
  });
});

describe("bin/hookscope.mjs", () => {
  test("runs under plain node (no --import tsx) from another directory", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [new URL("../../bin/hookscope.mjs", import.meta.url).pathname, "send", "--help"],
      {
        cwd: "/",
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "production" },
      },
    );
    assert.match(stdout, /Usage: hookscope send <provider>/);
    assert.match(stdout, /payment_intent\.succeeded/);
  });
});

test("a terminal sees control, C1 and bidi characters from what it prints as escapes; a pipe gets the text as it is", () => {
  const hostile = "← 200 \x1b]52;c;cHduZWQ=\x07 \x9b2J order\u202Egnp.exe\tok";
  const written = { tty: "", pipe: "", err: "" };
  const tty = streamIo(
    { isTTY: true, write: (t: string) => (written.tty += t) },
    { isTTY: true, write: (t: string) => (written.err += t) },
  );
  tty.out(hostile);
  tty.err("line 1\nline 2");
  assert.equal(written.tty, "← 200 \\u001B]52;c;cHduZWQ=\\u0007 \\u009B2J order\\u202Egnp.exe\tok\n");
  assert.equal(written.err, "line 1\nline 2\n");
  assert.ok(tty.tty, "a terminal gets the progress line");
  const piped = streamIo({ write: (t: string) => (written.pipe += t) }, { write: () => true });
  piped.out(hostile);
  assert.equal(written.pipe, `${hostile}\n`);
  assert.equal(piped.tty, undefined);
});
