import assert from "node:assert/strict";
import { performance } from "node:perf_hooks";
import { test } from "node:test";
import { BUSY_DUTY, BackgroundPace, backoffMs, storedMeanwhile } from "./background";

test("backoffMs: no more wait while the rest of the process is quiet; under load a background worker keeps to BUSY_DUTY of the time", () => {
  // Quiet during the pause after a 10 ms batch: go on.
  assert.equal(backoffMs(10, 10, false), 0);
  // Busy: 10 ms of batch, 10 ms paused so far, then 80 ms more (10 of every 100 ms).
  const more = backoffMs(10, 10, true);
  assert.equal(more, 10 * (1 / BUSY_DUTY - 1) - 10);
  assert.ok(Math.abs(10 / (10 + 10 + more) - BUSY_DUTY) < 1e-9);
});

test("a pace asks its probe whether the rest was busy, backs off when it was, and barely pauses when the work must hurry", async () => {
  let asked = 0;
  const pace = new BackgroundPace(() => () => (asked++, true));
  const t = performance.now();
  await pace.after(10);
  assert.equal(asked, 1);
  // 10 ms of work is a tenth of the time: 90 ms of pause (each timer may fire a millisecond early).
  assert.ok(performance.now() - t >= 85, `paused ${performance.now() - t} ms`);
  await pace.after(10_000, true);
  assert.equal(asked, 1, "a hurried pause does not back off");
  // Woken (stop), a pause ends at once, whatever it was waiting for.
  const pending = pace.after(60_000);
  pace.wake();
  await pending;
});

test("storedMeanwhile is busy when the count of stored captures grew during the pause", () => {
  let stored = 0;
  const probe = storedMeanwhile(() => stored);
  const quiet = probe();
  assert.equal(quiet(), false);
  const watching = probe();
  stored += 3;
  assert.equal(watching(), true);
  assert.equal(probe()(), false, "a new pause starts from what was stored by then");
});
