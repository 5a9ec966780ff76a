import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MAX_PAGE_SIZE, ZCapture, ZCaptureListQuery, ZCapturePage } from "./captures";

function issue(query: Record<string, string>): string {
  const r = ZCaptureListQuery.safeParse(query);
  assert.equal(r.success, false, `expected ${JSON.stringify(query)} to be refused`);
  const i = r.error!.issues[0]!;
  return `${i.path.join(".")}: ${i.message}`;
}

describe("capture list query", () => {
  test("defaults to 50 newest, no cursor", () => {
    assert.deepEqual(ZCaptureListQuery.parse({}), { limit: 50 });
  });

  test("reads limit and cursor from query-string text", () => {
    assert.deepEqual(ZCaptureListQuery.parse({ limit: "1", cursor: "42" }), { limit: 1, cursor: 42 });
    assert.deepEqual(ZCaptureListQuery.parse({ limit: String(MAX_PAGE_SIZE) }), { limit: MAX_PAGE_SIZE });
  });

  test("refuses limits outside 1–500 or not whole numbers, naming limit", () => {
    assert.equal(issue({ limit: "0" }), "limit: limit is at least 1");
    assert.equal(issue({ limit: "-5" }), "limit: limit is at least 1");
    assert.equal(issue({ limit: "501" }), "limit: limit is at most 500");
    assert.equal(issue({ limit: "abc" }), "limit: limit must be a number from 1 to 500");
    assert.equal(issue({ limit: "1.5" }), "limit: limit must be a whole number");
    assert.equal(issue({ limit: "" }), "limit: limit is at least 1");
  });

  test("refuses cursors that no page ever returned", () => {
    for (const cursor of ["abc", "-1", "1.5", "1e3", "", "0x10", "1".repeat(16)]) {
      assert.equal(issue({ cursor }), "cursor: cursor must be the nextCursor value of a previous page", cursor);
    }
  });
});

describe("capture DTOs", () => {
  const summary = {
    id: "0190d6f4-0000-7000-8000-000000000001",
    endpointId: "0190d6f4-0000-7000-8000-000000000000",
    seq: 7,
    method: "PROPFIND",
    path: "/a/b",
    query: null,
    size: 3,
    contentType: null,
    receivedAt: "2026-11-28T12:00:00.123456Z",
    oversize: false,
  };

  test("a page carries summaries without bodies and a string cursor or null", () => {
    const page = ZCapturePage.parse({ items: [{ ...summary, body: "leak", headers: [["a", "b"]] }], nextCursor: "7" });
    assert.deepEqual(page, { items: [summary], nextCursor: "7" });
    assert.equal(ZCapturePage.safeParse({ items: [], nextCursor: 7 }).success, false);
    assert.ok(ZCapturePage.safeParse({ items: [], nextCursor: null }).success);
  });

  test("a full capture keeps header order and duplicates, body as base64 and text-or-null", () => {
    const full = {
      ...summary,
      headers: [
        ["X-A", "1"],
        ["x-a", "2"],
      ],
      trailers: [["X-Checksum", "abc"]],
      declaredLength: null,
      remoteAddress: "127.0.0.1",
      httpVersion: "1.1",
      durationUs: 12,
      responseStatus: 200,
      response: {
        status: 200,
        headers: [["X-Hookscope-Capture-Id", "c1"]],
        body: null,
        delayMs: 0,
        handshake: null,
        rule: null,
        failure: null,
        closed: false,
        error: null,
      },
      body: { encoding: "base64", data: "/w==" },
      bodySize: 1,
      bodyTruncated: false,
      bodyUrl: "/api/captures/c1/body",
    };
    assert.deepEqual(ZCapture.parse(full), full);
    assert.ok(ZCapture.safeParse({ ...full, response: null }).success, "unknown for old and refused captures");
    assert.ok(ZCapture.safeParse({ ...full, trailers: null }).success, "no trailers");
    assert.equal(ZCapture.safeParse({ ...full, response: undefined }).success, false);
    assert.equal(ZCapture.safeParse({ ...full, body: { base64: "/w==", text: null } }).success, false, "one representation, not two");
    assert.equal(ZCapture.safeParse({ ...full, bodyUrl: undefined }).success, false);
  });
});
