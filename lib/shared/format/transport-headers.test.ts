import assert from "node:assert/strict";
import { test } from "node:test";
import { isTransportHeader } from "./transport-headers";

test("transport headers are told from the ones the sender set, in any case", () => {
  for (const n of [
    "Host",
    "connection",
    "Content-Length",
    "Accept-Encoding",
    "Sec-Fetch-Mode",
    "sec-ch-ua",
    "X-Forwarded-For",
    "Via",
    "CDN-Loop",
    "TE",
  ])
    assert.ok(isTransportHeader(n), n);
  for (const n of ["User-Agent", "Content-Type", "Stripe-Signature", "X-GitHub-Event", "Authorization", "Accept", "X-Request-Id"])
    assert.ok(!isTransportHeader(n), n);
});
