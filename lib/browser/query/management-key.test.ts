import assert from "node:assert/strict";
import { test } from "node:test";
import { keyFromFragment, parseAccessInput } from "./management-key";

const ID = "0190f3a2-7b1c-7def-8abc-0123456789ab";
const KEY = "hsk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde";

test("a dashboard link gives its endpoint id and key; a bare key is a key", () => {
  assert.deepEqual(parseAccessInput(`  https://hooks.example.com/endpoints/${ID}#key=${KEY}\n`), {
    kind: "link",
    endpointId: ID,
    key: KEY,
  });
  assert.deepEqual(parseAccessInput(`http://127.0.0.1:3000/endpoints/${ID.toUpperCase()}/#key=${encodeURIComponent(KEY)}`), {
    kind: "link",
    endpointId: ID,
    key: KEY,
  });
  assert.deepEqual(parseAccessInput(` ${KEY} `), { kind: "key", key: KEY });
});

test("anything else is refused with a sentence that says what it is", () => {
  const msg = (s: string) => {
    const r = parseAccessInput(s);
    assert.equal(r.kind, "invalid", s);
    return (r as { message: string }).message;
  };
  assert.match(msg(""), /Paste a management key/);
  assert.match(msg("https://hooks.example.com/h/abcdefghjkmn"), /capture URL/);
  assert.match(msg("https://hooks.example.com/s/hss_x"), /share link/);
  assert.match(msg(`https://hooks.example.com/endpoints/${ID}`), /has no key/);
  assert.match(msg(`https://hooks.example.com/endpoints/${ID}#key=`), /has no key/);
  assert.match(msg("https://hooks.example.com/somewhere#key=abcdefghij"), /not a Hookscope dashboard link/);
  assert.match(msg("hsk_has spaces in it"), /not a management key/);
  assert.match(msg("short"), /not a management key/);
});

test("keyFromFragment reads #key= and refuses what no key looks like", () => {
  assert.equal(keyFromFragment(`#key=${KEY}`), KEY);
  assert.equal(keyFromFragment("#key=a b"), null);
  assert.equal(keyFromFragment("#other=1"), null);
});
