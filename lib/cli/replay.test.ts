// What `hookscope replay` shows while it runs: on a terminal a bar redrawn in place (failure lines
// printed above it), elsewhere (CI logs) plain lines only; and the latency percentiles.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { percentile, Progress, type Result } from "./replay";
import type { CliIo } from "./types";

function result(n: number, failed: boolean): Result {
  return {
    item: { id: `id-${n}`, seq: n, method: "POST", path: "/stripe", query: null, eventType: "invoice.paid" },
    failures: failed ? [{ check: "status", message: "expected 2xx, got 500" }] : [],
    status: failed ? 500 : 200,
    statusText: "",
    latencyMs: 5,
    elapsedMs: 5,
    url: "http://localhost/stripe",
    answer: "",
  };
}

function io(tty: boolean): CliIo & { lines: string[]; raw: string[] } {
  const lines: string[] = [];
  const raw: string[] = [];
  return { lines, raw, out: (l) => lines.push(l), err: (l) => lines.push(l), tty: tty ? { write: (t) => raw.push(t) } : undefined };
}

describe("Progress", () => {
  test("not a terminal: a line per failure and a count every tenth of the run, no escapes", () => {
    const o = io(false);
    const p = new Progress(o, 20);
    for (let i = 1; i <= 20; i++) p.record(result(i, i === 3));
    p.finish();
    assert.deepEqual(o.lines, [
      "… 2/20 sent, 0 failed",
      "✗ POST /stripe invoice.paid (capture id-3) → expected 2xx, got 500",
      ...[4, 6, 8, 10, 12, 14, 16, 18, 20].map((n) => `… ${n}/20 sent, 1 failed`),
    ]);
  });

  test("a terminal: the bar is redrawn in place, a failure line goes above it, and it is cleared at the end", () => {
    const o = io(true);
    const p = new Progress(o, 4);
    p.record(result(1, false));
    p.record(result(2, true));
    p.finish();
    assert.deepEqual(o.lines, ["✗ POST /stripe invoice.paid (capture id-2) → expected 2xx, got 500"]);
    assert.equal(o.raw[0], `\r\x1b[2K${"█".repeat(6)}${"░".repeat(18)} 1/4 · 0 failed`);
    assert.ok(o.raw.includes(`\r\x1b[2K${"█".repeat(12)}${"░".repeat(12)} 2/4 · 1 failed`));
    assert.equal(o.raw.at(-1), "\r\x1b[2K");
  });
});

describe("percentile", () => {
  test("nearest rank", () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(xs, 0.5), 50);
    assert.equal(percentile(xs, 0.95), 95);
    assert.equal(percentile([7], 0.95), 7);
    assert.equal(percentile([], 0.5), null);
  });
});
