// Retries recognised, against the real server and a real PostgreSQL: captures sent over HTTP to
// the capture URL with the same event key are deliveries of one event. The list and the detail
// carry which delivery each is and when the first came; the endpoint's setting chooses the key
// (auto, a header, a JSON path, off); and a list page of an endpoint with 100k captures stays an
// index probe per row.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { ZCapture, ZCapturePage, type TCapture, type TCaptureSummary } from "@/lib/shared/validation/captures";
import { ZEndpoint } from "@/lib/shared/validation/endpoints";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";

let app: RunningApp;
let db: { name: string; url: string };
let sql: pg.Client;
type Ep = Awaited<ReturnType<typeof createEndpoint>>;

before(async () => {
  db = await createTestDatabase("retries");
  app = await startApp({ databaseUrl: db.url });
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});
after(async () => {
  await sql?.end();
  await app?.stop();
  await dropDatabase(db.name);
});

const auth = (ep: Ep) => ({ authorization: `Bearer ${ep.managementKey}` });

/** A Stripe event as Stripe sends it (the Event object; the signature header names the provider). */
const stripeEvent = (id: string, type = "invoice.paid") =>
  JSON.stringify({ id, object: "event", api_version: "2024-06-20", type, data: { object: { id: "in_1", object: "invoice" } } });

async function send(ep: Ep, body: string, headers: Record<string, string> = {}): Promise<{ id: string; status: number }> {
  const r = await fetch(`${app.baseUrl}/h/${ep.slug}/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": "t=1,v1=abc", ...headers },
    body,
  });
  const text = await r.text();
  // The default answer names the capture; a custom one does not, so the newest capture is read back.
  const id = (JSON.parse(text) as { id?: string }).id ?? (await list(ep))[0]!.id;
  return { id, status: r.status };
}

async function list(ep: Ep, params: Record<string, string> = {}): Promise<TCaptureSummary[]> {
  const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures?${new URLSearchParams({ limit: "100", ...params })}`, {
    headers: auth(ep),
  });
  assert.equal(r.status, 200, await r.clone().text());
  return ZCapturePage.parse(await r.json()).items;
}

async function detail(ep: Ep, id: string): Promise<TCapture> {
  const r = await fetch(`${app.baseUrl}/api/captures/${id}`, { headers: auth(ep) });
  assert.equal(r.status, 200, await r.clone().text());
  return ZCapture.parse(await r.json());
}

async function patch(ep: Ep, body: unknown): Promise<Response> {
  return fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, {
    method: "PATCH",
    headers: { ...auth(ep), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("deliveries of one event key", () => {
  test("a Stripe retry sequence (500, 500, 200) is three linked deliveries; another event stays apart", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const other = await createEndpoint(app.baseUrl);
    assert.equal((await patch(ep, { response: { status: 500 } })).status, 200);
    const first = await send(ep, stripeEvent("evt_retry_1"));
    const unrelated = await send(ep, stripeEvent("evt_other", "charge.succeeded"));
    const second = await send(ep, stripeEvent("evt_retry_1"));
    assert.equal((await patch(ep, { response: { status: 200 } })).status, 200);
    const third = await send(ep, stripeEvent("evt_retry_1"));
    assert.deepEqual([first.status, second.status, third.status], [500, 500, 200]);
    // The same key on another endpoint is that endpoint's own first delivery.
    await send(other, stripeEvent("evt_retry_1"));

    const rows = await list(ep);
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.deepEqual(
      [first, second, third].map((c) => byId.get(c.id)!.deliveryNumber),
      [1, 2, 3],
    );
    assert.ok([first, second, third].every((c) => byId.get(c.id)!.eventKey === "evt_retry_1"));
    const firstAt = byId.get(first.id)!.receivedAt;
    assert.ok([first, second, third].every((c) => byId.get(c.id)!.firstDeliveryAt === firstAt));
    assert.equal(byId.get(unrelated.id)!.eventKey, "evt_other");
    assert.equal(byId.get(unrelated.id)!.deliveryNumber, 1);
    assert.equal((await list(other))[0]!.deliveryNumber, 1);

    const d = await detail(ep, third.id);
    assert.equal(d.deliveryNumber, 3);
    assert.equal(d.firstDeliveryAt, firstAt);
    assert.deepEqual(
      d.deliveries!.map((x) => [x.id, x.responseStatus]),
      [
        [first.id, 500],
        [second.id, 500],
        [third.id, 200],
      ],
    );
    // Search: event: lists every delivery of the one event, and only those.
    assert.deepEqual(
      (await list(ep, { q: "event:evt_retry_1" })).map((r) => r.id),
      [third.id, second.id, first.id],
    );
    assert.deepEqual(
      (await list(ep, { event: "evt_other" })).map((r) => r.id),
      [unrelated.id],
    );
    // A page that starts at a cursor numbers it the same.
    const live = await list(ep, { cursor: String(byId.get(third.id)!.seq + 1) });
    assert.equal(live[0]!.deliveryNumber, 3);
  });

  test("deleting the first delivery renumbers the rest (derived when read, nothing to keep in step)", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const a = await send(ep, stripeEvent("evt_del"));
    const b = await send(ep, stripeEvent("evt_del"));
    assert.equal((await detail(ep, b.id)).deliveryNumber, 2);
    const r = await fetch(`${app.baseUrl}/api/captures/${a.id}`, { method: "DELETE", headers: auth(ep) });
    assert.equal(r.status, 204);
    const d = await detail(ep, b.id);
    assert.equal(d.deliveryNumber, 1);
    assert.equal(d.firstDeliveryAt, d.receivedAt);
  });
});

describe("the endpoint's event key setting", () => {
  test("defaults to auto, and a configured header, a JSON path and off apply to new captures", async () => {
    const ep = await createEndpoint(app.baseUrl);
    const got = ZEndpoint.parse(await (await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, { headers: auth(ep) })).json());
    assert.deepEqual(got.eventKey, { source: "auto" });

    let r = await patch(ep, { eventKey: { source: "header", name: "X-Attempt-Group" } });
    assert.equal(r.status, 200, await r.clone().text());
    assert.deepEqual(ZEndpoint.parse(await r.json()).eventKey, { source: "header", name: "X-Attempt-Group" });
    const h1 = await send(ep, stripeEvent("evt_h1"), { "x-attempt-group": "g-1" });
    const h2 = await send(ep, stripeEvent("evt_h2"), { "X-Attempt-Group": "g-1" });
    assert.equal((await detail(ep, h1.id)).eventKey, "g-1");
    assert.equal((await detail(ep, h2.id)).deliveryNumber, 2);

    r = await patch(ep, { eventKey: { source: "json", path: "data.object.id" } });
    assert.equal(r.status, 200, await r.clone().text());
    const j = await send(ep, stripeEvent("evt_j"));
    assert.equal((await detail(ep, j.id)).eventKey, "in_1");

    r = await patch(ep, { eventKey: { source: "off" } });
    assert.equal(r.status, 200, await r.clone().text());
    const off = await send(ep, stripeEvent("evt_h1"));
    const d = await detail(ep, off.id);
    assert.equal(d.eventKey, null);
    assert.equal(d.deliveryNumber, null);
    assert.equal(d.deliveries, undefined);
    // Stored captures keep the key they were written with.
    assert.equal((await detail(ep, h2.id)).deliveryNumber, 2);
  });

  test("a bad setting is a 400 naming the field, and nothing changes", async () => {
    const ep = await createEndpoint(app.baseUrl);
    for (const [eventKey, field, words] of [
      [{ source: "header", name: "X Bad" }, "eventKey.name", /header name may only contain/],
      [{ source: "json", path: "data..id" }, "eventKey.path", /JSON path must look like data.object.id/],
      [{ source: "json" }, "eventKey.path", /Enter a JSON path/],
      [{ source: "everything" }, "eventKey", /"auto", "header", "json" or "off"/],
    ] as const) {
      const r = await patch(ep, { eventKey });
      assert.equal(r.status, 400);
      const body = (await r.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, "BAD_REQUEST");
      assert.ok(body.error.message.includes(field), body.error.message);
      assert.match(body.error.message, words);
    }
    const got = ZEndpoint.parse(await (await fetch(`${app.baseUrl}/api/endpoints/${ep.id}`, { headers: auth(ep) })).json());
    assert.deepEqual(got.eventKey, { source: "auto" });
  });
});

