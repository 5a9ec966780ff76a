// hookscope forward's argument handling: which endpoint a capture or dashboard URL names (and a
// #key= fragment), and worded usage errors before anything connects.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { forward, parseSource } from "./forward";

const ID = "0193a5f0-7c1e-7b3a-9c4d-5e6f7a8b9c0d";

describe("parseSource", () => {
  test("capture URLs give the slug; dashboard links give the endpoint id and their #key=", () => {
    assert.deepEqual(parseSource("https://hooks.example.com/h/k3q9abc/orders?x=1"), {
      origin: "https://hooks.example.com",
      slug: "k3q9abc",
      key: undefined,
    });
    assert.deepEqual(parseSource(`http://localhost:3000/endpoints/${ID.toUpperCase()}#key=hsk_abc`), {
      origin: "http://localhost:3000",
      endpointId: ID,
      captureId: undefined,
      key: "hsk_abc",
    });
    assert.equal(parseSource(`http://localhost:3000/endpoints/${ID}/captures/${ID}`).captureId, ID);
    assert.throws(() => parseSource("http://localhost:3000/settings"), /neither a capture URL/);
    assert.throws(() => parseSource("not a url"), /Not a URL/);
  });
});

describe("hookscope forward usage", () => {
  async function run(args: string[]) {
    const out: string[] = [];
    const code = await forward.run(args, { out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, text: out.join("\n") };
  }

  test("missing or bad arguments exit 2 with a message naming the fix", async () => {
    delete process.env.HOOKSCOPE_KEY;
    assert.match((await run([])).text, /Which endpoint\?/);
    assert.match((await run(["http://x.test/h/abc"])).text, /--to <url> is required/);
    assert.match((await run(["http://x.test/h/abc", "--to", "ftp://x"])).text, /not an http\(s\) URL/);
    assert.match((await run(["http://x.test/h/abc", "--to", "http://localhost:1"])).text, /--key <management key> is required/);
    const bad = await run(["http://x.test/h/abc", "--to", "http://localhost:1", "--key", "k", "--from", "nope"]);
    assert.equal(bad.code, 2);
    assert.match(bad.text, /--from takes a capture id/);
    const base = ["http://x.test/h/abc", "--to", "http://localhost:1", "--key", "k"];
    const scheme = await run([...base, "--resign-secret", "whsec_x", "--resign-scheme", "generic"]);
    assert.equal(scheme.code, 2);
    assert.match(scheme.text, /--resign-scheme is one of auto, stripe, github, shopify, slack, standard, twilio/);
    assert.match((await run([...base, "--resign-scheme", "stripe"])).text, /--resign-scheme needs --resign-secret/);
    assert.match((await run([...base, "--resign-secret", " whsec_x"])).text, /--resign-secret is empty or starts or ends with whitespace/);
    const attempts = await run([...base, "--max-attempts", "0"]);
    assert.equal(attempts.code, 2);
    assert.match(attempts.text, /--max-attempts is a whole number of tries, 1 or more/);
    assert.equal((await run(["--help"])).code, 0);
  });
});
