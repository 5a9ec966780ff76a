import assert from "node:assert/strict";
import { test } from "node:test";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import { captureFrame, readyFrame, type CaptureDrift } from "./frames";
import { EndpointHub, LiveSubscriber, type HubDeps, type SubscriberSink } from "./hub";

const EP = "00000000-0000-7000-8000-000000000001";

function summary(seq: number): TCaptureSummary {
  return {
    id: `00000000-0000-7000-8000-${String(seq).padStart(12, "0")}`,
    endpointId: EP,
    seq,
    method: "POST",
    path: `/p${seq}`,
    query: null,
    size: 2,
    contentType: "text/plain",
    receivedAt: "2026-01-01T00:00:00.000000Z",
    oversize: false,
  };
}

/** A fake table: rows are "committed" by pushing; fetchAfter can be held open to test coalescing. */
function fakeDb(initialSeq = 0) {
  const rows: TCaptureSummary[] = [];
  for (let s = 1; s <= initialSeq; s++) rows.push(summary(s));
  let gate: Promise<void> | null = null;
  let failNext = 0;
  const deps: HubDeps = {
    async fetchAfter(_id, afterSeq, limit) {
      if (gate) await gate;
      if (failNext > 0) {
        failNext--;
        throw new Error("connection terminated");
      }
      return rows.filter((r) => r.seq > afterSeq).slice(0, limit);
    },
    async latestSeq() {
      return rows.length ? rows[rows.length - 1]!.seq : 0;
    },
    retryMs: 5,
    pageSize: 3,
  };
  return {
    deps,
    commit(n: number) {
      const start = rows.length ? rows[rows.length - 1]!.seq : 0;
      for (let s = start + 1; s <= start + n; s++) rows.push(summary(s));
      return start + n;
    },
    hold() {
      let open!: () => void;
      gate = new Promise<void>((r) => (open = r));
      return () => {
        gate = null;
        open();
      };
    },
    failReads(n: number) {
      failNext = n;
    },
  };
}

/** Collects what a subscriber writes; `backlog` simulates bytes the client has not read. */
function memorySink() {
  const chunks: Uint8Array[] = [];
  const state = { backlog: 0, ended: false, aborted: false };
  const sink: SubscriberSink = {
    write: (c) => {
      chunks.push(c);
      state.backlog += c.byteLength;
    },
    buffered: () => state.backlog,
    end: () => (state.ended = true),
    abort: () => (state.aborted = true),
  };
  const text = () => chunks.map((c) => new TextDecoder().decode(c)).join("");
  const seqs = () => [...text().matchAll(/^id: (\d+)\nevent: capture\n/gm)].map((m) => Number(m[1]));
  return { sink, chunks, state, text, seqs };
}

