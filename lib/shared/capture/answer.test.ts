import assert from "node:assert/strict";
import { test } from "node:test";
import { CAPTURE_CSP } from "../http/csp";
import { CAPTURE_ID_HEADER, configuredAnswer, INERT_ANSWER_HEADERS, storedRequest } from "./answer";

const DEFAULTS = { status: 200, headers: [] as [string, string][], body: null, contentType: null, delayMs: 0, handshakes: true };
const ID = "0190a0b0-0000-7000-8000-000000000001";

test("the default answer is JSON naming the capture, with CORS and its length", () => {
  const a = configuredAnswer(storedRequest("POST", [["Host", "x"]]), DEFAULTS, ID);
  assert.equal(a.status, 200);
  assert.equal(a.body?.toString(), JSON.stringify({ ok: true, id: ID }));
  assert.deepEqual(a.headers, [
    ["Access-Control-Allow-Origin", "*"],
    ["Access-Control-Expose-Headers", "*"],
    [CAPTURE_ID_HEADER, ID],
    ["Content-Type", "application/json; charset=utf-8"],
    ["Content-Length", String(a.body!.length)],
    ...INERT_ANSWER_HEADERS,
  ]);
});

test("custom headers come last in order; they replace CORS and Content-Type of the same name but never the capture id", () => {
  const a = configuredAnswer(
    storedRequest("POST", []),
    {
      ...DEFAULTS,
      status: 201,
      body: "café",
      delayMs: 250,
      headers: [
        ["access-control-allow-origin", "https://app.example"],
        ["Content-Type", "text/x-thing"],
        [CAPTURE_ID_HEADER.toLowerCase(), "forged"],
        ["X-A", "1"],
      ],
    },
    ID,
  );
  assert.deepEqual(a.headers, [
    ["Access-Control-Expose-Headers", "*"],
    [CAPTURE_ID_HEADER, ID],
    ["Content-Length", "5"], // bytes, not characters
    ["access-control-allow-origin", "https://app.example"],
    ["Content-Type", "text/x-thing"],
    ["X-A", "1"],
    ...INERT_ANSWER_HEADERS,
  ]);
  assert.equal(a.body?.toString(), "café");
  assert.equal(a.delayMs, 250);
});

test("HEAD gets the GET answer's headers and no body; 204 gets neither body nor length", () => {
  const head = configuredAnswer(storedRequest("HEAD", []), { ...DEFAULTS, body: "hello" }, ID);
  assert.equal(head.body, null);
  assert.ok(head.headers.some(([n, v]) => n === "Content-Length" && v === "5"));
  const none = configuredAnswer(storedRequest("POST", []), { ...DEFAULTS, status: 204, body: "ignored" }, ID);
  assert.equal(none.body, null);
  assert.ok(!none.headers.some(([n]) => n === "Content-Length" || n === "Content-Type"));
});

test("a CORS preflight read from stored headers (any case, repeats joined) is answered 204 at once", () => {
  const req = storedRequest("OPTIONS", [
    ["origin", "https://app.example"],
    ["Access-Control-Request-Method", "PUT"],
    ["Access-Control-Request-Headers", "x-a"],
    ["access-control-request-headers", "x-b"],
  ]);
  const a = configuredAnswer(req, { ...DEFAULTS, status: 500, delayMs: 9000, headers: [["X-Custom", "1"]] }, ID);
  assert.equal(a.status, 204);
  assert.equal(a.delayMs, 0);
  assert.equal(a.body, null);
  assert.deepEqual(a.headers, [
    ["Access-Control-Allow-Origin", "*"],
    ["Access-Control-Expose-Headers", "*"],
    ["Access-Control-Allow-Methods", "PUT"],
    ["Access-Control-Allow-Headers", "x-a, x-b"],
    ["Access-Control-Max-Age", "600"],
    [CAPTURE_ID_HEADER, ID],
    ...INERT_ANSWER_HEADERS,
  ]);
  // Without an Origin it is an ordinary OPTIONS request, answered as configured.
  const plain = configuredAnswer(storedRequest("OPTIONS", [["Access-Control-Request-Method", "PUT"]]), { ...DEFAULTS, status: 500 }, ID);
  assert.equal(plain.status, 500);
});

test("every answer is inert in a browser: a sandboxing CSP and nosniff, whatever the endpoint configured", () => {
  assert.deepEqual(INERT_ANSWER_HEADERS, [
    ["Content-Security-Policy", CAPTURE_CSP],
    ["X-Content-Type-Options", "nosniff"],
  ]);
  assert.match(CAPTURE_CSP, /(^|; )sandbox(;|$)/, "scripts never run in our origin");
  assert.match(CAPTURE_CSP, /frame-ancestors 'none'/);
  assert.match(CAPTURE_CSP, /default-src 'none'/, "nothing framed or loaded, the dashboard included");
  const hostile = {
    ...DEFAULTS,
    status: 302,
    body: "<script>navigator.serviceWorker.register('/h/x/sw.js')</script>",
    contentType: "text/html",
    // Stored before the settings API refused them (or written to the database by hand).
    headers: [
      ["Content-Security-Policy", "script-src *"],
      ["x-content-type-options", "sniff"],
      ["Set-Cookie", "a=1; Path=/; Max-Age=31536000"],
      ["Service-Worker-Allowed", "/"],
      ["Clear-Site-Data", '"*"'],
      ["Refresh", "0; url=https://evil.example/"],
      ["Link", "</h/x/evil.js>; rel=preload; as=script"],
      ["Location", "https://evil.example/login"],
      ["X-Kept", "yes"],
    ] as [string, string][],
  };
  for (const method of ["GET", "POST", "HEAD"]) {
    const a = configuredAnswer(storedRequest(method, []), hostile, ID);
    const names = a.headers.map(([n]) => n.toLowerCase());
    for (const gone of ["set-cookie", "service-worker-allowed", "clear-site-data", "refresh", "link", "location"])
      assert.ok(!names.includes(gone), `${method}: ${gone} was sent`);
    assert.deepEqual(
      a.headers.filter(([n]) => /^(content-security-policy|x-content-type-options)$/i.test(n)),
      INERT_ANSWER_HEADERS,
      `${method}: exactly one CSP and one nosniff, Hookscope's`,
    );
    assert.ok(a.headers.some(([n, v]) => n === "X-Kept" && v === "yes"));
  }
  // A local redirect stays.
  const local = configuredAnswer(storedRequest("GET", []), { ...DEFAULTS, status: 302, headers: [["Location", "/h/abc/done?x=1"]] }, ID);
  assert.ok(local.headers.some(([n, v]) => n === "Location" && v === "/h/abc/done?x=1"));
});
