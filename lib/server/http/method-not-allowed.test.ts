import assert from "node:assert/strict";
import { test } from "node:test";
import { allowHeader, otherMethods } from "./method-not-allowed";

test("Allow adds HEAD where there is GET, and OPTIONS everywhere, sorted", () => {
  assert.equal(allowHeader(["POST", "GET"]), "GET, HEAD, OPTIONS, POST");
  assert.equal(allowHeader(["DELETE"]), "DELETE, OPTIONS");
});

test("otherMethods refuses every method the route does not serve with 405, Allow and the envelope", async () => {
  const others = otherMethods(["GET", "POST"]);
  // HEAD is Next's (it answers HEAD with GET), so it is not among the refusals.
  assert.deepEqual(Object.keys(others).sort(), ["DELETE", "OPTIONS", "PATCH", "PUT"]);
  const res = await others.PUT(new Request("http://x/api/endpoints", { method: "PUT" }));
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "GET, HEAD, OPTIONS, POST");
  assert.deepEqual(await res.json(), {
    error: { code: "METHOD_NOT_ALLOWED", message: "/api/endpoints does not answer PUT; it answers GET, HEAD, OPTIONS, POST." },
  });
  const options = await others.OPTIONS(new Request("http://x/api/endpoints", { method: "OPTIONS" }));
  assert.equal(options.status, 204);
  assert.equal(options.headers.get("allow"), "GET, HEAD, OPTIONS, POST");
});

test("a route without GET refuses GET and HEAD too", async () => {
  const others = otherMethods(["POST"]);
  assert.deepEqual(Object.keys(others).sort(), ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "PUT"]);
  const res = await others.HEAD(new Request("http://x/api/captures/1/resend", { method: "HEAD" }));
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("allow"), "OPTIONS, POST");
});
