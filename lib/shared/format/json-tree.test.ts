import assert from "node:assert/strict";
import { test } from "node:test";
import { findInJsonTree, jsonPath, jsonValueText, openToBudget, parseJsonTree, type TJsonNode } from "./json-tree";

function tree(text: string) {
  const t = parseJsonTree(text);
  assert.ok(t.ok, "parses");
  return t;
}
const byPath = (nodes: TJsonNode[], path: string) => nodes.find((n) => jsonPath(n) === path)!;

test("a JSON tree keeps numbers as sent, key order and repeated keys; escapes are decoded", () => {
  const t = tree('{"b":1,"2":12345678901234567890,"b":2.50,"s":"a\\"b\\u00e9","n":null,"t":true,"a":[],"o":{}}');
  assert.deepEqual(
    t.root.children.map((c) => [c.key, c.kind, c.value]),
    [
      ["b", "number", "1"],
      ["2", "number", "12345678901234567890"],
      ["b", "number", "2.50"],
      ["s", "string", 'a"bé'],
      ["n", "null", "null"],
      ["t", "boolean", "true"],
      ["a", "array", ""],
      ["o", "object", ""],
    ],
  );
  assert.equal(t.nodes.length, 9);
});

test('paths read as jq writes them: .data.object.amount, [0], ["odd key"]; the root is .', () => {
  const t = tree('{"data":{"object":{"amount":4200,"odd key":[{"x":1}]}},"ünï":1}');
  assert.equal(jsonPath(t.root), ".");
  assert.ok(byPath(t.nodes, ".data.object.amount"));
  assert.equal(byPath(t.nodes, '.data.object["odd key"][0].x').value, "1");
  assert.ok(byPath(t.nodes, '.["ünï"]'));
  assert.equal(jsonPath(tree("[[1]]").nodes[2]!), ".[0][0]");
});

test("a node's value copies as JSON with numbers as sent; a string copies as its text", () => {
  const t = tree('{"o":{"big":12345678901234567890,"l":[true,null,"x"]},"s":"line\\nbreak"}');
  assert.equal(jsonValueText(byPath(t.nodes, ".o")), '{\n  "big": 12345678901234567890,\n  "l": [\n    true,\n    null,\n    "x"\n  ]\n}');
  assert.equal(jsonValueText(byPath(t.nodes, ".s")), "line\nbreak");
});

test("find matches keys and values case-insensitively in document order", () => {
  const t = tree('{"Amount":1,"note":"no amount","list":[{"amount":2}]}');
  assert.deepEqual(
    findInJsonTree(t.nodes, "amount").map((m) => `${jsonPath(m.node)} ${m.part}`),
    [".Amount key", ".note value", ".list[0].amount key"],
  );
  assert.deepEqual(findInJsonTree(t.nodes, ""), []);
});

test("a big body opens as many levels as fit the budget; a small one opens whole", () => {
  const small = tree('{"a":{"b":{"c":1}}}');
  assert.equal(openToBudget(small.nodes, 500).size, 3);
  const big = tree(JSON.stringify({ items: Array.from({ length: 2000 }, (_, i) => ({ i, tags: ["x"] })) }));
  const open = openToBudget(big.nodes, 500);
  assert.deepEqual([...open], [0]); // the root only: items stays folded
});

test("invalid, too deep and too big JSON say why they are not a tree", () => {
  for (const [text, why] of [
    ["{bad", "not valid JSON"],
    ["[".repeat(300) + "]".repeat(300), "nested deeper than 256"],
    [JSON.stringify("x".repeat(1024 * 1024 + 1)), "over 1 MiB"],
  ] as const) {
    const t = parseJsonTree(text);
    assert.ok(!t.ok && t.reason.includes(why), why);
  }
});
