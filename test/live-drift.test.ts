// Drift arrives live (issue 17 item 4): the schema worker runs on replica W, the dashboard's stream
// is served by replica S (whose worker is off), so the mark can only reach it through the worker's
// NOTIFY. The stream gets `event: drift` for the drifted capture's seq, after its capture event and
// without an `id:` (the resume point never moves back); the smee channel on the same endpoint gets
// no drift frame, only messages smee-client can read.
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { SseClient } from "./support/sse";

let worker: RunningApp;
let server: RunningApp;
let db: { name: string; url: string };

// Replicas sharing a database share the signing-secrets key (docs/deployment.md, "Several replicas").
const SHARED = { SECRETS_KEY: crypto.randomBytes(32).toString("base64") };

before(async () => {
  db = await createTestDatabase("live_drift");
  worker = await startApp({ databaseUrl: db.url, env: { ...SHARED, SCHEMA_POLL_MS: "100" } });
  server = await startApp({ databaseUrl: db.url, env: { ...SHARED, SCHEMA_POLL_MS: "0" } });
});
after(async () => {
  await Promise.all([worker?.stop(), server?.stop()]);
  await dropDatabase(db.name);
});

test("a capture marked with drift by another replica's schema worker reaches the open dashboard stream as a drift event; smee gets none", async () => {
  const ep = await createEndpoint(server.baseUrl);
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  const dash = await SseClient.open(`${server.baseUrl}/api/endpoints/${ep.id}/events`, auth);
  const smee = await SseClient.open(`${server.baseUrl}/api/endpoints/${ep.id}/smee`, auth);
  try {
    assert.equal(dash.status, 200);
    assert.equal(smee.status, 200);
    await dash.waitFor((c) => c.events.some((e) => e.event === "ready"), "dashboard stream ready");
    await smee.waitFor((c) => c.events.some((e) => e.event === "ready"), "smee stream ready");

    const send = async (body: unknown) => {
      const r = await fetch(ep.captureUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      assert.ok(r.status < 300, String(r.status));
      return ((await r.json()) as { id: string }).id;
    };
    // Five captures establish the schema; one with new values only does not drift; one without `id` and with `count` a string does.
    for (let i = 0; i < 5; i++) await send({ type: "order.created", id: `o_${i}`, count: i });
    const same = await send({ type: "order.created", id: "o_new", count: 99 });
    const drifted = await send({ type: "order.created", count: "7" });

    await dash.waitFor((c) => c.events.some((e) => e.event === "drift"), "a drift event", 20_000);
    const captures = dash.captures<{ id: string; seq: number }>();
    const seqOf = (id: string) => captures.find((c) => c.id === id)?.seq;
    const drifts = dash.events.filter((e) => e.event === "drift");
    assert.equal(drifts.length, 1, dash.describe());
    const ev = drifts[0]!;
    assert.equal(ev.id, undefined, "a drift frame carries no id: (Last-Event-ID stays the newest capture seq)");
    const data = JSON.parse(ev.data) as { id: string; seq: number; drift: { kind: string; path: string }[] };
    assert.equal(data.id, drifted);
    assert.equal(data.seq, seqOf(drifted));
    assert.deepEqual(data.drift.map((d) => `${d.kind} ${d.path}`).sort(), ["removed id", "type count"]);
    assert.ok(!drifts.some((e) => (JSON.parse(e.data) as { id: string }).id === same));
    // Sent after the capture event it is about.
    assert.ok(dash.events.indexOf(ev) > dash.events.findIndex((e) => e.event === "capture" && e.id === String(data.seq)));

    // The smee stream rides on the same hub: a capture sent now reaches it after anything the
    // hub wrote before, so if a drift frame had been routed there it would already be in.
    const last = await send({ type: "other.thing", n: 1 });
    await dash.waitFor((c) => c.captures<{ id: string }>().some((x) => x.id === last), "the last capture on the dashboard stream");
    const lastSeq = dash.captures<{ id: string; seq: number }>().find((x) => x.id === last)!.seq;
    await smee.waitFor((c) => c.events.some((e) => e.id === String(lastSeq)), "the last capture on the smee channel");
    assert.deepEqual([...new Set(smee.events.map((e) => e.event))].sort(), ["message", "ready"], smee.describe());
    for (const e of smee.events.filter((x) => x.event === "message"))
      assert.equal(typeof (JSON.parse(e.data) as { body: unknown }).body, "object");
  } finally {
    dash.close();
    smee.close();
  }
});
