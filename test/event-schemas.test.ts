// Inferred schemas through the real path: GitHub's examples (@octokit/webhooks-examples) sent over
// HTTP to a capture URL with their X-GitHub-Event header, merged by the background schema worker
// (not the capture write), served by GET …/event-types/:type/schema; every example validates
// against its type's schema (ajv). After a restart the worker carries on from its cursor. Drift
// is stored on the capture that removed an always-present field or changed a type.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import pg from "pg";
import { githubByType } from "@/lib/shared/schema/github-oracle.test-support";
import { shopifyByType } from "@/lib/shared/schema/shopify-examples.test-support";
import { ZEventSchemaResponse } from "@/lib/shared/validation/event-catalogue";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("event_schemas");
  app = await startApp({ databaseUrl: db.url, env: { SCHEMA_POLL_MS: "100" } });
});
after(async () => {
  await app?.stop();
  await dropDatabase(db.name);
});

const byType = [...githubByType()].filter(([type]) => ["push", "issues.opened", "pull_request.opened", "release.published"].includes(type));

async function post(url: string, event: string, body: unknown) {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": event },
    body: JSON.stringify(body),
  });
  assert.ok(r.status < 300, String(r.status));
}

test("GitHub's examples sent as captures: the worker merges them; each validates against its type's schema; drift names the path", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  let sent = 0;
  for (const [type, samples] of byType)
    for (const s of samples) {
      await post(ep.captureUrl, type.split(".")[0]!, s);
      sent++;
    }
  const schemaOf = async (type: string) => {
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/${encodeURIComponent(type)}/schema`, { headers: auth });
    return r.status === 200 ? ZEventSchemaResponse.parse(await r.json()) : null;
  };
  await waitFor(async () => (await schemaOf(byType[byType.length - 1]![0]))?.mergedSeq === sent, "every capture merged");
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const [type, samples] of byType) {
    const s = await schemaOf(type);
    assert.ok(s, type);
    assert.equal(s.samples, samples.length);
    const validate = ajv.compile(s.schema);
    for (const ex of samples) assert.ok(validate(ex), `${type}: ${ajv.errorsText(validate.errors)}`);
  }
  const code = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/code?lang=typescript`, { headers: auth });
  assert.equal(code.status, 200);
  assert.match(await code.text(), /export type WebhookEvent =\n {4}\| \{ type: "/);
  const missing = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/nope/schema`, { headers: auth });
  assert.equal(missing.status, 404);
  assert.match(((await missing.json()) as { error: { message: string } }).error.message, /No schema for "nope"/);

  // Drift: five samples of a type, then one without `id` and with `count` as a string; one with new values only is not flagged.
  const base = (i: number) => ({ type: "order.created", id: `o_${i}`, count: i, tags: ["a"] });
  const send = (body: unknown) =>
    fetch(ep.captureUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
      async (r) => ((await r.json()) as { id: string }).id,
    );
  for (let i = 0; i < 5; i++) await send(base(i));
  const same = await send({ type: "order.created", id: "o_new", count: 99, tags: ["b", "c"] });
  const drifted = await send({ type: "order.created", count: "7", tags: ["a"] });
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const read = async (id: string) =>
      (await client.query<{ drift: unknown }>("SELECT drift FROM captures WHERE id = $1", [id])).rows[0]?.drift;
    await waitFor(async () => (await read(drifted)) != null, "drift recorded");
    assert.deepEqual(await read(drifted), [
      { kind: "type", path: "count", before: ["integer"], after: ["string"] },
      { kind: "removed", path: "id", before: ["string"], after: [] },
    ]);
    assert.equal(await read(same), null);
    // drift:true finds it (and only it among its type: GitHub's examples of one type differ, so some of those drift too); its summary carries the changes.
    const list = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures?q=${encodeURIComponent("drift:true type:order.created")}`, {
      headers: auth,
    });
    const page = (await list.json()) as { items: { id: string; drift?: unknown[] | null }[] };
    assert.deepEqual(
      page.items.map((i) => i.id),
      [drifted],
    );
    assert.equal(page.items[0]!.drift!.length, 2);
    const bad = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures?q=drift:maybe`, { headers: auth });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /use drift:true or drift:false/);
  } finally {
    await client.end();
  }
});

test("Shopify's examples sent as captures (X-Shopify-Topic): each validates against its topic's schema; the code compiles names; drift", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  const topics = [...shopifyByType()].filter(([t]) =>
    ["orders/create", "products/update", "customers/create", "app/uninstalled"].includes(t),
  );
  let sent = 0;
  const postShopify = async (topic: string, body: unknown) => {
    const r = await fetch(ep.captureUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-topic": topic },
      body: JSON.stringify(body),
    });
    assert.ok(r.status < 300, String(r.status));
    sent++;
    return ((await r.json()) as { id: string }).id;
  };
  for (const [topic, samples] of topics) for (const s of samples) await postShopify(topic, s);
  const schemaOf = async (topic: string) => {
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/${encodeURIComponent(topic)}/schema`, { headers: auth });
    return r.status === 200 ? ZEventSchemaResponse.parse(await r.json()) : null;
  };
  await waitFor(async () => (await schemaOf(topics[topics.length - 1]![0]))?.mergedSeq === sent, "every capture merged");
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true });
  addFormats(ajv);
  for (const [topic, samples] of topics) {
    const s = await schemaOf(topic);
    assert.ok(s, topic);
    assert.equal(s.samples, samples.length);
    const validate = ajv.compile(s.schema);
    for (const ex of samples) assert.ok(validate(ex), `${topic}: ${ajv.errorsText(validate.errors)}`);
  }
  const code = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/code?lang=typescript`, { headers: auth });
  assert.match(await code.text(), /\| \{ type: "orders\/create"; payload: OrdersCreate \}/);

  const orders = topics.find(([t]) => t === "orders/create")![1];
  const changed = structuredClone(orders[orders.length - 1]!);
  delete changed.currency;
  changed.total_price = 1234.56;
  const drifted = await postShopify("orders/create", changed);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const read = async () => (await client.query<{ drift: unknown }>("SELECT drift FROM captures WHERE id = $1", [drifted])).rows[0]?.drift;
    await waitFor(async () => (await read()) != null, "drift recorded");
    assert.deepEqual(await read(), [
      { kind: "type", path: "total_price", before: ["string"], after: ["number"] },
      { kind: "removed", path: "currency", before: ["string"], after: [] },
    ]);
  } finally {
    await client.end();
  }
});

test("a schema lists an object's fields in the order the provider sent them, first seen first, nested ones too", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  // Longest first: an order jsonb would not keep (it sorts keys shortest first).
  await post(ep.captureUrl, "ordered", {
    zeta_long_name: 1,
    created_at: "2026-01-01T00:00:00Z",
    nested: { yy: 1, a: 2 },
    id: "a",
    b: true,
  });
  await post(ep.captureUrl, "ordered", {
    zeta_long_name: 2,
    extra_field: "x",
    id: "b",
    b: false,
    nested: { yy: 3, a: 4 },
    created_at: "2026-01-02T00:00:00Z",
  });
  let schema: Record<string, unknown> = {};
  await waitFor(async () => {
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/ordered/schema`, { headers: auth });
    if (r.status !== 200) return false;
    const body = ZEventSchemaResponse.parse(await r.json());
    schema = body.schema;
    return body.samples === 2;
  }, "both merged");
  const props = schema.properties as Record<string, { properties?: Record<string, unknown> }>;
  assert.deepEqual(Object.keys(props), ["zeta_long_name", "created_at", "nested", "id", "b", "extra_field"]);
  assert.deepEqual(Object.keys(props.nested!.properties!), ["yy", "a"]);
});

