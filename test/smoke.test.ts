import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase();
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  await dropDatabase(db.name);
});

test("a request to the capture URL is stored and listed", async () => {
  const ep = await createEndpoint(app.baseUrl);
  const r = await fetch(`${ep.captureUrl}/x?y=1`, { method: "POST", body: "hi" });
  assert.equal(r.status, 200);
  const list = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures`, { headers: { authorization: `Bearer ${ep.managementKey}` } });
  const page = (await list.json()) as { items: { path: string; query: string }[] };
  assert.equal(page.items[0]?.path, "/x");
  assert.equal(page.items[0]?.query, "y=1");
});
