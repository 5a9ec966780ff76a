// `hookscope replay` arguments: what a run gets from each option, and the worded usage error for
// each mistake (the command exits 2 with it).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { applyHeaderEdits, DEFAULT_REPLAY_LIMIT, parseRate, parseReplayArgs, UsageError } from "./replay-args";

const ID = "0b6c7a4e-3f1d-4c55-9a0e-2d3b4c5d6e7f";
const LINK = `https://hooks.example.com/endpoints/${ID}#key=hsk_link`;
const base = ["--endpoint", LINK, "--to", "http://localhost:3000/webhooks"];

function parse(args: string[], env: Record<string, string | undefined> = {}) {
  const o = parseReplayArgs(args, env);
  assert.ok(o);
  return o;
}

function usage(args: string[], pattern: RegExp, env: Record<string, string | undefined> = {}) {
  assert.throws(
    () => parseReplayArgs(args, env),
    (e: unknown) => e instanceof UsageError && pattern.test(e.message),
    args.join(" "),
  );
}

describe("parseReplayArgs", () => {
  test("defaults: every capture, the 1000 most recent, 2xx, one at a time, no rate, 30 s timeout", () => {
    const o = parse(base);
    assert.equal(o.origin, "https://hooks.example.com");
    assert.deepEqual(o.endpoint, { id: ID });
    assert.equal(o.key, "hsk_link", "the link's #key=");
    assert.equal(o.query, "");
    assert.equal(o.ids, null);
    assert.equal(o.limit, DEFAULT_REPLAY_LIMIT);
    assert.deepEqual(o.checks, { status: ["2xx"], json: [], maxLatencyMs: null });
    assert.equal(o.concurrency, 1);
    assert.equal(o.rate, null);
    assert.equal(o.timeoutMs, 30_000);
    assert.equal(o.junit, null);
    assert.equal(o.resign, undefined);
  });

  test("every option", () => {
    const o = parse([
      ...base,
      "--key",
      "hsk_flag",
      "-q",
      " type:invoice.* ",
      "--limit",
      "50",
      "--expect",
      "2XX,409",
      "--expect-json",
      "received=true",
      "--expect-json",
      "data.items[0].id=a=b",
      "--max-latency-ms",
      "250",
      "--concurrency",
      "4",
      "--rate",
      "2.5/s",
      "-H",
      "X-Env: ci",
      "--header",
      "Authorization: Bearer t:1",
      "--remove-header",
      "Stripe-Signature",
      "--resign-secret",
      "whsec_x",
      "--resign-scheme",
      "stripe",
      "--junit",
      "out/replay.xml",
      "--timeout",
      "5000",
    ]);
    assert.equal(o.key, "hsk_flag", "--key wins over the link's key");
    assert.equal(o.query, "type:invoice.*");
    assert.equal(o.limit, 50);
    assert.deepEqual(o.checks, {
      status: ["2xx", "409"],
      json: [
        { path: "received", equals: "true" },
        { path: "data.items[0].id", equals: "a=b" },
      ],
      maxLatencyMs: 250,
    });
    assert.equal(o.concurrency, 4);
    assert.equal(o.rate, 2.5);
    assert.deepEqual(o.setHeaders, [
      ["X-Env", "ci"],
      ["Authorization", "Bearer t:1"],
    ]);
    assert.deepEqual(o.removeHeaders, ["stripe-signature"]);
    assert.deepEqual(o.resign, { scheme: "stripe", secret: "whsec_x" });
    assert.equal(o.junit, "out/replay.xml");
    assert.equal(o.timeoutMs, 5000);
  });

  test("the endpoint as a capture URL (a slug), or an id with --server / HOOKSCOPE_URL; the key from HOOKSCOPE_KEY", () => {
    const bySlug = parse(["--endpoint", "http://127.0.0.1:3000/h/k3q9x", "--to", "http://localhost/"], { HOOKSCOPE_KEY: "hsk_env" });
    assert.deepEqual(bySlug.endpoint, { slug: "k3q9x" });
    assert.equal(bySlug.origin, "http://127.0.0.1:3000");
    assert.equal(bySlug.key, "hsk_env");
    const byId = parse(["--endpoint", ID.toUpperCase(), "--to", "http://localhost/", "--key", "k"], {
      HOOKSCOPE_URL: "https://h.example.com/x",
    });
    assert.deepEqual(byId.endpoint, { id: ID });
    assert.equal(byId.origin, "https://h.example.com");
    assert.equal(
      parse(["--endpoint", ID, "--server", "http://a.test:8080", "--to", "http://l/", "--key", "k"]).origin,
      "http://a.test:8080",
    );
  });

  test("--ids: deduplicated, lower-cased", () => {
    const other = "1b6c7a4e-3f1d-4c55-9a0e-2d3b4c5d6e7f";
    assert.deepEqual(parse([...base, "--ids", `${ID.toUpperCase()}, ${other},${ID}`]).ids, [ID, other]);
  });

  test("--help gives null (the command prints the help)", () => {
    assert.equal(parseReplayArgs(["--help"], {}), null);
  });

  test("usage errors are worded", () => {
    usage(["--to", "http://l/"], /--endpoint is required/);
    usage(["--endpoint", ID, "--to", "http://l/", "--key", "k"], /needs --server/);
    usage(["--endpoint", ID, "--server", "ftp://x", "--to", "http://l/", "--key", "k"], /--server: not an http\(s\) URL/);
    usage(["--endpoint", "https://x.example.com/settings", "--to", "http://l/", "--key", "k"], /--endpoint: .*neither a capture URL/);
    usage(["--endpoint", `https://x.example.com/endpoints/${ID}`, "--to", "http://l/"], /--key <management key> is required/);
    usage(["--endpoint", LINK], /--to <url> is required/);
    usage(["--endpoint", LINK, "--to", "localhost:3000"], /--to: not an http\(s\) URL/);
    usage([...base, "--ids", "a,b"], /--ids takes capture ids .*"a" is not one/);
    usage([...base, "--ids", ID, "--query", "type:x"], /--ids and --query both choose/);
    usage([...base, "--ids", ID, "--limit", "3"], /--limit goes with --query/);
    usage([...base, "--limit", "0"], /--limit is how many captures .* from 1 to 100,000/);
    usage([...base, "--limit", "2.5"], /--limit/);
    usage([...base, "--expect", "200,abc"], /--expect: Expected status: a class such as 2xx/);
    usage([...base, "--expect", ","], /--expect: Expect at least one status/);
    usage([...base, "--expect-json", "received"], /--expect-json "received" should look like path=value/);
    usage([...base, "--expect-json", "a..b=1"], /--expect-json: JSON path must look like/);
    usage([...base, "--max-latency-ms", "fast"], /--max-latency-ms is milliseconds/);
    usage([...base, "--concurrency", "51"], /--concurrency .* from 1 to 50/);
    usage([...base, "--rate", "fast"], /--rate is sends per second/);
    usage([...base, "--rate", "0/s"], /--rate/);
    usage([...base, "-H", "NoColon"], /--header "NoColon" should look like "Name: value"/);
    usage([...base, "--remove-header", "bad name"], /--remove-header takes a header name/);
    usage([...base, "--resign-scheme", "stripe"], /needs --resign-secret/);
    usage([...base, "--resign-secret", "x", "--resign-scheme", "paypal"], /--resign-scheme is one of auto, /);
    usage([...base, "--resign-secret", " x"], /whitespace/);
    usage([...base, "--junit", ""], /--junit takes a file path/);
    usage([...base, "--bogus"], /Unknown option '--bogus'/);
    usage([...base, "extra"], /positional/);
  });
});

describe("parseRate", () => {
  test("n/s or n", () => {
    assert.equal(parseRate("10/s"), 10);
    assert.equal(parseRate("10"), 10);
    assert.equal(parseRate(" 0.5 / s"), 0.5);
  });
});

describe("applyHeaderEdits", () => {
  test("removes named headers (any case, every repeat), then sets, replacing the captured value", () => {
    const got = applyHeaderEdits(
      [
        ["Content-Type", "application/json"],
        ["X-Trace", "1"],
        ["x-trace", "2"],
        ["Stripe-Signature", "t=1,v1=abc"],
      ],
      [["content-type", "application/json; charset=utf-8"]],
      ["x-trace"],
    );
    assert.deepEqual(got, [
      ["Stripe-Signature", "t=1,v1=abc"],
      ["content-type", "application/json; charset=utf-8"],
    ]);
  });
});
