// The outgoing sender's SSRF guard against real sockets: every internal address form is refused
// with no connection reaching a loopback listener (its 'connection' events are counted), a name
// that resolves to loopback is refused at connect time, ALLOW_PRIVATE_TARGETS lifts the guard,
// redirects are checked hop by hop, and timeouts and the response cap hold. No database needed.
import assert from "node:assert/strict";
import dns from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { blockedRangeOf } from "@/lib/server/delivery/address-policy";
import { headersForHop, sendOutgoing } from "@/lib/server/delivery/outgoing";
import { headerPairs } from "@/lib/shared/format/header";
import { resetEnvForTests } from "@/lib/server/env";

interface Listener {
  server: http.Server;
  port: number;
  connections: number;
  requests: { method: string; url: string; rawHeaders: string[]; body: string }[];
}

async function listen(host: string, handler: http.RequestListener): Promise<Listener> {
  const l: Listener = { server: http.createServer(), port: 0, connections: 0, requests: [] };
  l.server.on("connection", () => l.connections++);
  l.server.on("request", (req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c));
    req.on("end", () => {
      l.requests.push({ method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => l.server.listen(0, host, resolve));
  l.port = (l.server.address() as AddressInfo).port;
  return l;
}

let target: Listener;
let silent: Listener;

before(async () => {
  delete process.env.ALLOW_PRIVATE_TARGETS;
  resetEnvForTests();
  target = await listen("127.0.0.1", (req, res) => {
    if (req.url === "/big") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(Buffer.alloc(5 * 1024 * 1024, 120));
      return;
    }
    if (req.url?.startsWith("/redirect")) {
      const to = new URL(req.url, "http://x").searchParams.get("to")!;
      res.writeHead(Number(new URL(req.url, "http://x").searchParams.get("status") ?? 302), { location: to });
      res.end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain", "X-Echo": "1" });
    res.end(`hello ${req.method}`);
  });
  // Accepts connections and never answers.
  silent = await listen("127.0.0.1", () => {});
});
after(async () => {
  target.server.closeAllConnections();
  silent.server.closeAllConnections();
  await new Promise((r) => target.server.close(r));
  await new Promise((r) => silent.server.close(r));
  delete process.env.ALLOW_PRIVATE_TARGETS;
  resetEnvForTests();
});

describe("refused targets (private targets not allowed)", () => {
  test("every internal address form is refused and no connection reaches the loopback listener", async () => {
    const p = () => target.port;
    const forms = [
      `http://127.0.0.1:${p()}/`,
      `http://127.1:${p()}/`,
      `http://2130706433:${p()}/`,
      `http://0x7f000001:${p()}/`,
      `http://0177.0.0.1:${p()}/`,
      `http://[::ffff:127.0.0.1]:${p()}/`,
      `http://[::ffff:7f00:1]:${p()}/`,
      // IPv4-translated (::ffff:0:0:0/96): loopback, the metadata service, a private network.
      `http://[::ffff:0:7f00:1]:${p()}/`,
      `http://[::ffff:0:a9fe:a9fe]/latest/meta-data/`,
      `http://[::ffff:0:a00:1]/`,
      `http://[::1]:${p()}/`,
      `http://[::]:${p()}/`,
      `http://0.0.0.0:${p()}/`,
      `http://localhost:${p()}/`,
      `http://LOCALHOST.:${p()}/`,
      `http://[64:ff9b::a9fe:a9fe]/latest/meta-data/`,
      `http://[64:ff9b::7f00:1]:${p()}/`,
      `http://169.254.169.254/latest/meta-data/`,
      `http://100.64.0.1/`,
      `http://10.0.0.1/`,
      `http://172.16.0.1/`,
      `http://192.168.0.1/`,
      `http://[fc00::1]/`,
      `http://[fd00:ec2::254]/`,
      `http://[fe80::1]/`,
      `http://224.0.0.1/`,
      `http://[ff02::1]/`,
      `https://127.0.0.1:${p()}/`,
    ];
    for (const url of forms) {
      const r = await sendOutgoing({ method: "POST", url, body: "x", timeoutMs: 5_000 });
      assert.equal(r.ok, false, url);
      if (r.ok) continue;
      // A trailing-dot name fools string filters, not this guard; without a DNS server it may
      // not resolve at all, which is a refusal too.
      if (url.includes("LOCALHOST.") && r.error.code === "dns_failed") continue;
      assert.equal(r.error.code, "blocked_address", `${url}: ${r.error.message}`);
      assert.match(r.error.message, /ALLOW_PRIVATE_TARGETS/);
    }
    assert.equal(target.connections, 0, "no connection reached the listener");
    assert.equal(target.requests.length, 0);
  });

  test("the refusal names the address a host name resolved to", async () => {
    const r = await sendOutgoing({ method: "GET", url: `http://localhost:${target.port}/` });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error.message, /localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    assert.equal(target.connections, 0);
  });

  test("DNS rebinding: each connection resolves once and connects to the address it checked; one internal answer among several refuses", async () => {
    // 127.0.0.2 stands in for a public host (the policy allows it); 127.0.0.1 is the internal
    // address a rebinding name switches to after its first, harmless answer.
    const outside = await listen("127.0.0.2", (_req, res) => res.end("outside"));
    const policy = (ip: string) => (ip === "127.0.0.2" ? null : blockedRangeOf(ip));
    const answers: dns.LookupAddress[][] = [
      [{ address: "127.0.0.2", family: 4 }],
      [{ address: "127.0.0.1", family: 4 }],
      [
        { address: "127.0.0.2", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ],
    ];
    let lookups = 0;
    const realLookup = dns.lookup;
    const fake = (hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
      if (hostname !== "rebind.hookscope.test") return (realLookup as (...a: unknown[]) => void)(hostname, options, callback);
      const list = answers[Math.min(lookups++, answers.length - 1)]!;
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    };
    (dns as { lookup: unknown }).lookup = fake;
    try {
      const before = target.connections;
      const url = (port: number) => `http://rebind.hookscope.test:${port}/`;
      // First answer: the allowed address, and the request goes there.
      const first = await sendOutgoing({ method: "GET", url: url(outside.port), addressPolicy: policy });
      assert.ok(first.ok, first.ok ? "" : first.error.message);
      assert.equal(first.ok && first.response.remoteAddress, "127.0.0.2");
      assert.equal(lookups, 1, "resolved once: no separate check whose answer could differ from the connect's");
      // The name now answers with loopback: refused at connect time, nothing reaches it.
      const second = await sendOutgoing({ method: "GET", url: url(target.port), addressPolicy: policy });
      assert.equal(second.ok ? "ok" : second.error.code, "blocked_address");
      if (!second.ok) assert.match(second.error.message, /rebind\.hookscope\.test resolves to 127\.0\.0\.1, a loopback address/);
      // Several answers, one internal: refused, though the first would have been allowed.
      const mixed = await sendOutgoing({ method: "GET", url: url(target.port), addressPolicy: policy });
      assert.equal(mixed.ok ? "ok" : mixed.error.code, "blocked_address");
      assert.equal(lookups, 3);
      assert.equal(target.connections, before, "no connection reached the loopback listener");
      assert.equal(outside.connections, 1);
    } finally {
      (dns as { lookup: unknown }).lookup = realLookup;
      outside.server.closeAllConnections();
      await new Promise((r) => outside.server.close(r));
    }
  });

  test("non-http URLs and URLs with credentials are refused", async () => {
    for (const url of ["ftp://example.com/", "file:///etc/passwd", "http://user:pw@example.com/", "not a url"]) {
      const r = await sendOutgoing({ method: "GET", url });
      assert.equal(r.ok ? "ok" : r.error.code, "invalid_url", url);
    }
  });
});

describe("allowed private targets", () => {
  test("allowPrivate: the request arrives with Host, our headers in order, and the body", async () => {
    const before = target.connections;
    const r = await sendOutgoing({
      method: "POST",
      url: `http://127.0.0.1:${target.port}/in?x=1`,
      headers: [
        ["X-B", "2"],
        ["x-a", "1"],
        ["Content-Length", "999"],
        ["Host", "evil.example"],
      ],
      body: '{"a":1}',
      allowPrivate: true,
    });
    assert.ok(r.ok, r.ok ? "" : r.error.message);
    if (!r.ok) return;
    assert.equal(r.response.status, 200);
    assert.equal(r.response.body.toString(), "hello POST");
    assert.ok(
      r.response.headers.some(([n, v]) => n === "X-Echo" && v === "1"),
      "response header names as sent",
    );
    assert.equal(r.response.remoteAddress, "127.0.0.1");
    assert.ok(r.durationMs >= r.firstByteMs);
    const got = target.requests.at(-1)!;
    assert.equal(got.url, "/in?x=1");
    assert.equal(got.body, '{"a":1}');
    const names = got.rawHeaders.filter((_, i) => i % 2 === 0);
    assert.deepEqual(names.slice(0, 3), ["Host", "X-B", "x-a"]);
    assert.equal(got.rawHeaders[1], `127.0.0.1:${target.port}`);
    assert.equal(got.rawHeaders[names.indexOf("Content-Length") * 2 + 1], "7");
    assert.equal(target.connections, before + 1);
  });

  test("ALLOW_PRIVATE_TARGETS=true lets localhost through", async () => {
    process.env.ALLOW_PRIVATE_TARGETS = "true";
    resetEnvForTests();
    try {
      const r = await sendOutgoing({ method: "GET", url: `http://localhost:${target.port}/` });
      // localhost may resolve to ::1 first where the listener (127.0.0.1) is not; both are fine
      // outcomes of "allowed": an answer, or a refused connection, never a policy refusal.
      assert.ok(r.ok || r.error.code === "connect_failed", r.ok ? "" : r.error.message);
      const v4 = await sendOutgoing({ method: "GET", url: `http://127.0.0.1:${target.port}/` });
      assert.ok(v4.ok);
    } finally {
      delete process.env.ALLOW_PRIVATE_TARGETS;
      resetEnvForTests();
    }
  });
});

describe("redirects, timeouts, response cap", () => {
  const redirect = (to: string, status = 302) => `http://127.0.0.1:${target.port}/redirect?status=${status}&to=${encodeURIComponent(to)}`;

  test("not followed unless asked", async () => {
    const r = await sendOutgoing({ method: "GET", url: redirect("/final"), allowPrivate: true });
    assert.ok(r.ok);
    if (r.ok) assert.equal(r.response.status, 302);
  });

  test("followed when asked: 307 keeps POST and body, 302 after POST becomes GET", async () => {
    const keep = await sendOutgoing({ method: "POST", url: redirect("/final", 307), body: "b", followRedirects: true, allowPrivate: true });
    assert.ok(keep.ok);
    if (keep.ok) {
      assert.equal(keep.response.body.toString(), "hello POST");
      assert.equal(keep.redirects.length, 1);
    }
    assert.equal(target.requests.at(-1)!.body, "b");
    const get = await sendOutgoing({ method: "POST", url: redirect("/final", 302), body: "b", followRedirects: true, allowPrivate: true });
    assert.ok(get.ok && get.response.body.toString() === "hello GET");
  });

  test("each hop is checked: a redirect from an allowed host to a name resolving to loopback is refused", async () => {
    const first = await listen("127.0.0.2", (_req, res) => {
      res.writeHead(302, { location: `http://localhost:${target.port}/internal` });
      res.end();
    });
    try {
      const before = target.connections;
      // A policy that allows 127.0.0.2 (standing in for a public host) and nothing else internal.
      const policy = (ip: string) => (ip === "127.0.0.2" ? null : blockedRangeOf(ip));
      const r = await sendOutgoing({ method: "GET", url: `http://127.0.0.2:${first.port}/`, followRedirects: true, addressPolicy: policy });
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.equal(r.error.code, "blocked_address");
        assert.equal(r.redirects.length, 1);
      }
      assert.equal(first.connections, 1);
      assert.equal(target.connections, before, "the second hop never connected");
    } finally {
      first.server.closeAllConnections();
      await new Promise((r) => first.server.close(r));
    }
  });

  test("to another origin, credentials and signatures stay behind; the same origin keeps them; never HTTPS to HTTP", async () => {
    const other = await listen("127.0.0.1", (_req, res) => res.end("other"));
    try {
      const sent: [string, string][] = [
        ["Authorization", "Bearer a"],
        ["Cookie", "c=1"],
        ["X-Api-Key", "k"],
        ["Stripe-Signature", "t=1,v1=s"],
        ["X-Hub-Signature-256", "sha256=h"],
        ["X-Keep", "kept"],
      ];
      const names = (l: Listener) => headerPairs(l.requests.at(-1)!.rawHeaders).map(([n]) => n);
      const cross = await sendOutgoing({
        method: "POST",
        url: redirect(`http://127.0.0.1:${other.port}/landed`, 307),
        headers: sent,
        body: "b",
        followRedirects: true,
        allowPrivate: true,
      });
      assert.ok(cross.ok && cross.response.body.toString() === "other");
      assert.deepEqual(
        names(other).filter((n) => n.startsWith("X-") || sent.some(([s]) => s === n)),
        ["X-Keep"],
      );
      const same = await sendOutgoing({
        method: "POST",
        url: redirect("/final", 307),
        headers: sent,
        body: "b",
        followRedirects: true,
        allowPrivate: true,
      });
      assert.ok(same.ok);
      assert.deepEqual(
        names(target).filter((n) => sent.some(([s]) => s === n)),
        sent.map(([n]) => n),
      );
    } finally {
      other.server.closeAllConnections();
      await new Promise((r) => other.server.close(r));
    }
    assert.throws(
      () => headersForHop(new URL("https://a.example/x"), new URL("http://a.example/y"), []),
      /Refused to follow a redirect from HTTPS to plain HTTP \(http:\/\/a.example\)/,
    );
    // The same host upgrading to HTTPS keeps them; any other host does not.
    assert.deepEqual(headersForHop(new URL("http://a.example/x"), new URL("https://a.example/y"), [["Authorization", "a"]]), [
      ["Authorization", "a"],
    ]);
    assert.deepEqual(headersForHop(new URL("http://a.example/x"), new URL("https://b.example/y"), [["Authorization", "a"]]), []);
    assert.deepEqual(headersForHop(new URL("http://a.example:8080/x"), new URL("https://a.example:8443/y"), [["Authorization", "a"]]), []);
  });

  test("a redirect loop stops at the limit", async () => {
    const loop = `http://127.0.0.1:${target.port}/redirect?to=${encodeURIComponent(`/redirect?to=%2Fredirect`)}`;
    const r = await sendOutgoing({ method: "GET", url: loop, followRedirects: 2, allowPrivate: true });
    assert.equal(r.ok ? "ok" : r.error.code, "too_many_redirects");
  });

  test("a silent server times out", async () => {
    const r = await sendOutgoing({ method: "GET", url: `http://127.0.0.1:${silent.port}/`, timeoutMs: 300, allowPrivate: true });
    assert.equal(r.ok ? "ok" : r.error.code, "timeout");
    assert.ok(r.durationMs < 10_000);
  });

  test("without its own timeout a send takes FORWARD_TIMEOUT_SECONDS (resends and test events too)", async () => {
    process.env.FORWARD_TIMEOUT_SECONDS = "1";
    resetEnvForTests();
    try {
      const r = await sendOutgoing({ method: "GET", url: `http://127.0.0.1:${silent.port}/`, allowPrivate: true });
      assert.equal(r.ok ? "ok" : r.error.code, "timeout");
      assert.ok(r.durationMs >= 900 && r.durationMs < 10_000, `timed out after ${r.durationMs} ms`);
    } finally {
      delete process.env.FORWARD_TIMEOUT_SECONDS;
      resetEnvForTests();
    }
  });

  test("the response body is capped", async () => {
    const r = await sendOutgoing({ method: "GET", url: `http://127.0.0.1:${target.port}/big`, maxResponseBytes: 1000, allowPrivate: true });
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.equal(r.response.body.length, 1000);
    assert.equal(r.response.truncated, true);
    assert.ok(r.response.bodySize >= 1000);
  });

  test("a refused connection is connect_failed", async () => {
    const closed = await listen("127.0.0.1", () => {});
    const port = closed.port;
    await new Promise((r) => closed.server.close(r));
    const r = await sendOutgoing({ method: "GET", url: `http://127.0.0.1:${port}/`, allowPrivate: true });
    assert.equal(r.ok ? "ok" : r.error.code, "connect_failed");
  });
});