async function until(cond: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

function live(maxBufferBytes = 1 << 20) {
  const sub = new LiveSubscriber({ maxBufferBytes });
  const out = memorySink();
  sub.attach(out.sink);
  return { sub, out };
}

test("a notification past the fetched seq is read once and fanned out to every subscriber", async () => {
  const db = fakeDb(5);
  const hub = new EndpointHub(EP, db.deps);
  await hub.ready;
  assert.equal(hub.lastFetchedSeq, 5);
  const a = live();
  const b = live();
  for (const s of [a, b]) {
    s.sub.goLive(5);
    hub.add(s.sub);
  }
  const readsBefore = hub.reads;
  hub.notify(5); // already fetched: no read
  assert.equal(hub.reads, readsBefore);

  const last = db.commit(7); // two pages of 3 and one of 1
  hub.notify(last);
  await until(() => a.out.seqs().length === 7 && b.out.seqs().length === 7, "7 events each");
  assert.deepEqual(a.out.seqs(), [6, 7, 8, 9, 10, 11, 12]);
  assert.deepEqual(b.out.seqs(), a.out.seqs());
  // The same encoded frame object goes to both: encoded once, not once per subscriber.
  assert.equal(a.out.chunks[0], b.out.chunks[0]);
  assert.equal(hub.reads - readsBefore, 3);
});

test("notifications during a read coalesce into one more read", async () => {
  const db = fakeDb(0);
  const hub = new EndpointHub(EP, { ...db.deps, pageSize: 100 });
  await hub.ready;
  const { sub, out } = live();
  sub.goLive(0);
  hub.add(sub);

  const release = db.hold();
  hub.notify(db.commit(1));
  await until(() => hub.reads === 1, "first read to start");
  for (let i = 0; i < 20; i++) hub.notify(db.commit(1));
  release();
  await until(() => out.seqs().length === 21, "21 events");
  assert.deepEqual(
    out.seqs(),
    Array.from({ length: 21 }, (_, i) => i + 1),
  );
  assert.equal(hub.reads, 2);
});

test("a notification that arrives while the hub is starting is not lost", async () => {
  const db = fakeDb(2);
  const hub = new EndpointHub(EP, db.deps); // reads latestSeq = 2
  hub.notify(db.commit(1)); // seq 3 commits before that read is back
  await hub.ready;
  await until(() => hub.lastFetchedSeq === 3, "hub to read seq 3");
  assert.equal(hub.reads, 1);
});

test("a failed read is retried without waiting for another notification", async () => {
  const db = fakeDb(0);
  const hub = new EndpointHub(EP, { ...db.deps, log: () => {} });
  await hub.ready;
  const { sub, out } = live();
  sub.goLive(0);
  hub.add(sub);
  db.failReads(2);
  hub.notify(db.commit(2));
  await until(() => out.seqs().length === 2, "events after retries");
  assert.deepEqual(out.seqs(), [1, 2]);
  hub.dispose();
});

test("recheck reads rows whose notification was lost (LISTEN reconnect)", async () => {
  const db = fakeDb(0);
  const hub = new EndpointHub(EP, db.deps);
  await hub.ready;
  const { sub, out } = live();
  sub.goLive(0);
  hub.add(sub);
  db.commit(4); // no notify: the connection was down
  hub.recheck();
  await until(() => out.seqs().length === 4, "4 events");
  assert.deepEqual(out.seqs(), [1, 2, 3, 4]);
});

test("events delivered during catch-up are held, merged in order and never sent twice", () => {
  const { sub, out } = live();
  const ev = (seq: number) => ({ seq, frame: captureFrame(summary(seq)) });
  // Live events 8..10 arrive while the database catch-up (6..9) is being read.
  sub.deliver(ev(8));
  sub.deliver(ev(9));
  sub.deliver(ev(10));
  assert.equal(out.chunks.length, 0);
  sub.goLive(5, [ev(6), ev(7), ev(8), ev(9)]);
  sub.write(readyFrame(sub.lastSeq));
  sub.deliver(ev(10)); // a duplicate from a later read
  sub.deliver(ev(11));
  assert.deepEqual(out.seqs(), [6, 7, 8, 9, 10, 11]);
  assert.match(out.text(), /id: 10\nevent: ready\ndata: \{"latestSeq":10\}\n\n/);
});

test("a subscriber that falls too far behind is dropped, not buffered without bound", () => {
  const { sub, out } = live(2_000);
  let reason: string | null = null;
  sub.onClose((r) => (reason = r));
  sub.goLive(0);
  let seq = 0;
  while (!sub.closed && seq < 1_000) sub.deliver({ seq: ++seq, frame: captureFrame(summary(seq)) });
  assert.equal(reason, "overflow");
  assert.equal(out.state.aborted, true);
  assert.ok(out.state.backlog < 2_000 + 1_000, `backlog ${out.state.backlog} stays near the limit`);
  const written = out.chunks.length;
  sub.deliver({ seq: ++seq, frame: captureFrame(summary(seq)) });
  assert.equal(out.chunks.length, written, "nothing is written after the drop");
});

test("a client that keeps up is never dropped", () => {
  const { sub, out } = live(2_000);
  sub.goLive(0);
  for (let seq = 1; seq <= 1_000; seq++) {
    sub.deliver({ seq, frame: captureFrame(summary(seq)) });
    out.state.backlog = 0; // the client read it
  }
  assert.equal(sub.closed, false);
  assert.equal(out.seqs().length, 1_000);
});

test("events held during catch-up are bounded too", () => {
  const sub = new LiveSubscriber({ maxBufferBytes: 1_000 });
  for (let seq = 1; seq <= 100 && !sub.closed; seq++) sub.deliver({ seq, frame: captureFrame(summary(seq)) });
  assert.equal(sub.closeReason, "overflow");
});

test("capture frames carry the summary only, with id = seq", () => {
  const withBody = { ...summary(42), body: { base64: "c2VjcmV0", text: "secret" }, headers: [["a", "b"]] };
  const text = new TextDecoder().decode(captureFrame(withBody as TCaptureSummary));
  const m = text.match(/^id: 42\nevent: capture\ndata: (.*)\n\n$/);
  assert.ok(m, text);
  const data = JSON.parse(m[1]!) as Record<string, unknown>;
  assert.deepEqual(Object.keys(data).sort(), Object.keys(summary(42)).sort());
  assert.equal(data.seq, 42);
  assert.ok(!text.includes("secret"));
});

test("one read of many captures is one write per live subscriber, shared by all", async () => {
  const db = fakeDb(0);
  const hub = new EndpointHub(EP, { ...db.deps, pageSize: 100 });
  await hub.ready;
  const subs = [live(), live(), live()];
  for (const s of subs) {
    s.sub.goLive(0);
    hub.add(s.sub);
  }
  hub.notify(db.commit(25));
  await until(() => subs.every((s) => s.out.seqs().length === 25), "25 events each");
  for (const s of subs) {
    assert.equal(s.out.chunks.length, 1, "one write for the whole read");
    assert.deepEqual(
      s.out.seqs(),
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
  }
  assert.equal(subs[0]!.out.chunks[0], subs[2]!.out.chunks[0]);
});

test("a subscriber already past part of a read gets only the newer events of it", () => {
  const { sub, out } = live();
  const evs = [1, 2, 3, 4, 5].map((seq) => ({ seq, frame: captureFrame(summary(seq)) }));
  sub.goLive(3);
  sub.deliverMany(evs, Buffer.concat(evs.map((e) => e.frame)));
  assert.deepEqual(out.seqs(), [4, 5]);
  sub.deliverMany(evs, Buffer.concat(evs.map((e) => e.frame)));
  assert.deepEqual(out.seqs(), [4, 5], "nothing twice");
});

test("drift: read after new captures, sent only to subscribers that asked, only for captures they have, held during catch-up", async () => {
  const db = fakeDb(3);
  const drifted = new Map<number, CaptureDrift>();
  const driftReads: number[][] = [];
  const hub = new EndpointHub(EP, {
    ...db.deps,
    async fetchDrift(_id, seqs) {
      driftReads.push([...seqs]);
      return seqs.flatMap((s) => (drifted.has(s) ? [drifted.get(s)!] : []));
    },
  });
  await hub.ready;
  const mk = (drift: boolean) => {
    const sub = new LiveSubscriber({ maxBufferBytes: 1 << 20, drift });
    const out = memorySink();
    sub.attach(out.sink);
    return { sub, out };
  };
  const dash = mk(true);
  const smee = mk(false);
  const joining = mk(true);
  for (const s of [dash, smee]) {
    s.sub.goLive(3);
    hub.add(s.sub);
  }
  hub.add(joining.sub); // still catching up: holds what arrives

  const change = { kind: "removed" as const, path: "id", before: ["string"], after: [] };
  const last = db.commit(2); // seqs 4, 5
  drifted.set(5, { id: summary(5).id, seq: 5, drift: [change] });
  hub.notify(last);
  hub.notifyDrift([5, 4]);
  await until(() => dash.out.text().includes("event: drift"), "the drift frame");
  const text = dash.out.text();
  assert.ok(text.indexOf("event: drift") > text.indexOf("id: 5\nevent: capture"), "after the capture it is about");
  assert.match(
    text,
    /\n\nevent: drift\ndata: \{"id":"[^"]+","seq":5,"drift":\[\{"kind":"removed","path":"id","before":\["string"\],"after":\[\]\}\]\}\n\n$/,
  );
  assert.doesNotMatch(smee.out.text(), /drift/);
  assert.deepEqual(driftReads, [[5, 4]]);

  // The joining subscriber gets it after its catch-up and held events; one behind seq 5 never does.
  joining.sub.goLive(3);
  assert.ok(joining.out.text().endsWith(`event: drift\ndata: ${JSON.stringify({ id: summary(5).id, seq: 5, drift: [change] })}\n\n`));
  const behind = mk(true);
  behind.sub.goLive(4);
  hub.add(behind.sub);
  hub.notifyDrift([5]);
  await until(() => driftReads.length === 2, "second drift read");
  await until(() => !hub["reading"], "read done");
  assert.doesNotMatch(behind.out.text(), /drift/);

  // Nobody who wants drift: no read at all.
  for (const s of [dash, joining, behind]) s.sub.close("client");
  hub.notifyDrift([5]);
  assert.equal(driftReads.length, 2);
});

/** A list's stream (the dashboard's ?coalesce=N), and the text of its `coalesced` frames. */
function listSub(coalesceAbove: number, drift = false) {
  const sub = new LiveSubscriber({ maxBufferBytes: 1 << 20, coalesceAbove, drift });
  const out = memorySink();
  sub.attach(out.sink);
  const coalesced = () =>
    [...out.text().matchAll(/^id: (\d+)\nevent: coalesced\ndata: (.*)\n\n/gm)].map((m) => ({ id: Number(m[1]), ...JSON.parse(m[2]!) }));
  return { sub, out, coalesced };
}

test("busy streams: a list's stream gets one write per tick and one coalesced frame for a burst; a forward stream gets every event", async () => {
  const db = fakeDb(0);
  const hub = new EndpointHub(EP, { ...db.deps, pageSize: 100, tickMs: 1_000, coalescedTickMs: 2_000 });
  await hub.ready;
  const dashA = listSub(5);
  const dashB = listSub(5);
  const forward = live();
  for (const s of [dashA, dashB, forward]) {
    s.sub.goLive(0);
    hub.add(s.sub);
  }

  // A lone capture is not delayed.
  hub.notify(db.commit(1));
  await until(() => dashA.out.seqs().length === 1, "the first capture at once");
  assert.equal(hub.ticks, 1);
  // Three more reads inside the tick: the list's stream gets them in one write when it ends.
  for (let i = 0; i < 3; i++) {
    const reads = hub.reads;
    hub.notify(db.commit(1));
    await until(() => hub.reads > reads && !hub["reading"], "a read");
  }
  assert.equal(forward.out.chunks.length, 4, "the forward stream got each read as it landed");
  await until(() => dashA.out.seqs().length === 4, "the tick");
  assert.equal(dashA.out.chunks.length, 2, "one write per tick");
  assert.equal(hub.ticks, 2);

  // 20 in one tick, more than the list shows: one coalesced frame instead of 20 events, shared by both lists.
  hub.notify(db.commit(20));
  await until(() => dashA.coalesced().length === 1 && dashB.coalesced().length === 1, "the coalesced frame");
  const coalescedAt = performance.now();
  assert.deepEqual(dashA.coalesced(), [{ id: 24, latestSeq: 24, afterSeq: 4, count: 20 }]);
  assert.deepEqual(dashA.out.seqs(), [1, 2, 3, 4]);
  assert.equal(dashA.out.chunks.at(-1), dashB.out.chunks.at(-1), "encoded once for both");
  assert.equal(dashA.sub.lastSeq, 24);
  await until(() => forward.out.seqs().length === 24, "every event on the forward stream");
  assert.deepEqual(
    forward.out.seqs(),
    Array.from({ length: 24 }, (_, i) => i + 1),
  );
  assert.doesNotMatch(forward.out.text(), /coalesced/);

  // After a coalesced tick the next write waits the longer pause (a firehose: one write per list per pause).
  hub.notify(db.commit(1));
  await until(() => forward.out.seqs().length === 25, "seq 25 on the forward stream at once");
  await until(() => dashA.out.seqs().includes(25), "seq 25 on the list's stream after the pause", 10_000);
  const waited = performance.now() - coalescedAt;
  assert.ok(waited > 1_500, `waited ${waited.toFixed(0)} ms, not the 2 s pause`);
  hub.dispose();
});

test("busy streams: a list's stream gets a drift frame with the tick, after the capture it is about", async () => {
  const db = fakeDb(0);
  const drifted = new Map<number, CaptureDrift>();
  const hub = new EndpointHub(EP, {
    ...db.deps,
    pageSize: 100,
    tickMs: 1_000,
    async fetchDrift(_id, seqs) {
      return seqs.flatMap((s) => (drifted.has(s) ? [drifted.get(s)!] : []));
    },
  });
  await hub.ready;
  const dash = listSub(5, true);
  dash.sub.goLive(0);
  hub.add(dash.sub);
  hub.notify(db.commit(1));
  await until(() => dash.out.seqs().length === 1, "the first tick");
  // Seq 2 is read inside the tick, and its drift right after: both wait for the tick's end.
  const seq = db.commit(1);
  drifted.set(seq, { id: summary(seq).id, seq, drift: [{ kind: "removed", path: "id", before: ["string"], after: [] }] });
  hub.notify(seq);
  hub.notifyDrift([seq]);
  await until(() => dash.out.text().includes("event: drift"), "the drift frame");
  const text = dash.out.text();
  assert.ok(text.indexOf("event: drift") > text.indexOf("id: 2\nevent: capture"), "after the capture it is about");
  assert.equal(dash.out.chunks.length, 2, "capture and drift in the tick's one write");
  hub.dispose();
});
