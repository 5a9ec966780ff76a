import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluateChecks, parseStatusList, ZReplayChecks, type ReplayOutcome } from "./checks";

const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
const ok = (over: Partial<ReplayOutcome> = {}): ReplayOutcome => ({
  status: 200,
  error: null,
  body: json({ received: true, order: { id: "o_1", total: 3 } }),
  bodyComplete: true,
  durationMs: 12,
  ...over,
});

test("defaults to expecting 2xx, and a 2xx with no other checks passes", () => {
  const checks = ZReplayChecks.parse({});
  assert.deepEqual(checks, { status: ["2xx"], json: [], maxLatencyMs: null });
  assert.deepEqual(evaluateChecks(checks, ok()), []);
  assert.deepEqual(
    evaluateChecks(checks, ok({ status: 500 })).map((f) => f.message),
    ["expected 2xx, got 500"],
  );
});

test("status classes and codes; 409 passes only when listed", () => {
  const checks = ZReplayChecks.parse({ status: parseStatusList("2xx, 409") });
  assert.deepEqual(evaluateChecks(checks, ok({ status: 409 })), []);
  assert.equal(evaluateChecks(checks, ok({ status: 410 })).length, 1);
  assert.throws(() => parseStatusList("2xy"), /class such as 2xx/);
  assert.throws(() => parseStatusList("600"), /class such as 2xx/);
});

test("JSON checks compare strings as they are and other values as JSON", () => {
  const checks = ZReplayChecks.parse({
    json: [
      { path: "received", equals: "true" },
      { path: "order.id", equals: "o_1" },
      { path: "order.total", equals: "4" },
      { path: "order.missing", equals: "x" },
    ],
  });
  assert.deepEqual(
    evaluateChecks(checks, ok()).map((f) => f.message),
    ['order.total: expected "4", got "3"', 'order.missing: missing (expected "x")'],
  );
  const notJson = evaluateChecks(checks, ok({ body: new TextEncoder().encode("<html>") }));
  assert.equal(notJson.length, 4);
  assert.match(notJson[0]!.message, /not JSON/);
  assert.match(evaluateChecks(checks, ok({ bodyComplete: false }))[0]!.message, /larger than 64 KiB/);
});

test("latency bound and no answer", () => {
  const checks = ZReplayChecks.parse({ maxLatencyMs: 100 });
  assert.deepEqual(evaluateChecks(checks, ok({ durationMs: 100 })), []);
  assert.deepEqual(
    evaluateChecks(checks, ok({ durationMs: 250.4 })).map((f) => f.check),
    ["latency"],
  );
  assert.deepEqual(evaluateChecks(checks, ok({ status: null, error: "connection refused" })), [
    { check: "answer", message: "no answer: connection refused" },
  ]);
});

test("bad checks are refused with a message naming the problem", () => {
  const r = ZReplayChecks.safeParse({ json: [{ path: "a..b", equals: "1" }], maxLatencyMs: 0 });
  assert.equal(r.success, false);
  const paths = r.error!.issues.map((i) => i.path.join("."));
  assert.deepEqual(paths.sort(), ["json.0.path", "maxLatencyMs"]);
});
