// smee's message payload for a capture: header names are captured data, so names that are also
// Object's properties ("constructor", "__proto__") go out as the headers they are, like any other.
import assert from "node:assert/strict";
import { test } from "node:test";
import { smeeData } from "./smee";

test("smee data: headers named constructor and __proto__ are sent as captured, repeats joined", () => {
  const data = smeeData(
    {
      id: "c1",
      endpointId: "e1",
      seq: 1,
      method: "POST",
      path: "/",
      query: "a=1",
      headers: [
        ["Content-Type", "application/json"],
        ["Constructor", "k"],
        ["__proto__", "p"],
        ["X-Twice", "1"],
        ["x-twice", "2"],
      ],
      body: Buffer.from('{"ok":true}'),
      oversize: false,
    },
    1_700_000_000_000,
  );
  const parsed = JSON.parse(data) as Record<string, unknown>;
  assert.equal(Object.getOwnPropertyDescriptor(parsed, "constructor")?.value, "k");
  assert.equal(Object.getOwnPropertyDescriptor(parsed, "__proto__")?.value, "p");
  assert.equal(parsed["x-twice"], "1, 2");
  assert.deepEqual(parsed.body, { ok: true });
  assert.deepEqual(parsed.query, { a: "1" });
  assert.equal(parsed.timestamp, 1_700_000_000_000);
});
