import assert from "node:assert/strict";
import { test } from "node:test";
import type { NewCapture } from "@/lib/server/db/capture-insert";
import { CaptureWriter, type WriterOptions } from "./writer";

function row(id: string, bodyBytes = 0): NewCapture {
  return {
    id,
    endpointId: "00000000-0000-7000-8000-000000000001",
    method: "POST",
    path: "",
    query: null,
    headers: [],
    trailers: null,
    body: Buffer.alloc(bodyBytes),
    bodySize: bodyBytes,
    declaredLength: bodyBytes,
    contentType: null,
    remoteAddress: "127.0.0.1",
    httpVersion: "1.1",
    receivedAt: "2026-01-01T00:00:00.000000Z",
    durationUs: 0,
    responseStatus: 200,
    responseRev: 0,
    oversize: false,
    responseRule: null,
    responseFailure: null,
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
  reject: (e: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A write function the test drives by hand: each call is recorded with its rows and stays
 * pending until the test commits (seq = position + 1) or fails it.
 */
function manualWrite() {
  const calls: { ids: string[]; done: Deferred<Map<string, number>> }[] = [];
  const waiters: (() => void)[] = [];
  const write = (rows: NewCapture[]) => {
    const done = deferred<Map<string, number>>();
    calls.push({ ids: rows.map((r) => r.id), done });
    for (const w of waiters.splice(0)) w();
    return done.promise;
  };
  let nextSeq = 1;
  return {
    write,
    calls,
    /** Resolves once at least n write calls have been made. */
    async waitForCalls(n: number): Promise<void> {
      while (calls.length < n) await new Promise<void>((r) => waiters.push(r));
    },
    commit(i: number, omit: string[] = []): void {
      const seqs = new Map<string, number>();
      for (const id of calls[i]!.ids) if (!omit.includes(id)) seqs.set(id, nextSeq++);
      calls[i]!.done.resolve(seqs);
    },
    fail(i: number, e: unknown): void {
      calls[i]!.done.reject(e);
    },
  };
}

function writer(w: ReturnType<typeof manualWrite>, opts: Partial<WriterOptions> = {}): CaptureWriter {
  return new CaptureWriter({ maxRows: 100, maxBytes: 1024 * 1024, concurrency: 1, write: w.write, ...opts });
}

test("a row resolves with the seq its batch committed", async () => {
  const w = manualWrite();
  const cw = writer(w);
  const p = cw.enqueue(row("a"));
  await w.waitForCalls(1);
  assert.deepEqual(w.calls[0]!.ids, ["a"]);
  w.commit(0);
  assert.equal(await p, 1);
  assert.equal(cw.pending, 0);
});

test("the next batch takes everything queued while a flush was in flight", async () => {
  const w = manualWrite();
  const cw = writer(w);
  const first = cw.enqueue(row("a"));
  await w.waitForCalls(1);
  const rest = ["b", "c", "d", "e"].map((id) => cw.enqueue(row(id)));
  // With one flush allowed, nothing else may start while "a" is being written.
  assert.equal(w.calls.length, 1);
  assert.equal(cw.pending, 5);
  w.commit(0);
  assert.equal(await first, 1);
  await w.waitForCalls(2);
  assert.deepEqual(w.calls[1]!.ids, ["b", "c", "d", "e"]);
  w.commit(1);
  assert.deepEqual(await Promise.all(rest), [2, 3, 4, 5]);
  assert.equal(w.calls.length, 2);
  assert.equal(cw.stats.batches, 2);
  assert.equal(cw.stats.rows, 5);
  assert.equal(cw.stats.lastBatchSize, 4);
});

test("a batch holds at most maxRows rows, in arrival order", async () => {
  const w = manualWrite();
  const cw = writer(w, { maxRows: 3 });
  const all = [cw.enqueue(row("r0"))];
  await w.waitForCalls(1);
  for (let i = 1; i <= 7; i++) all.push(cw.enqueue(row(`r${i}`)));
  for (let i = 0; i < 4; i++) {
    await w.waitForCalls(i + 1);
    w.commit(i);
  }
  assert.deepEqual(await Promise.all(all), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(
    w.calls.map((c) => c.ids),
    [["r0"], ["r1", "r2", "r3"], ["r4", "r5", "r6"], ["r7"]],
  );
});

test("a batch stops before passing maxBytes, but always takes at least one row", async () => {
  const w = manualWrite();
  const cw = writer(w, { maxBytes: 10 });
  const all = [cw.enqueue(row("blocker", 1))];
  await w.waitForCalls(1);
  const sizes: [string, number][] = [
    ["a", 4],
    ["b", 4],
    ["c", 4],
    ["huge", 20],
    ["d", 1],
  ];
  for (const [id, size] of sizes) all.push(cw.enqueue(row(id, size)));
  for (let i = 0; i < 5; i++) {
    await w.waitForCalls(i + 1);
    w.commit(i);
  }
  await Promise.all(all);
  assert.deepEqual(
    w.calls.map((c) => c.ids),
    [["blocker"], ["a", "b"], ["c"], ["huge"], ["d"]],
  );
});

test("up to `concurrency` flushes run at once", async () => {
  const w = manualWrite();
  const cw = writer(w, { concurrency: 2 });
  const a = cw.enqueue(row("a"));
  const b = cw.enqueue(row("b"));
  const c = cw.enqueue(row("c"));
  await w.waitForCalls(2);
  assert.deepEqual(
    w.calls.map((x) => x.ids),
    [["a"], ["b"]],
  );
  // The second flush finishing first frees a slot for "c" while "a" is still in flight.
  w.commit(1);
  assert.equal(await b, 1);
  await w.waitForCalls(3);
  assert.deepEqual(w.calls[2]!.ids, ["c"]);
  w.commit(2);
  w.commit(0);
  assert.equal(await c, 2);
  assert.equal(await a, 3);
});

test("a failed batch rejects every row in it, and the next batch still works", async () => {
  const w = manualWrite();
  const cw = writer(w);
  const first = cw.enqueue(row("a"));
  await w.waitForCalls(1);
  const failed = [cw.enqueue(row("b")), cw.enqueue(row("c"))];
  w.commit(0);
  await first;
  await w.waitForCalls(2);
  const later = cw.enqueue(row("d"));
  const boom = new Error("connection refused");
  w.fail(1, boom);
  for (const p of failed) await assert.rejects(p, (e) => e === boom);
  await w.waitForCalls(3);
  assert.deepEqual(w.calls[2]!.ids, ["d"]);
  w.commit(2);
  assert.equal(await later, 2);
  assert.equal(cw.stats.failedBatches, 1);
  assert.equal(cw.stats.batches, 2);
  assert.equal(cw.pending, 0);
});

test("a write that throws synchronously rejects its rows instead of escaping", async () => {
  let calls = 0;
  const cw = new CaptureWriter({
    maxRows: 10,
    maxBytes: 1024,
    concurrency: 1,
    write: (rows) => {
      calls++;
      if (calls === 1) throw new Error("sync failure");
      return Promise.resolve(new Map(rows.map((r, i) => [r.id, i + 1])));
    },
  });
  await assert.rejects(cw.enqueue(row("a")), /sync failure/);
  assert.equal(await cw.enqueue(row("b")), 1);
});

test("a row the write did not store (its endpoint vanished) resolves null", async () => {
  const w = manualWrite();
  const cw = writer(w);
  const blocker = cw.enqueue(row("blocker"));
  await w.waitForCalls(1);
  const kept = cw.enqueue(row("kept"));
  const gone = cw.enqueue(row("gone"));
  w.commit(0);
  await blocker;
  await w.waitForCalls(2);
  w.commit(1, ["gone"]);
  assert.equal(await kept, 2);
  assert.equal(await gone, null);
});

test("drain resolves at once when idle, and otherwise only after every queued row settled", async () => {
  const w = manualWrite();
  const cw = writer(w);
  await cw.drain();

  const settled: string[] = [];
  const track = (id: string, p: Promise<number | null>) =>
    p.then(
      () => settled.push(id),
      () => settled.push(id),
    );
  const a = track("a", cw.enqueue(row("a")));
  await w.waitForCalls(1);
  const b = track("b", cw.enqueue(row("b")));
  let drained = false;
  const d = cw.drain().then(() => {
    drained = true;
  });

  w.commit(0);
  await a;
  await w.waitForCalls(2);
  // "b" is in flight: drain must still be waiting.
  await new Promise((r) => setImmediate(r));
  assert.equal(drained, false);
  w.fail(1, new Error("down"));
  await d;
  await b;
  assert.deepEqual(settled.sort(), ["a", "b"]);
  assert.equal(cw.pending, 0);
});

test("several drain callers are all released", async () => {
  const w = manualWrite();
  const cw = writer(w);
  const p = cw.enqueue(row("a"));
  await w.waitForCalls(1);
  const drains = [cw.drain(), cw.drain(), cw.drain()];
  w.commit(0);
  await p;
  await Promise.all(drains);
});
