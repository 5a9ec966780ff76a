// `hookscope replay` from CI: the real bin, as a child process with stdout not a terminal (as in a
// CI job), against a real instance and a real target on loopback. Captures chosen by a search
// query are sent oldest first with their path, headers (edited by --header/--remove-header) and
// exact bytes; a target that fails some of them makes the run exit 1 with a line per failure, a
// summary and a JUnit report that a strict XML parser accepts; a run where every check passes exits
// 0; an unreachable instance or a wrong key exits 2 with a worded message.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createEndpoint, freePort, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { startTarget, type Target } from "./support/target";
import { parseXml } from "./support/xml";

let db: { name: string; url: string };
let app: RunningApp;
let target: Target;
let dir: string;

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "hookscope-replay-"));
  db = await createTestDatabase("replaycli");
  target = await startTarget();
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  await target?.close();
  await dropDatabase(db.name);
  await fs.rm(dir, { recursive: true, force: true });
});

/** Runs the bin to its end: exit code and everything it printed. */
function replay(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["bin/hookscope.mjs", "replay", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, HOOKSCOPE_KEY: "", HOOKSCOPE_URL: "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

async function capture(url: string, body: object, headers: Record<string, string> = {}): Promise<string> {
  const r = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  assert.equal(r.status, 200);
  return ((await r.json()) as { id: string }).id;
}

describe("hookscope replay", () => {
  test("a target that fails some events: a line per failure, a summary, valid JUnit, exit 1", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const ids: string[] = [];
    // Oldest first: two pass, one answers 500, one answers 200 with received:false, and one is not an invoice.
    ids.push(await capture(`${ep.captureUrl}/stripe?n=1`, { type: "invoice.paid", n: 1 }, { "X-Drop": "secret", "X-Env": "prod" }));
    ids.push(await capture(`${ep.captureUrl}/stripe?n=2`, { type: "invoice.created", n: 2, fail: "status" }));
    await capture(`${ep.captureUrl}/stripe?n=3`, { type: "customer.created", n: 3 });
    ids.push(await capture(`${ep.captureUrl}/stripe?n=4`, { type: "invoice.paid", n: 4, fail: "json" }));
    ids.push(await capture(`${ep.captureUrl}/stripe/<odd>`, { type: "invoice.voided", n: 5 }));
    target.respond = (req, res) => {
      const body = JSON.parse(req.body.toString("utf8")) as { fail?: string };
      if (body.fail === "status") {
        res.writeHead(500, { "content-type": "text/plain" });
        // Markup and a control character XML 1.0 forbids: the report must stay well-formed.
        return res.end("boom <stack> & \u0001 trace");
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ received: body.fail !== "json" }));
    };
    const junit = path.join(dir, "reports/replay.xml");
    const start = target.received.length;
    const run = await replay([
      "--endpoint",
      `${app.baseUrl}/endpoints/${ep.id}#key=${ep.managementKey}`,
      "--query",
      "type:invoice.*",
      "--to",
      `${target.url}/hooks`,
      "--expect",
      "2xx",
      "--expect-json",
      "received=true",
      "--remove-header",
      "x-drop",
      "-H",
      "X-Env: ci",
      "--junit",
      junit,
    ]);
    assert.equal(run.code, 1, run.stdout + run.stderr);

    // Sent oldest first, path and query appended to --to, body byte for byte, headers edited.
    const got = target.received.slice(start);
    assert.deepEqual(
      got.map((r) => r.url),
      ["/hooks/stripe?n=1", "/hooks/stripe?n=2", "/hooks/stripe?n=4", "/hooks/stripe/%3Codd%3E"],
    );
    assert.equal(JSON.parse(got[0]!.body.toString()).n, 1);
    const headers = (i: number) =>
      Object.fromEntries(got[i]!.rawHeaders.flatMap((v, j, a) => (j % 2 ? [] : [[v.toLowerCase(), a[j + 1]!]])));
    assert.equal(headers(0)["x-drop"], undefined, "--remove-header");
    assert.equal(headers(0)["x-env"], "ci", "--header replaces the captured value");
    assert.equal(headers(0)["content-type"], "application/json");

    // A line per failure as it happens (no progress bar: stdout is not a terminal), then the summary.
    const out = run.stdout;
    assert.match(out, new RegExp(`Replaying 4 captures matching type:invoice\\.\\* \\(oldest first\\) → ${target.url}/hooks`));
    assert.match(
      out,
      new RegExp(
        `✗ POST /stripe\\?n=2 invoice\\.created \\(capture ${ids[1]}\\) → expected 2xx, got 500; received: the answer is not JSON`,
      ),
    );
    assert.match(out, new RegExp(`✗ POST /stripe\\?n=4 invoice\\.paid \\(capture ${ids[2]}\\) → received: expected "true", got "false"`));
    assert.match(out, /… 4\/4 sent, 2 failed/);
    assert.doesNotMatch(out, /\x1b\[/, "no terminal escapes when stdout is not a terminal");
    assert.match(out, /sent 4 · passed 2 · failed 2/);
    assert.match(out, /latency to the answer's headers: p50 \d+ ms · p95 \d+ ms/);
    assert.match(out, new RegExp(`Failures:\\n  ✗ ${ids[1]} POST /stripe\\?n=2 invoice\\.created: expected 2xx, got 500`));
    assert.match(out, new RegExp(`JUnit report: ${junit}`));

    // The JUnit report: well-formed (strict XML 1.0 parser), one testsuite, a testcase per capture.
    const suite = parseXml(await fs.readFile(junit, "utf8")).children[0]!;
    assert.equal(suite.name, "testsuite");
    assert.equal(suite.attributes.tests, "4");
    assert.equal(suite.attributes.failures, "2");
    const cases = suite.children.filter((c) => c.name === "testcase");
    assert.deepEqual(
      cases.map((c) => c.attributes.name),
      [
        `POST /stripe?n=1 invoice.paid (capture ${ids[0]})`,
        `POST /stripe?n=2 invoice.created (capture ${ids[1]})`,
        `POST /stripe?n=4 invoice.paid (capture ${ids[2]})`,
        `POST /stripe/%3Codd%3E invoice.voided (capture ${ids[3]})`,
      ],
    );
    const failure = cases[1]!.children.find((c) => c.name === "failure")!;
    assert.equal(failure.attributes.message, "expected 2xx, got 500; received: the answer is not JSON");
    assert.match(failure.text, /answer: 500 Internal Server Error in \d+ ms\n\nboom <stack> & \\u0001 trace/);
    assert.equal(cases[0]!.children.length, 0, "a passing capture has no failure");
  });

  test("every check passes: exit 0; --ids chooses captures, sent in the order they were received", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const a = await capture(`${ep.captureUrl}/a`, { type: "order.created" });
    const b = await capture(`${ep.captureUrl}/b`, { type: "order.paid" });
    target.respond = (_req, res) => {
      res.writeHead(202, { "content-type": "application/json" });
      res.end('{"ok":true}');
    };
    const start = target.received.length;
    const junit = path.join(dir, "pass.xml");
    const run = await replay(
      [
        "--endpoint",
        `${app.baseUrl}/h/${ep.slug}`,
        "--ids",
        `${b},${a}`,
        "--to",
        target.url,
        "--expect-json",
        "ok=true",
        "--max-latency-ms",
        "10000",
        "--concurrency",
        "2",
        "--rate",
        "50/s",
        "--junit",
        junit,
      ],
      { HOOKSCOPE_KEY: ep.managementKey },
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.deepEqual(
      target.received
        .slice(start)
        .map((r) => r.url)
        .sort(),
      ["/a", "/b"],
    );
    assert.match(run.stdout, /sent 2 · passed 2 · failed 0/);
    assert.doesNotMatch(run.stdout, /✗/);
    const suite = parseXml(await fs.readFile(junit, "utf8")).children[0]!;
    assert.equal(suite.attributes.tests, "2");
    assert.equal(suite.attributes.failures, "0");
    assert.deepEqual(
      suite.children.filter((c) => c.name === "testcase").map((c) => c.attributes.name),
      [`POST /a order.created (capture ${a})`, `POST /b order.paid (capture ${b})`],
      "oldest first",
    );
  });

  test("usage and connection errors exit 2 with a worded message, and send nothing", async () => {
    const ep = await createEndpoint(app.baseUrl);
    await capture(ep.captureUrl, { type: "x" });
    const start = target.received.length;
    const wrongKey = await replay(["--endpoint", `${app.baseUrl}/endpoints/${ep.id}`, "--key", "hsk_wrong", "--to", target.url]);
    assert.equal(wrongKey.code, 2);
    assert.match(wrongKey.stderr, /Could not open endpoint .*: 40\d.*check the endpoint and its management key/);
    const down = await replay([
      "--endpoint",
      `http://127.0.0.1:${await freePort()}/h/${ep.slug}`,
      "--key",
      ep.managementKey,
      "--to",
      target.url,
    ]);
    assert.equal(down.code, 2);
    assert.match(down.stderr, /the instance did not answer \(ECONNREFUSED\)/);
    const badQuery = await replay([
      "--endpoint",
      `${app.baseUrl}/h/${ep.slug}`,
      "--key",
      ep.managementKey,
      "--query",
      "size:>lots",
      "--to",
      target.url,
    ]);
    assert.equal(badQuery.code, 2);
    assert.match(badQuery.stderr, /--query: /);
    const none = await replay([
      "--endpoint",
      `${app.baseUrl}/h/${ep.slug}`,
      "--key",
      ep.managementKey,
      "--query",
      "type:nothing.here",
      "--to",
      target.url,
    ]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Nothing to replay: no captures match type:nothing\.here/);
    const usage = await replay(["--endpoint", `${app.baseUrl}/h/${ep.slug}`, "--key", ep.managementKey]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--to <url> is required/);
    for (const r of [wrongKey, down, badQuery, none, usage]) assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
    assert.equal(target.received.length, start, "nothing was sent");
  });
});
