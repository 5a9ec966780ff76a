import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { diffBytes, firstDifferingOffset } from "./bytes";
import { compareBodies, compareCaptures, type TCompareInput } from "./compare";
import { foldRows } from "./fold";
import { diffJson } from "./json-diff";
import { JsonSyntaxError, parseJsonLossless } from "./json-parse";
import { diffText, MAX_ROWS } from "./lines";
import { diffPairs, parseQuery } from "./pairs";

const body = (bytes: string | Uint8Array) => {
  const buf = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes);
  let text: string | null;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    text = null;
  }
  return { bytes: new Uint8Array(buf), text };
};

const capture = (over: Partial<TCompareInput> = {}): TCompareInput => ({
  method: "POST",
  path: "/stripe",
  query: null,
  headers: [["Content-Type", "application/json"]],
  httpVersion: "1.1",
  body: body("{}"),
  ...over,
});

const jsonDiff = (a: string, b: string) => diffJson(parseJsonLossless(a), parseJsonLossless(b));

describe("JSON structural diff", () => {
  test("reordered keys and different whitespace: no change", () => {
    const a = '{"id":"evt_1","data":{"object":{"amount":2000,"currency":"usd"}},"livemode":false}';
    const b = '{\n  "livemode": false,\n  "data": { "object": { "currency": "usd", "amount": 2000 } },\n  "id": "evt_1"\n}';
    assert.deepEqual(jsonDiff(a, b), { changes: [], total: 0 });
    const r = compareBodies(body(a), body(b));
    assert.equal(r.mode, "json");
    assert.equal(r.mode === "json" && r.json.total, 0);
  });

  test("a changed nested value shows its path and both values", () => {
    const a = '{"data":{"object":{"amount":2000,"currency":"usd"}},"type":"charge.succeeded"}';
    const b = '{"type":"charge.succeeded","data":{"object":{"currency":"usd","amount":2500}}}';
    assert.deepEqual(jsonDiff(a, b).changes, [{ path: ".data.object.amount", kind: "changed", a: "2000", b: "2500" }]);
  });

  test("added and removed keys, odd key names quoted, type changes", () => {
    const d = jsonDiff('{"a":1,"x-y":{"k":true},"n":null}', '{"a":"1","x-y":{},"extra":[1]}');
    assert.deepEqual(d.changes, [
      { path: ".a", kind: "changed", a: "1", b: '"1"' },
      { path: '."x-y".k', kind: "removed", a: "true" },
      { path: ".n", kind: "removed", a: "null" },
      { path: ".extra", kind: "added", b: "[1]" },
    ]);
  });

  test("numbers compare by value, big integers by every digit", () => {
    assert.equal(jsonDiff('{"a":1.0,"b":1e2}', '{"a":1,"b":100}').total, 0);
    // JSON.parse reads both as 1234567890123456800
    assert.deepEqual(jsonDiff('{"id":1234567890123456789}', '{"id":1234567890123456790}').changes, [
      { path: ".id", kind: "changed", a: "1234567890123456789", b: "1234567890123456790" },
    ]);
  });

  test("an element inserted into an array is one addition, not every later element changed", () => {
    const d = jsonDiff('{"items":[{"id":1},{"id":2},{"id":3}]}', '{"items":[{"id":0},{"id":1},{"id":2},{"id":3}]}');
    assert.deepEqual(d.changes, [{ path: ".items[0]", kind: "added", b: '{"id":0}' }]);
    const e = jsonDiff("[1,2,3]", "[1,5,3]");
    assert.deepEqual(e.changes, [{ path: ".[1]", kind: "changed", a: "2", b: "5" }]);
  });

  test("root values and the change cap", () => {
    assert.deepEqual(jsonDiff("1", '"x"').changes, [{ path: ".", kind: "changed", a: "1", b: '"x"' }]);
    const many = diffJson(parseJsonLossless(JSON.stringify(Array.from({ length: 50 }, (_, i) => i))), parseJsonLossless("[]"), {
      maxChanges: 10,
    });
    assert.equal(many.total, 50);
    assert.equal(many.changes.length, 10);
  });

  test("the reader refuses what JSON.parse refuses and reads what it reads", () => {
    for (const bad of ["{", '{"a":}', "[1,]", "01", '"\\x"', "nul", "{} x", '"a\nb"']) {
      assert.throws(() => parseJsonLossless(bad), JsonSyntaxError, bad);
      assert.throws(() => JSON.parse(bad), SyntaxError, bad);
    }
    const text = '{"s":"a\\u00e9\\n\\"","e":[],"o":{},"t":true,"f":false,"z":null,"n":-0.5e-3}';
    const d = diffJson(parseJsonLossless(text), parseJsonLossless(JSON.stringify(JSON.parse(text))));
    assert.equal(d.total, 0);
    assert.throws(() => parseJsonLossless("[".repeat(1000) + "]".repeat(1000)), /Nested deeper/);
  });
});