test("a payload with fields named __proto__ or constructor is merged like any other; the worker goes on past it", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  // Raw JSON text: an object literal with __proto__ would not carry it as a field.
  for (const body of ['{"__proto__": {"n": 1}, "constructor": "x", "id": 1}', '{"constructor": "y", "id": 2}']) {
    const r = await fetch(ep.captureUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-github-event": "odd" },
      body,
    });
    assert.equal(r.status, 200);
  }
  let schema: Record<string, unknown> = {};
  await waitFor(async () => {
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/odd/schema`, { headers: auth });
    if (r.status !== 200) return false;
    // Read as parsed, not through zod: a record schema copies keys by assignment, which drops __proto__.
    const raw = (await r.json()) as { samples: number; schema: Record<string, unknown> };
    schema = raw.schema;
    return raw.samples === 2;
  }, "both merged");
  const props = schema.properties as Record<string, { type?: unknown }>;
  assert.deepEqual(
    Object.entries(props).map(([name, field]) => [name, field.type]),
    [
      ["__proto__", "object"],
      ["constructor", "string"],
      ["id", "integer"],
    ],
  );
  assert.deepEqual(schema.required, ["constructor", "id"]);
});

test("after a restart the worker goes on from its cursor: captures sent while it was off are merged, none twice", async () => {
  await app.stop();
  app = await startApp({ databaseUrl: db.url, env: { SCHEMA_POLL_MS: "0" } });
  const ep = await createEndpoint(app.baseUrl);
  const push = byType.find(([t]) => t === "push")![1];
  for (const s of push) await post(ep.captureUrl, "push", s);
  await app.stop();
  app = await startApp({ databaseUrl: db.url, env: { SCHEMA_POLL_MS: "100" } });
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  let samples = 0;
  await waitFor(async () => {
    const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/push/schema`, { headers: auth });
    if (r.status !== 200) return false;
    samples = ZEventSchemaResponse.parse(await r.json()).samples;
    return true;
  }, "merged after restart");
  assert.equal(samples, push.length);
});

