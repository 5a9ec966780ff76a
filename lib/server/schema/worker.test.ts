import assert from "node:assert/strict";
import { test } from "node:test";
import { BUSY_DUTY, backoffMs } from "./worker";

test("backoffMs: no more wait while the rest of the process is quiet; under load the worker keeps to BUSY_DUTY of the time", () => {
  // Quiet during the pause after a 10 ms batch: go on.
  assert.equal(backoffMs(10, 10, 0.05), 0);
  // Busy: 10 ms of batch, 10 ms paused so far, then 80 ms more (10 of every 100 ms).
  const more = backoffMs(10, 10, 0.8);
  assert.equal(more, 10 * (1 / BUSY_DUTY - 1) - 10);
  assert.ok(Math.abs(10 / (10 + 10 + more) - BUSY_DUTY) < 1e-9);
});
