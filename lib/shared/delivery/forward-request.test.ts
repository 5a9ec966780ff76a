// The forwarded request's shape: hop-by-hop headers and Host dropped (and whatever Connection
// names), everything else kept in order; the capture's path suffix and raw query appended.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { forwardableHeaders, forwardUrl } from "./forward-request";

describe("forwardableHeaders", () => {
  test("drops hop-by-hop headers, Host, Content-Length and headers Connection names; keeps order, case and repeats", () => {
    const out = forwardableHeaders([
      ["Host", "hooks.example.com"],
      ["Stripe-Signature", "t=1,v1=abc"],
      ["Connection", "keep-alive, X-Hop"],
      ["X-Hop", "1"],
      ["Keep-Alive", "timeout=5"],
      ["Transfer-Encoding", "chunked"],
      ["content-length", "10"],
      ["X-Dup", "a"],
      ["Upgrade", "h2c"],
      ["x-dup", "b"],
      ["TE", "trailers"],
      ["Proxy-Authorization", "Basic x"],
    ]);
    assert.deepEqual(out, [
      ["Stripe-Signature", "t=1,v1=abc"],
      ["X-Dup", "a"],
      ["x-dup", "b"],
    ]);
  });
});

describe("forwardUrl", () => {
  test("appends the path suffix and query as sent, without doubling a slash", () => {
    assert.equal(
      forwardUrl("http://localhost:3000/webhooks", "/orders/42", "a=1&b=%20"),
      "http://localhost:3000/webhooks/orders/42?a=1&b=%20",
    );
    assert.equal(forwardUrl("http://localhost:3000/webhooks/", "/orders", null), "http://localhost:3000/webhooks/orders");
    assert.equal(forwardUrl("http://localhost:3000", "", null), "http://localhost:3000/");
    assert.equal(forwardUrl("https://t.example/in?k=v", "/x", "y=1"), "https://t.example/in/x?k=v&y=1");
    assert.equal(forwardUrl("https://t.example/in", "", ""), "https://t.example/in?");
    assert.equal(forwardUrl("http://t.example/a", "/%2F..%2F", null), "http://t.example/a/%2F..%2F");
  });

  test("a captured path cannot climb out of the target's path with dot segments, however spelled", () => {
    const target = "https://api.example/hooks/stripe";
    for (const path of [
      "/../../admin/reset",
      "/%2e%2e/%2E%2E/admin/reset",
      "/.%2e/%2e./admin/reset",
      "/..\\..\\admin/reset",
      "/x/../../../admin/./reset",
    ]) {
      const url = forwardUrl(target, path, "a=1");
      assert.equal(url, "https://api.example/hooks/stripe/admin/reset?a=1", path);
      // And the URL a sender parses (undici, node's http through new URL) stays under the target.
      assert.equal(new URL(url).pathname, "/hooks/stripe/admin/reset", path);
    }
    assert.equal(forwardUrl(target, "/a/..", null), "https://api.example/hooks/stripe/");
    assert.equal(forwardUrl(target, "/..", null), "https://api.example/hooks/stripe/");
    assert.equal(forwardUrl(target, "/a/./b", null), "https://api.example/hooks/stripe/a/b");
    // `#` would start a fragment: `..#` would be a dot segment to URL parsing and drop the query.
    for (const path of ["/..#", "/%2e%2e#x"]) {
      const url = forwardUrl("https://api.example/hooks/stripe?token=t", path, "q=1#frag");
      assert.equal(new URL(url).pathname.startsWith("/hooks/stripe/"), true, url);
      assert.equal(new URL(url).searchParams.get("token"), "t", url);
      assert.equal(new URL(url).hash, "", url);
    }
    // Dots that are not whole segments are sent as they came.
    assert.equal(forwardUrl(target, "/v1..2/.well-known/..x", null), "https://api.example/hooks/stripe/v1..2/.well-known/..x");
  });
});