test("SCHEMA_SAMPLE_LIMIT: a type's schema is of its newest N captures; after a restart with another setting it is rebuilt", async () => {
  await app.stop();
  app = await startApp({ databaseUrl: db.url, env: { SCHEMA_POLL_MS: "100", SCHEMA_SAMPLE_LIMIT: "4" } });
  const ep = await createEndpoint(app.baseUrl);
  const auth = { authorization: `Bearer ${ep.managementKey}` };
  const send = async (body: unknown) => {
    const r = await fetch(ep.captureUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    assert.ok(r.status < 300);
  };
  // Three old captures carry `legacy`; the five newest do not and carry `fresh`.
  for (let i = 0; i < 3; i++) await send({ type: "order.created", id: `o_${i}`, legacy: true });
  for (let i = 3; i < 8; i++) await send({ type: "order.created", id: `o_${i}`, fresh: i });
  const schemaOnce = async (window: number) => {
    let s: ReturnType<typeof ZEventSchemaResponse.parse> | null = null;
    await waitFor(async () => {
      const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/event-types/order.created/schema`, { headers: auth });
      if (r.status !== 200) return false;
      s = ZEventSchemaResponse.parse(await r.json());
      return s.mergedSeq === 8 && s.window === window;
    }, `merged with window ${window}`);
    return s!;
  };
  // Sorted: the state is jsonb, which keeps keys in its own order.
  const props = (s: { schema: Record<string, unknown> }) => Object.keys(s.schema.properties as object).sort();

  const windowed = await schemaOnce(4);
  // Rebuilt to the newest 4 once past 4 + 1 (the slack), so 4 or 5 samples, none of them old.
  assert.ok(windowed.samples >= 4 && windowed.samples <= 5, String(windowed.samples));
  assert.deepEqual(props(windowed), ["fresh", "id", "type"]);
  assert.deepEqual((windowed.schema.required as string[]).sort(), ["fresh", "id", "type"]);

  await app.stop();
  app = await startApp({ databaseUrl: db.url, env: { SCHEMA_POLL_MS: "100", SCHEMA_SAMPLE_LIMIT: "0" } });
  const every = await schemaOnce(0);
  assert.equal(every.samples, 8);
  assert.deepEqual(props(every), ["fresh", "id", "legacy", "type"]);

  await app.stop();
  app = await startApp({ databaseUrl: db.url, env: { SCHEMA_POLL_MS: "100", SCHEMA_SAMPLE_LIMIT: "2" } });
  const two = await schemaOnce(2);
  assert.equal(two.samples, 2);
  assert.deepEqual((two.schema.properties as { id: { examples: string[] } }).id.examples, ["o_6", "o_7"]);
});
