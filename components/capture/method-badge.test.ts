import assert from "node:assert/strict";
import { test } from "node:test";
import { methodColor } from "./method-badge";

test("method colours: standard methods have theirs; any other token, even constructor or __proto__, is neutral", () => {
  const neutral = methodColor("PROPFIND");
  assert.match(methodColor("POST"), /emerald/);
  assert.notEqual(methodColor("GET"), neutral);
  for (const m of ["constructor", "toString", "__proto__", "valueOf", "hasOwnProperty"]) assert.equal(methodColor(m), neutral, m);
});
