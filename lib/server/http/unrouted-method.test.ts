import assert from "node:assert/strict";
import { test } from "node:test";
import { allowedMethods, isRoutedMethod } from "./unrouted-method";

test("only the seven methods a route file can export are routed", () => {
  for (const m of ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]) assert.ok(isRoutedMethod(m), m);
  for (const m of ["PROPFIND", "MKCOL", "get", "TRACE"]) assert.ok(!isRoutedMethod(m), m);
});

test("the Allow of a path comes from the most literal route that matches it; none for an unknown path", () => {
  assert.equal(allowedMethods("/api/endpoints"), "GET, HEAD, OPTIONS, POST");
  assert.equal(allowedMethods("/api/endpoints/by-slug/abc"), "GET, HEAD, OPTIONS");
  assert.equal(allowedMethods("/api/captures/0190b0a0-0000-7000-8000-000000000000/resend"), "OPTIONS, POST");
  assert.equal(allowedMethods("/api/no-such-thing"), null);
});
