// The event catalogue (GET /api/endpoints/:id/event-types) against the real server and a real
// PostgreSQL: captures sent over HTTP are grouped by the event type the list shows (Stripe, GitHub,
// a generic `type`), most captured first, with first and last seen and the newest as the sample;
// the rest by method and path; another endpoint's captures never count; refusals are worded.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ZEventCatalogue } from "@/lib/shared/validation/event-catalogue";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("event_catalogue");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  await dropDatabase(db.name);
});

async function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<string> {
  const r = await fetch(url, { method: init.method ?? "POST", headers: init.headers, body: init.body });
  assert.ok(r.status < 300, `${r.status} ${await r.clone().text()}`);
  return ((await r.json()) as { id: string }).id;
}

test("captures grouped by event type, most captured first, with first and last seen and the newest as the sample; the rest by method and path", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const other = await createEndpoint(app.baseUrl);
  const stripe = (id: string) =>
    send(ep.captureUrl, {
      headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" },
      body: JSON.stringify({ id, object: "event", type: "invoice.paid" }),
    });
  const ids: string[] = [];
  ids.push(await stripe("evt_1"));
  ids.push(await send(`${ep.captureUrl}/orders`, { headers: { "content-type": "application/json" }, body: '{"type":"order.created"}' }));
  ids.push(
    await send(ep.captureUrl, { headers: { "content-type": "application/json", "x-github-event": "push" }, body: '{"ref":"main"}' }),
  );
  ids.push(await stripe("evt_2"));
  ids.push(await send(`${ep.captureUrl}/a`, { body: "plain text" }));
  ids.push(await send(`${ep.captureUrl}/orders`, { headers: { "content-type": "application/json" }, body: '{"type":"order.created"}' }));
  ids.push(await send(`${ep.captureUrl}/b`, { method: "GET" }));
  ids.push(await send(`${ep.captureUrl}/a`, { body: "more text" }));
  const newestStripe = await stripe("evt_3");
  // Another endpoint's events are its own.
  await send(other.captureUrl, { headers: { "content-type": "application/json" }, body: '{"type":"invoice.paid"}' });

  const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types`, { headers: { authorization: `Bearer ${ep.managementKey}` } });
  assert.equal(r.status, 200, await r.clone().text());
  const c = ZEventCatalogue.parse(await r.json());
  assert.deepEqual(
    c.types.map((t) => [t.type, t.source, t.count]),
    [
      ["invoice.paid", "stripe", 3],
      ["order.created", "generic", 2],
      ["push", "github", 1],
    ],
  );
  const invoice = c.types[0]!;
  assert.equal(invoice.sample.id, newestStripe);
  assert.equal(invoice.sample.seq, 9);
  assert.ok(Date.parse(invoice.firstSeenAt) < Date.parse(invoice.lastSeenAt), JSON.stringify(invoice));
  assert.equal(c.types[2]!.firstSeenAt, c.types[2]!.lastSeenAt);
  assert.deepEqual(c.other, {
    count: 3,
    groups: [
      { method: "POST", path: "/a", count: 2, lastSeenAt: c.other.groups[0]!.lastSeenAt, sample: { id: ids[7]!, seq: 8 } },
      { method: "GET", path: "/b", count: 1, lastSeenAt: c.other.groups[1]!.lastSeenAt, sample: { id: ids[6]!, seq: 7 } },
    ],
  });

  // An empty endpoint has an empty catalogue.
  const empty = await createEndpoint(app.baseUrl);
  const e = await fetch(`${app.baseUrl}/api/endpoints/${empty.id}/event-types`, {
    headers: { authorization: `Bearer ${empty.managementKey}` },
  });
  assert.deepEqual(ZEventCatalogue.parse(await e.json()), { types: [], other: { count: 0, groups: [] } });
});

test("the catalogue is refused without the endpoint's key, with another endpoint's key, and for other methods", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const other = await createEndpoint(app.baseUrl);
  const url = `${app.baseUrl}/api/endpoints/${ep.id}/event-types`;
  const none = await fetch(url);
  assert.equal(none.status, 401);
  assert.match(((await none.json()) as { error: { message: string } }).error.message, /key/i);
  assert.equal((await fetch(url, { headers: { authorization: `Bearer ${other.managementKey}` } })).status, 404);
  assert.equal((await fetch(url, { method: "POST", headers: { authorization: `Bearer ${ep.managementKey}` } })).status, 405);
});
