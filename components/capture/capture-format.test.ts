import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import { curlExample, pathWithQuery, shortContentType } from "./capture-format";

const c = (over: Partial<TCaptureSummary> = {}): TCaptureSummary => ({
  id: "x",
  endpointId: "e",
  seq: 12,
  method: "POST",
  path: "/stripe/webhook",
  query: "a=1&b=two",
  size: 10,
  contentType: "application/json; charset=utf-8",
  receivedAt: "2026-01-01T00:00:00.000000Z",
  oversize: false,
  ...over,
});

describe("capture row formatting", () => {
  test("path with query, media type without parameters", () => {
    assert.equal(pathWithQuery(c()), "/stripe/webhook?a=1&b=two");
    assert.equal(pathWithQuery(c({ query: null })), "/stripe/webhook");
    assert.equal(shortContentType("application/json; charset=utf-8"), "application/json");
    assert.equal(shortContentType(null), null);
  });

  test("curl example quotes the URL for the shell", () => {
    assert.equal(
      curlExample("http://127.0.0.1:3000/h/abc"),
      `curl -X POST 'http://127.0.0.1:3000/h/abc' -H 'Content-Type: application/json' -d '{"hello":"world"}'`,
    );
    assert.match(curlExample("http://x/h/it's"), /'http:\/\/x\/h\/it'\\''s'/);
  });
});
