import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { hostRole, isCaptureTarget, isHealthTarget, parseCaptureTarget, splitCaptureHost } from "./target";

test("isCaptureTarget accepts only origin-form targets under /h/", () => {
  assert.equal(isCaptureTarget("/h/abc"), true);
  assert.equal(isCaptureTarget("/h/"), true);
  assert.equal(isCaptureTarget("/h"), false);
  assert.equal(isCaptureTarget("/hx/abc"), false);
  assert.equal(isCaptureTarget("/H/abc"), false);
  assert.equal(isCaptureTarget("//h/abc"), false);
  assert.equal(isCaptureTarget("http://evil.example/h/abc"), false);
  assert.equal(isCaptureTarget("*"), false);
});

test("a bare slug has an empty path and no query", () => {
  assert.deepEqual(parseCaptureTarget("/h/abc123"), { slug: "abc123", path: "", query: null });
});

test('a trailing "?" gives an empty query, which differs from no query at all', () => {
  assert.deepEqual(parseCaptureTarget("/h/abc123?"), { slug: "abc123", path: "", query: "" });
  assert.deepEqual(parseCaptureTarget("/h/abc123/x?"), { slug: "abc123", path: "/x", query: "" });
});

test("a trailing slash is kept as the path", () => {
  assert.deepEqual(parseCaptureTarget("/h/abc123/"), { slug: "abc123", path: "/", query: null });
  assert.deepEqual(parseCaptureTarget("/h/abc123/?x"), { slug: "abc123", path: "/", query: "x" });
});

test("path and query are kept exactly as sent: nothing is decoded or normalised", () => {
  assert.deepEqual(parseCaptureTarget("/h/abc123/a/%2E%2E/b?x=%20&x=2&flag"), {
    slug: "abc123",
    path: "/a/%2E%2E/b",
    query: "x=%20&x=2&flag",
  });
  assert.deepEqual(parseCaptureTarget("/h/abc123/a/../b//c/./d"), { slug: "abc123", path: "/a/../b//c/./d", query: null });
  assert.deepEqual(parseCaptureTarget("/h/abc123/a+b%2Fc"), { slug: "abc123", path: "/a+b%2Fc", query: null });
});

test('only the first "?" splits path from query', () => {
  assert.deepEqual(parseCaptureTarget("/h/abc123/p?a=1?b=2"), { slug: "abc123", path: "/p", query: "a=1?b=2" });
  assert.deepEqual(parseCaptureTarget("/h/abc123?next=/h/other/x"), { slug: "abc123", path: "", query: "next=/h/other/x" });
});

test("a target without a slug is refused", () => {
  assert.equal(parseCaptureTarget("/h/"), null);
  assert.equal(parseCaptureTarget("/h/?x=1"), null);
  assert.equal(parseCaptureTarget("/h//orders"), null);
});

test("the slug is returned as written; validating it is the caller's job", () => {
  // The handler checks SLUG_PATTERN; the parser must not silently fix case or characters.
  assert.deepEqual(parseCaptureTarget("/h/ABC%20x/y"), { slug: "ABC%20x", path: "/y", query: null });
});

test("parsing recovers any slug, path and query it was built from", () => {
  const slug = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
  const pathSegment = fc.stringMatching(/^[A-Za-z0-9%._~!$&'()*+,;=:@-]{0,10}$/);
  const path = fc.array(pathSegment, { maxLength: 5 }).map((segs) => segs.map((s) => `/${s}`).join(""));
  const query = fc.option(fc.stringMatching(/^[A-Za-z0-9%._~!$&'()*+,;=:@/?-]{0,30}$/), { nil: null });
  fc.assert(
    fc.property(slug, path, query, (s, p, q) => {
      const url = `/h/${s}${p}${q === null ? "" : `?${q}`}`;
      assert.deepEqual(parseCaptureTarget(url), { slug: s, path: p, query: q });
    }),
  );
});

test("splitCaptureHost: on only when CAPTURE_BASE_URL names another host than the dashboard's", () => {
  assert.equal(splitCaptureHost(undefined, "https://hooks.example.com"), null);
  assert.equal(splitCaptureHost("https://hooks.example.com", "https://hooks.example.com"), null);
  assert.equal(splitCaptureHost("https://HOOKS.example.com:443", "https://hooks.example.com"), null);
  assert.equal(splitCaptureHost("https://in.example.com", "https://hooks.example.com"), "in.example.com");
  assert.equal(splitCaptureHost("http://127.0.0.1:4000", "http://127.0.0.1:3000"), "127.0.0.1:4000");
});

test("hostRole: the capture host by Host, or by the trusted X-Forwarded-Host entry; anything else is the dashboard's", () => {
  const cap = "in.example.com";
  assert.equal(hostRole(cap, { host: "in.example.com" }, 0), "capture");
  assert.equal(hostRole(cap, { host: "IN.example.com.:443" }, 0), "capture");
  assert.equal(hostRole(cap, { host: "hooks.example.com" }, 0), "dashboard");
  assert.equal(hostRole(cap, { host: "10.0.0.5:3000" }, 0), "dashboard");
  assert.equal(hostRole(cap, {}, 0), "dashboard");
  // Not trusted: a client's X-Forwarded-Host changes nothing.
  assert.equal(hostRole(cap, { host: "hooks.example.com", "x-forwarded-host": "in.example.com" }, 0), "dashboard");
  assert.equal(hostRole(cap, { host: "in.example.com", "x-forwarded-host": "hooks.example.com" }, 0), "capture");
  // Behind one proxy: the entry it added (the last), not one the client put in front.
  assert.equal(hostRole(cap, { host: "127.0.0.1:3000", "x-forwarded-host": "in.example.com" }, 1), "capture");
  assert.equal(hostRole(cap, { host: "127.0.0.1:3000", "x-forwarded-host": "in.example.com, hooks.example.com" }, 1), "dashboard");
  assert.equal(hostRole(cap, { host: "127.0.0.1:3000", "x-forwarded-host": "hooks.example.com, in.example.com" }, 1), "capture");
});

test("isHealthTarget: /api/health with or without a query, nothing else", () => {
  assert.ok(isHealthTarget("/api/health"));
  assert.ok(isHealthTarget("/api/health?x=1"));
  assert.ok(!isHealthTarget("/api/healthz"));
  assert.ok(!isHealthTarget("/api/health/../endpoints"));
  assert.ok(!isHealthTarget("/"));
});