describe("header and query diff", () => {
  test("added, removed and changed headers, in order, names case-insensitive", () => {
    const a: [string, string][] = [
      ["Host", "example.test"],
      ["User-Agent", "Stripe/1.0"],
      ["Stripe-Signature", "t=1,v1=aa"],
      ["X-Old", "gone"],
      ["Accept", "*/*"],
    ];
    const b: [string, string][] = [
      ["Host", "example.test"],
      ["user-agent", "Stripe/1.0"],
      ["Stripe-Signature", "t=2,v1=bb"],
      ["Accept", "*/*"],
      ["X-New", "here"],
    ];
    assert.deepEqual(
      diffPairs(a, b, { caseInsensitiveNames: true }).map((r) => [r.kind, (r.b ?? r.a)![0]]),
      [
        ["same", "Host"],
        ["changed", "user-agent"], // same value, name case differs
        ["changed", "Stripe-Signature"],
        ["removed", "X-Old"],
        ["same", "Accept"],
        ["added", "X-New"],
      ],
    );
  });

  test("repeated headers pair by occurrence", () => {
    const rows = diffPairs(
      [
        ["X-Tag", "a"],
        ["X-Tag", "b"],
      ],
      [["X-Tag", "a"]],
      { caseInsensitiveNames: true },
    );
    assert.deepEqual(
      rows.map((r) => r.kind),
      ["same", "removed"],
    );
    assert.deepEqual(rows[1]!.a, ["X-Tag", "b"]);
  });

  test("query strings decode like a browser and keep bad escapes", () => {
    assert.deepEqual(parseQuery("a=1&b=two+words&c&d=%E2%9C%93&e=%ZZ"), [
      ["a", "1"],
      ["b", "two words"],
      ["c", ""],
      ["d", "✓"],
      ["e", "%ZZ"],
    ]);
    assert.deepEqual(parseQuery(null), []);
  });

  test("request line, query and headers together", () => {
    const r = compareCaptures(capture({ query: "a=1&b=2" }), capture({ method: "PUT", query: "b=3&a=1" }));
    assert.deepEqual(
      r.request.filter((x) => x.kind !== "same").map((x) => x.b![0]),
      ["Method", "Query string"],
    );
    assert.deepEqual(
      r.query.map((x) => [x.kind, x.b![0]]),
      [
        ["changed", "b"],
        ["same", "a"],
      ],
    );
    assert.equal(r.body.mode, "identical");
  });
});

