import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { z } from "zod";
import {
  MAX_RESPONSE_BODY_CHARS,
  ZCreateEndpointRequest,
  ZEndpoint,
  ZHeaderName,
  ZHeaderValue,
  ZResponseHeaders,
  ZResponseSettings,
  ZRetentionSettings,
  ZUpdateEndpointRequest,
  allowedAnswerHeaders,
} from "./endpoints";

const VALID = { status: 200, headers: [], body: null, contentType: null, delayMs: 0, handshakes: true };

/** "path: message" of the first issue, the way the API reports it. */
function firstIssue(schema: z.ZodType, value: unknown): string {
  const r = schema.safeParse(value);
  assert.equal(r.success, false, `expected ${JSON.stringify(value)} to be refused`);
  const issue = r.error!.issues[0]!;
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

describe("response status", () => {
  test("accepts 200–599", () => {
    for (const status of [200, 201, 204, 301, 404, 418, 500, 599])
      assert.ok(ZResponseSettings.safeParse({ ...VALID, status }).success, String(status));
  });

  test("refuses 1xx (interim responses cannot end a request), out-of-range and non-integer codes", () => {
    for (const status of [100, 101, 103, 199, 600, 999, 0, -200]) {
      assert.equal(firstIssue(ZResponseSettings, { ...VALID, status }), "status: Status must be 200–599", String(status));
    }
    assert.equal(firstIssue(ZResponseSettings, { ...VALID, status: 200.5 }), "status: Status must be a whole number");
    assert.match(firstIssue(ZResponseSettings, { ...VALID, status: "404" }), /^status: .*expected number/);
  });
});

describe("response delay", () => {
  test("accepts 0–30000 ms", () => {
    for (const delayMs of [0, 1, 15_000, 30_000]) assert.ok(ZResponseSettings.safeParse({ ...VALID, delayMs }).success, String(delayMs));
  });

  test("refuses negative, over 30 s and fractional delays", () => {
    assert.equal(firstIssue(ZResponseSettings, { ...VALID, delayMs: -1 }), "delayMs: Delay must be 0–30000 ms");
    assert.equal(firstIssue(ZResponseSettings, { ...VALID, delayMs: 30_001 }), "delayMs: Delay must be 0–30000 ms");
    assert.equal(firstIssue(ZResponseSettings, { ...VALID, delayMs: 1.5 }), "delayMs: Delay must be a whole number of milliseconds");
  });
});

describe("response headers", () => {
  test("accepts RFC 9110 token names in any case, punctuation included", () => {
    for (const name of ["X-Custom", "x-custom", "Cache-Control", "X_Under.score", "a!#$%&'*+-.^_`|~9"])
      assert.ok(ZHeaderName.safeParse(name).success, name);
  });

  test("refuses illegal header names", () => {
    for (const name of ["", "Bad Header", "x:y", "x\r\ny", "naïve", "(paren)", "a/b", 'q"uote']) {
      assert.equal(ZHeaderName.safeParse(name).success, false, JSON.stringify(name));
    }
    assert.match(firstIssue(ZResponseHeaders, [["Bad Header", "v"]]), /^0\.0: Header name may only contain/);
  });

  test("refuses framing headers Hookscope computes itself, in any case", () => {
    for (const name of ["Content-Length", "transfer-encoding", "CONNECTION", "Keep-Alive", "Upgrade", "Trailer", "TE"]) {
      assert.match(firstIssue(ZHeaderName, name), /set by Hookscope/, name);
    }
  });

  test("values may hold visible text, spaces, tabs and latin-1, never CR, LF or NUL", () => {
    for (const value of ["", "plain", "a b\tc", "ümlaut", "\x80\xff"])
      assert.ok(ZHeaderValue.safeParse(value).success, JSON.stringify(value));
    for (const value of ["a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\0b", "€ (not latin-1)"]) {
      assert.equal(ZHeaderValue.safeParse(value).success, false, JSON.stringify(value));
    }
    assert.equal(
      firstIssue(ZResponseHeaders, [
        ["X-A", "ok"],
        ["X-B", "a\r\nb"],
      ]),
      "1.1: Header value may not contain line breaks or NUL",
    );
  });

  test("keeps order and duplicates, and caps the list at 50", () => {
    const headers: [string, string][] = [
      ["Set-Cookie", "a=1"],
      ["X-A", "1"],
      ["Set-Cookie", "b=2"],
    ];
    assert.deepEqual(ZResponseHeaders.parse(headers), headers);
    const many = Array.from({ length: 51 }, (_, i): [string, string] => [`X-${i}`, "v"]);
    assert.equal(firstIssue(ZResponseHeaders, many), "At most 50 response headers");
    assert.ok(ZResponseHeaders.safeParse(many.slice(0, 50)).success);
  });
});

describe("response body and content type", () => {
  test("body is text up to 256 KiB characters, or null for the default", () => {
    assert.ok(ZResponseSettings.safeParse({ ...VALID, body: "x".repeat(MAX_RESPONSE_BODY_CHARS) }).success);
    assert.equal(
      firstIssue(ZResponseSettings, { ...VALID, body: "x".repeat(MAX_RESPONSE_BODY_CHARS + 1) }),
      "body: Response body is limited to 256 KiB",
    );
  });

  test("content type is a header value (no line breaks), non-empty, or null", () => {
    assert.ok(ZResponseSettings.safeParse({ ...VALID, contentType: "application/json; charset=utf-8" }).success);
    assert.equal(ZResponseSettings.safeParse({ ...VALID, contentType: "" }).success, false);
    assert.equal(ZResponseSettings.safeParse({ ...VALID, contentType: "text/html\r\nX-Injected: 1" }).success, false);
  });
});

describe("create and update requests", () => {
  for (const [label, schema] of [
    ["create", ZCreateEndpointRequest],
    ["update", ZUpdateEndpointRequest],
  ] as const) {
    test(`${label}: everything is optional`, () => {
      assert.deepEqual(schema.parse({}), {});
      assert.deepEqual(schema.parse({ response: {} }), { response: {} });
    });

    test(`${label}: takes a name (trimmed) and any subset of response settings`, () => {
      assert.deepEqual(schema.parse({ name: "  Stripe test  ", response: { status: 404, body: "nope" } }), {
        name: "Stripe test",
        response: { status: 404, body: "nope" },
      });
    });

    test(`${label}: refuses blank and over-long names`, () => {
      assert.equal(firstIssue(schema, { name: "   " }), "name: Name is empty");
      assert.equal(firstIssue(schema, { name: "x".repeat(101) }), "name: Name is limited to 100 characters");
      assert.ok(schema.safeParse({ name: "x".repeat(100) }).success);
      assert.match(firstIssue(schema, { name: 5 }), /^name: .*expected string/);
    });

    test(`${label}: refuses unknown fields at the top level and inside response, naming them`, () => {
      assert.equal(firstIssue(schema, { nmae: "typo" }), 'Unrecognized key: "nmae"');
      // A misspelt setting must not be silently dropped: the caller would think it was saved.
      assert.equal(firstIssue(schema, { response: { stauts: 404 } }), 'response: Unrecognized key: "stauts"');
    });

    test(`${label}: validates nested settings with a path to the field`, () => {
      assert.equal(firstIssue(schema, { response: { status: 100 } }), "response.status: Status must be 200–599");
      assert.equal(firstIssue(schema, { response: { delayMs: 30_001 } }), "response.delayMs: Delay must be 0–30000 ms");
      assert.match(firstIssue(schema, { response: { headers: [["Bad Header", "v"]] } }), /^response\.headers\.0\.0: Header name/);
      assert.match(
        firstIssue(schema, { response: { headers: [["X-A", "1\n2"]] } }),
        /^response\.headers\.0\.1: Header value may not contain line breaks/,
      );
    });

    test(`${label}: refuses a body that is not an object`, () => {
      for (const v of [null, [], "x", 1]) assert.equal(schema.safeParse(v).success, false, JSON.stringify(v));
    });
  }
});

describe("retention settings", () => {
  test("whole numbers within range, with messages that name the field", () => {
    assert.ok(ZRetentionSettings.safeParse({ maxCaptures: 1, maxAgeDays: 1 }).success);
    const msg = (v: unknown) =>
      ZRetentionSettings.safeParse(v)
        .error?.issues.map((i) => i.message)
        .join("; ");
    assert.match(msg({ maxCaptures: 0, maxAgeDays: 30 }) ?? "", /Keep at least 1 capture/);
    assert.match(msg({ maxCaptures: 10, maxAgeDays: 1.5 }) ?? "", /Delete after: a whole number of days/);
    assert.match(msg({ maxCaptures: "10", maxAgeDays: 3 }) ?? "", /Keep at most: enter a number of captures/);
    assert.equal(ZUpdateEndpointRequest.safeParse({ retention: { maxCaptures: 5, keep: 1 } }).success, false, "misspelt field refused");
  });
});

describe("endpoint DTO", () => {
  test("strips unknown fields, so a new column never leaks through the API", () => {
    const dto = {
      id: "0190d6f4-0000-7000-8000-000000000000",
      slug: "abcdefghijkm",
      alias: "my-hooks",
      name: "n",
      captureUrl: "http://x/h/my-hooks",
      slugUrl: "http://x/h/abcdefghijkm",
      dashboardUrl: "http://x/endpoints/0190d6f4-0000-7000-8000-000000000000",
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      captureCount: 0,
      lastCaptureAt: null,
      response: VALID,
      retention: { maxCaptures: 10_000, maxAgeDays: 30 },
      eventKey: { source: "auto" as const },
    };
    const parsed = ZEndpoint.parse({ ...dto, keyHash: "secret", response: { ...VALID, internal: 1 }, lastAccessedAt: "2026-01-01" });
    assert.deepEqual(parsed, dto);
    assert.ok(!("keyHash" in parsed));
  });
});

describe("answer headers that act on the origin, inert headers and redirects", () => {
  const headersIssue = (headers: [string, string][]) => firstIssue(ZResponseSettings, { ...VALID, headers });

  test("refuses headers that act on the origin, naming the header and why (any case)", () => {
    for (const name of [
      "Set-Cookie",
      "set-cookie",
      "Service-Worker-Allowed",
      "Clear-Site-Data",
      "Refresh",
      "Link",
      "Strict-Transport-Security",
      "Alt-Svc",
      "NEL",
      "Report-To",
      "Reporting-Endpoints",
      "Accept-CH",
      "Origin-Agent-Cluster",
    ]) {
      const issue = headersIssue([
        ["X-Ok", "1"],
        [name, "x"],
      ]);
      assert.match(issue, new RegExp(`^headers\\.1\\.0: ${name} cannot be configured: .+`), name);
    }
    assert.match(headersIssue([["Set-Cookie", "a=1"]]), /cookie for the whole host/);
    assert.match(headersIssue([["Service-Worker-Allowed", "/"]]), /service worker/);
  });

  test("refuses the inert headers Hookscope sets itself", () => {
    for (const name of ["Content-Security-Policy", "x-content-type-options"])
      assert.match(headersIssue([[name, "x"]]), new RegExp(`^headers\\.0\\.0: ${name} is set by Hookscope`), name);
  });

  test("Location: a path on this host only, so the instance is never an open redirect", () => {
    for (const value of ["/", "/h/abc/done", "/h/abc/next?x=1#top", "/%2F%2Fevil.example"])
      assert.ok(ZResponseSettings.safeParse({ ...VALID, status: 302, headers: [["Location", value]] }).success, value);
    for (const value of [
      "https://evil.example/login",
      "//evil.example/login",
      "/\\evil.example",
      "\\\\evil.example",
      "/\t/evil.example",
      " //evil.example",
      "https:evil.example",
      "javascript:alert(1)",
      "evil.example",
      "",
    ]) {
      assert.match(headersIssue([["location", value]]), /^headers\.0\.1: Location must be a path on this host/, JSON.stringify(value));
    }
  });

  test("stored rows: refused headers are dropped, the rest kept in order", () => {
    assert.deepEqual(
      allowedAnswerHeaders([
        ["X-A", "1"],
        ["Set-Cookie", "a=1"],
        ["Location", "https://evil.example"],
        ["Location", "/ok"],
        ["X-B", "2"],
      ]),
      [
        ["X-A", "1"],
        ["Location", "/ok"],
        ["X-B", "2"],
      ],
    );
  });
});