test("a list page of 100 on an endpoint with 100k captures probes the event key index per row", async (t) => {
  // Kept whole: the retention worker pruning it to the default 10,000 during the UPDATE below
  // deadlocked with that UPDATE once in CI (two statements locking the same rows in other orders).
  const ep = await createEndpoint(app.baseUrl, { retention: { maxCaptures: 100_000, maxAgeDays: 365 } });
  // 100,000 captures, every event delivered about three times (keys repeat every 3 seqs apart).
  await sql.query(
    `INSERT INTO captures (id, endpoint_id, seq, method, path, headers, body, body_size, remote_address, http_version,
                           received_at, duration_us, response_status, event_key)
     SELECT gen_random_uuid(), $1::uuid, s, 'POST', '/x', '[]'::jsonb, ''::bytea, 0, '127.0.0.1', '1.1',
            now() - (100000 - s) * interval '1 second', 1, 200, 'evt_' || (s / 3)
       FROM generate_series(1, 100000) s`,
    [ep.id],
  );
  await sql.query("UPDATE endpoints SET capture_seq = 100000, capture_count = 100000 WHERE id = $1", [ep.id]);
  await sql.query("ANALYZE captures");
  const timings: number[] = [];
  let rows: TCaptureSummary[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    rows = await list(ep);
    timings.push(performance.now() - start);
  }
  assert.equal(rows.length, 100);
  // seq 99999 = 3 × 33333: the first of evt_33333; 100000 its second.
  assert.deepEqual(
    rows.slice(0, 2).map((r) => [r.seq, r.eventKey, r.deliveryNumber]),
    [
      [100000, "evt_33333", 2],
      [99999, "evt_33333", 1],
    ],
  );
  const plan = await sql.query(
    `EXPLAIN SELECT (SELECT count(*) FROM captures k WHERE k.endpoint_id = $1::uuid AND k.event_key = 'evt_5' AND k.seq <= 16)`,
    [ep.id],
  );
  const text = plan.rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n");
  assert.match(text, /captures_endpoint_id_event_key_seq_idx/);
  // The same page with no keys (nothing to probe), for comparison.
  await sql.query("UPDATE captures SET event_key = NULL WHERE endpoint_id = $1", [ep.id]);
  const plain: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await list(ep);
    plain.push(performance.now() - start);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[2]!.toFixed(1);
  t.diagnostic(`GET …/captures?limit=100 over 100k captures: median ${median(timings)} ms with keys, ${median(plain)} ms without`);
});