describe("text and binary bodies", () => {
  test("lines: changed, added, removed, and a missing final newline", () => {
    const d = diffText("one\ntwo\nthree\n", "one\nTWO\nthree\nfour");
    assert.deepEqual(
      d.rows.map((r) => [r.kind, r.a?.text ?? null, r.b?.text ?? null]),
      [
        ["same", "one", "one"],
        ["changed", "two", "TWO"],
        ["same", "three", "three"],
        ["added", null, "four"],
      ],
    );
    assert.equal(d.rows[3]!.b!.noEol, true);
    assert.deepEqual([d.changed, d.added, d.removed], [1, 1, 0]);
    const eol = diffText("a\nb\n", "a\nb");
    assert.ok(eol.rows[1]!.kind === "changed" && eol.rows[1]!.b!.noEol && !eol.rows[1]!.a!.noEol);
  });

  test("form bodies compare as text; JSON against non-JSON says so", () => {
    const r = compareBodies(body("a=1&b=2"), body("a=1&b=3"));
    assert.equal(r.mode, "text");
    const m = compareBodies(body('{"a":1}'), body("plain"));
    assert.ok(m.mode === "text" && m.note?.includes("A is JSON"));
  });

  test("binary: sizes and the first differing offset", () => {
    const a = new Uint8Array(300).map((_, i) => i % 256);
    const b = a.slice();
    b[200] = 0xff;
    assert.equal(firstDifferingOffset(a, b), 200);
    assert.equal(firstDifferingOffset(a, a.slice()), null);
    assert.equal(firstDifferingOffset(a, a.slice(0, 120)), 120); // a prefix differs where it ends
    const d = diffBytes(a, b);
    assert.deepEqual([d.sizeA, d.sizeB, d.firstDifference, d.window?.start], [300, 300, 200, 176]);
    assert.equal(d.window!.hexA[24], "c8");
    assert.equal(d.window!.hexB[24], "ff");

    const gz = compareBodies(body(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2])), body(new Uint8Array([0x1f, 0x8b, 8, 0, 1, 3, 4])));
    assert.ok(gz.mode === "binary");
    assert.deepEqual([gz.sizeA, gz.sizeB, gz.bytes.firstDifference], [6, 7, 5]);
  });

  test("1 MiB JSON bodies with one change diff quickly", () => {
    const items = Array.from({ length: 16000 }, (_, i) => ({ id: i, name: `item number ${i}`, tags: ["a", "b"], price: i * 3 }));
    const a = JSON.stringify({ items });
    items[7777]!.price = -1;
    const b = JSON.stringify({ items });
    assert.ok(a.length > 1_000_000);
    const t = performance.now();
    const r = compareBodies(body(a), body(b));
    const ms = performance.now() - t;
    assert.ok(r.mode === "json");
    assert.deepEqual(r.json.changes, [{ path: ".items[7777].price", kind: "changed", a: "23331", b: "-1" }]);
    assert.ok(ms < 3000, `took ${ms} ms`);
  });

  test("1 MiB texts with every tenth line changed line up quickly (patience anchors), exactly", () => {
    const mk = (alt: boolean) =>
      Array.from({ length: 20000 }, (_, i) => `line ${i} ${"x".repeat(40)} ${alt && i % 10 === 0 ? "CHANGED" : "same"}`).join("\n") + "\n";
    const a = mk(false);
    const b = mk(true);
    assert.ok(a.length > 1_000_000);
    const t = performance.now();
    const d = diffText(a, b);
    const ms = performance.now() - t;
    assert.equal(d.approximate, false);
    assert.deepEqual([d.changed, d.removed, d.added, d.rows.length], [2000, 0, 0, 20000]);
    assert.ok(d.rows.every((r, i) => (i % 10 === 0 ? r.kind === "changed" : r.kind === "same") && r.a!.n === i + 1 && r.b!.n === i + 1));
    assert.ok(ms < 3000, `took ${ms} ms`);
  });

  test("moved and repeated lines; out of time, a region is shown as removed then added, still exact", () => {
    const d = diffText("a\n}\nb\n}\nc\n", "b\n}\na\n}\nc\n");
    const rebuilt = (side: "a" | "b") =>
      d.rows
        .map((r) => r[side]?.text)
        .filter((x) => x !== undefined)
        .join("\n");
    assert.equal(rebuilt("a"), "a\n}\nb\n}\nc");
    assert.equal(rebuilt("b"), "b\n}\na\n}\nc");
    const rnd = (seed: number) => Array.from({ length: 3000 }, (_, i) => `${(i * seed) % 97}`).join("\n");
    const slow = diffText(rnd(7), rnd(13), { timeoutMs: 0 });
    assert.equal(slow.approximate, true);
    assert.equal(slow.rows.filter((r) => r.a).length, 3000);
    assert.equal(slow.rows.filter((r) => r.b).length, 3000);
  });
});

test("line rows stop at MAX_ROWS, the counts do not", () => {
  const mk = (p: string) => Array.from({ length: MAX_ROWS + 500 }, (_, i) => `${p}${i}`).join("\n");
  const d = diffText(mk("a"), mk("b"));
  assert.deepEqual([d.rows.length, d.omittedRows, d.changed, d.removed, d.added], [MAX_ROWS, 500, MAX_ROWS + 500, 0, 0]);
  assert.equal(d.approximate, false, "no line in common is an exact answer, found at once");
});

describe("folding", () => {
  test("long unchanged runs fold with context around changes", () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ i, same: i !== 10 }));
    const segs = foldRows(rows, (r) => r.same, 2);
    assert.deepEqual(
      segs.map((s) => [s.kind, s.start, s.rows.length]),
      [
        ["fold", 0, 8],
        ["rows", 8, 5],
        ["fold", 13, 7],
      ],
    );
    assert.deepEqual(
      foldRows(rows.slice(8, 13), (r) => r.same, 2).map((s) => s.kind),
      ["rows"],
    );
  });
});
