// The capture path's endpoint lookup (getEndpointForCapture) against a real PostgreSQL: misses
// that arrive together share one query, and every caller still gets its own endpoint (or null).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createTestDatabase, dropDatabase } from "./support/db";

let db: { name: string; url: string };
let endpoints: typeof import("@/lib/server/db/endpoints");
let client: typeof import("@/lib/server/db/client");

before(async () => {
  db = await createTestDatabase("lookup");
  process.env.DATABASE_URL = db.url;
  endpoints = await import("@/lib/server/db/endpoints");
  client = await import("@/lib/server/db/client");
});
after(async () => {
  await client?.closeDb();
  if (db) await dropDatabase(db.name);
});

test("concurrent lookups of many slugs, known and unknown, each get the right answer", async () => {
  const created = await Promise.all(
    Array.from({ length: 120 }, (_, i) => endpoints.createEndpoint({ name: `lookup ${i}`, response: { status: 200 + (i % 50) } })),
  );
  const unknown = Array.from({ length: 40 }, (_, i) => `nobody-${i}-here`);
  // Three requests per known slug at once (a hot endpoint whose cache entry expired), in shuffled order.
  const asks = [...created.flatMap((c) => [c.endpoint.slug, c.endpoint.slug, c.endpoint.slug]), ...unknown].sort(() => Math.random() - 0.5);
  const answers = await Promise.all(asks.map((slug) => endpoints.getEndpointForCapture(slug)));
  const bySlug = new Map(created.map((c) => [c.endpoint.slug, c.endpoint]));
  asks.forEach((slug, i) => {
    const want = bySlug.get(slug);
    const got = answers[i];
    if (!want) return assert.equal(got, null, slug);
    assert.equal(got?.id, want.id, slug);
    assert.equal(got?.slug, slug);
    assert.equal(got?.response.status, want.responseStatus);
  });
});

test("a settings change is seen by the next lookup (the cache entry is invalidated)", async () => {
  const { endpoint } = await endpoints.createEndpoint({ name: "changing" });
  assert.equal((await endpoints.getEndpointForCapture(endpoint.slug))?.response.status, 200);
  await endpoints.updateEndpoint(endpoint.id, { response: { status: 202 } });
  assert.equal((await endpoints.getEndpointForCapture(endpoint.slug))?.response.status, 202);
  await endpoints.deleteEndpointById(endpoint.id);
  assert.equal(await endpoints.getEndpointForCapture(endpoint.slug), null);
});
