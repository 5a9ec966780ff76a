// The OpenAPI document: valid OpenAPI 3.1 (checked against the official schema), served at
// /api/openapi.json, and listing every route file under app/api with each method it exports
// (and nothing that does not exist), so a new route without a description fails here.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { buildOpenApiDocument } from "@/lib/shared/openapi/document";
import { findApiRoutes } from "./support/api-routes";
import { startApp, type RunningApp } from "./support/app";
import { createTestDatabase, dropDatabase } from "./support/db";

let app: RunningApp;
let db: { name: string; url: string };

before(async () => {
  db = await createTestDatabase("openapi");
  app = await startApp({ databaseUrl: db.url });
});
after(async () => {
  await app?.stop();
  if (db) await dropDatabase(db.name);
});

/** "/api/endpoints/[id]/secrets/[secretId]" → "/api/endpoints/{id}/secrets/{secretId}" */
const toOpenApiPath = (pattern: string) => pattern.replace(/\[(\w+)\]/g, "{$1}");

async function served(): Promise<ReturnType<typeof buildOpenApiDocument>> {
  const r = await fetch(`${app.baseUrl}/api/openapi.json`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type")!, /^application\/json/);
  return (await r.json()) as ReturnType<typeof buildOpenApiDocument>;
}

test("the served document is valid OpenAPI 3.1 and names this server", async () => {
  const doc = await served();
  assert.equal(doc.openapi, "3.1.0");
  const validator = new Validator();
  const res = await validator.validate(doc as unknown as Parameters<Validator["validate"]>[0]);
  assert.ok(res.valid, JSON.stringify(res.errors, null, 2)?.slice(0, 2000));
  assert.equal(validator.version, "3.1");
  assert.deepEqual(doc.servers, [{ url: app.baseUrl }]);
  // Every $ref points at a schema that exists.
  for (const [, name] of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
    assert.ok(doc.components.schemas[name!], `missing component ${name}`);
  }
});

test("every route file and every method it exports is in the document, and the document lists nothing else", async () => {
  const doc = await served();
  const onDisk = new Set<string>();
  for (const r of findApiRoutes()) {
    if (r.pattern.includes("[...")) continue; // the JSON 404 for unknown API paths
    for (const m of r.methods) {
      if (m === "HEAD" || m === "OPTIONS") continue;
      const key = `${m.toLowerCase()} ${toOpenApiPath(r.pattern)}`;
      onDisk.add(key);
      assert.ok(
        doc.paths[toOpenApiPath(r.pattern)]?.[m.toLowerCase()],
        `${m} ${r.pattern} (${r.file}) is not in lib/shared/openapi/operations/ (add it to its resource file)`,
      );
    }
  }
  for (const [p, ops] of Object.entries(doc.paths)) {
    for (const m of Object.keys(ops))
      assert.ok(onDisk.has(`${m} ${p}`), `the document lists ${m.toUpperCase()} ${p}, which no route file exports`);
  }
  assert.ok(onDisk.size >= 20, `found ${onDisk.size} operations on disk`);
});

test("documented parameters are the ones the routes validate: wait's timeout bounds, export's formats, the list's limit", () => {
  const doc = buildOpenApiDocument("http://example.test");
  const param = (p: string, name: string) =>
    (doc.paths[p]!.get!.parameters as { name: string; required: boolean; schema: Record<string, unknown> }[]).find((x) => x.name === name)!;
  const timeout = param("/api/endpoints/{id}/captures/wait", "timeout").schema;
  assert.equal(timeout.minimum, 0);
  assert.equal(timeout.maximum, 60);
  assert.equal(timeout.default, 30);
  assert.deepEqual(param("/api/endpoints/{id}/export", "format").schema.enum, ["har", "ndjson"]);
  assert.equal(param("/api/endpoints/{id}/export", "format").required, true);
  assert.equal(param("/api/endpoints/{id}/captures", "limit").schema.maximum, 500);
});
