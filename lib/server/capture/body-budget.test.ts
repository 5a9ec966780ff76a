import assert from "node:assert/strict";
import { test } from "node:test";
import { BodyBudget, type BudgetHolder } from "./body-budget";

/** A body being read: counts resumes, and whether it is paused now. */
function body(budget: BodyBudget) {
  const state = { paused: false, resumes: 0, holder: null as unknown as BudgetHolder };
  state.holder = budget.holder(() => {
    state.paused = false;
    state.resumes++;
  });
  const read = (bytes: number) => {
    assert.equal(state.paused, false, "a paused body is not read");
    state.paused = !state.holder.add(bytes);
  };
  return { state, read };
}

test("within the budget bodies read on; past it they pause, and resume as committed bodies release", () => {
  const budget = new BodyBudget(1000);
  const a = body(budget);
  const b = body(budget);
  const c = body(budget);
  a.read(600);
  b.read(300);
  assert.equal(a.state.paused || b.state.paused, false);
  c.read(200); // 1100 > 1000, and c is not the oldest
  assert.equal(c.state.paused, true);
  assert.equal(budget.waiting, 1);
  b.state.holder.release();
  assert.equal(budget.inUse, 800);
  assert.equal(c.state.paused, false, "room again: c resumes");
  assert.equal(c.state.resumes, 1);
});

test("the oldest body is never paused, so bodies paused half-way cannot deadlock", () => {
  const budget = new BodyBudget(100);
  const a = body(budget);
  const b = body(budget);
  a.read(80);
  b.read(80); // over: b waits
  assert.equal(b.state.paused, true);
  a.read(500); // a is the oldest: it reads on, over the budget
  assert.equal(a.state.paused, false);
  assert.equal(budget.inUse, 660);
  a.state.holder.release();
  // b is the oldest now: resumed even though it alone is at its share
  assert.equal(b.state.paused, false);
  b.read(1000);
  assert.equal(b.state.paused, false);
});

test("a body bigger than the whole budget is read when it is the oldest", () => {
  const budget = new BodyBudget(64);
  const big = body(budget);
  for (let i = 0; i < 10; i++) big.read(64);
  assert.equal(big.state.paused, false);
  big.state.holder.release();
  assert.equal(budget.inUse, 0);
});

test("paused bodies resume first in, first out, as many as the freed room is expected to hold", () => {
  const budget = new BodyBudget(1024 * 1024);
  const first = body(budget);
  first.read(1024 * 1024);
  const waiting = Array.from({ length: 8 }, () => body(budget));
  for (const w of waiting) w.read(64 * 1024);
  assert.deepEqual(
    waiting.map((w) => w.state.paused),
    Array(8).fill(true),
  );
  // Frees 1 MiB; the waiters hold 512 KiB: the new oldest resumes, then two more at 256 KiB of room each.
  first.state.holder.release();
  assert.deepEqual(
    waiting.map((w) => w.state.paused),
    [false, false, false, true, true, true, true, true],
  );
});

test("release is idempotent and drops a paused body from the queue", () => {
  const budget = new BodyBudget(10);
  const a = body(budget);
  const b = body(budget);
  a.read(10);
  b.read(10);
  assert.equal(budget.waiting, 1);
  b.state.holder.release();
  b.state.holder.release();
  assert.equal(budget.waiting, 0);
  assert.equal(budget.inUse, 10);
  assert.equal(b.state.resumes, 0, "an abandoned body is not resumed");
  a.state.holder.release();
  assert.equal(budget.inUse, 0);
});
