// prisma/schema.prisma (what the Prisma client believes) against a database built by
// prisma/migrations (what actually exists). Drift between the two surfaces as a failing query
// at run time, so it is caught here.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { createTestDatabase, dropDatabase } from "./support/db";
import { compareSchemaWithDatabase, expectedColumnType, parsePrismaSchema, scalarFields, type PrismaModel } from "./support/prisma-schema";

const SCHEMA = fs.readFileSync(path.resolve("prisma/schema.prisma"), "utf8");

let db: { name: string; url: string };
let client: pg.Client;

before(async () => {
  db = await createTestDatabase("schema");
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
after(async () => {
  await client?.end();
  await dropDatabase(db.name);
});

/** The schema with `edit` applied to one line of model `model`; fails loudly if the line is not there. */
function editSchema(find: string, replace: string): PrismaModel[] {
  assert.ok(SCHEMA.includes(find), `schema.prisma no longer contains "${find}"; update this test`);
  return parsePrismaSchema(SCHEMA.replace(find, replace));
}

describe("the schema reader", () => {
  const models = parsePrismaSchema(SCHEMA);
  const endpoint = models.find((m) => m.name === "Endpoint")!;
  const capture = models.find((m) => m.name === "Capture")!;

  test("finds the models with their table names", () => {
    // Later models follow these two; each is checked against the database below.
    assert.deepEqual(
      models.slice(0, 2).map((m) => [m.name, m.table]),
      [
        ["Endpoint", "endpoints"],
        ["Capture", "captures"],
      ],
    );
  });

  test("reads @map, optionality, native types, ids, uniques and relations", () => {
    const field = (m: PrismaModel, n: string) => m.fields.find((f) => f.name === n)!;
    assert.equal(field(endpoint, "keyHash").column, "key_hash");
    assert.equal(field(endpoint, "lastCaptureAt").optional, true);
    assert.equal(field(endpoint, "name").optional, false);
    assert.deepEqual(field(endpoint, "id").native, { name: "Uuid", args: [] });
    assert.deepEqual(field(endpoint, "createdAt").native, { name: "Timestamptz", args: ["6"] });
    assert.equal(field(endpoint, "id").id, true);
    assert.equal(field(endpoint, "slug").unique, true);
    assert.equal(field(endpoint, "responseHeaders").default, '"[]"');
    assert.equal(field(endpoint, "captures").list, true);
    assert.deepEqual(capture.compoundUniques, [["endpointId", "seq"]]);
    assert.deepEqual(field(capture, "endpoint").relation, { fields: ["endpointId"], references: ["id"], onDelete: "Cascade" });
  });

  test("skips list and relation fields when listing columns", () => {
    assert.ok(!scalarFields(endpoint).some((f) => f.name === "captures"));
    assert.ok(!scalarFields(capture).some((f) => f.name === "endpoint"));
    assert.ok(scalarFields(capture).some((f) => f.name === "endpointId"));
  });

  test("maps Prisma types to the Postgres types migrations create", () => {
    const type = (m: PrismaModel, n: string) => expectedColumnType(m.fields.find((f) => f.name === n)!);
    assert.deepEqual(type(endpoint, "slug"), { dataType: "text" });
    assert.deepEqual(type(endpoint, "id"), { dataType: "uuid" });
    assert.deepEqual(type(endpoint, "captureCount"), { dataType: "integer" });
    assert.deepEqual(type(endpoint, "captureSeq"), { dataType: "bigint" });
    assert.deepEqual(type(capture, "oversize"), { dataType: "boolean" });
    assert.deepEqual(type(capture, "receivedAt"), { dataType: "timestamp with time zone", precision: 6 });
    assert.deepEqual(type(capture, "headers"), { dataType: "jsonb" });
    assert.deepEqual(type(capture, "body"), { dataType: "bytea" });
  });

  test("refuses constructs it cannot check instead of skipping them", () => {
    assert.throws(() => parsePrismaSchema(`${SCHEMA}\nenum Color {\n  RED\n}\n`), /enum Color: not supported/);
    assert.throws(() => editSchema("  oversize       Boolean", "  weird          Unsupported"), /type Unsupported is not supported/);
  });
});

describe("schema.prisma against the migrated database", () => {
  test("every model, field, key, index and foreign key matches the migrations", async () => {
    const problems = await compareSchemaWithDatabase(parsePrismaSchema(SCHEMA), client);
    assert.deepEqual(problems, []);
  });

  test("a field added to the schema without a migration is reported", async () => {
    const models = editSchema("  name                String\n", "  name                String\n  description         String?\n");
    assert.deepEqual(await compareSchemaWithDatabase(models, client), ["Endpoint.description (endpoints.description): column is missing"]);
  });

  test("a field removed from the schema (column left behind) is reported", async () => {
    const models = editSchema("  oversize       Boolean  @default(false)\n", "");
    assert.deepEqual(await compareSchemaWithDatabase(models, client), [
      "captures.oversize: column exists in the database but not in model Capture",
    ]);
  });

  test("optionality, type, precision and @map mismatches are reported", async () => {
    let models = editSchema("  query          String?\n", "  query          String\n");
    assert.deepEqual(await compareSchemaWithDatabase(models, client), [
      "Capture.query (captures.query): column is NULL, the model says required",
    ]);

    models = editSchema("  bodySize       Int      @map", "  bodySize       BigInt   @map");
    assert.deepEqual(await compareSchemaWithDatabase(models, client), [
      "Capture.bodySize (captures.body_size): type is integer, the model says bigint",
    ]);

    models = editSchema('@map("received_at") @db.Timestamptz(6)', '@map("received_at") @db.Timestamptz(3)');
    assert.deepEqual(await compareSchemaWithDatabase(models, client), [
      "Capture.receivedAt (captures.received_at): precision is 6, the model says 3",
    ]);

    models = editSchema('@map("key_hash")', '@map("key_digest")');
    assert.deepEqual(await compareSchemaWithDatabase(models, client), [
      "Endpoint.keyHash (endpoints.key_digest): column is missing",
      "endpoints.key_hash: column exists in the database but not in model Endpoint",
      // The model's @@index([keyHash]) now names a column the database does not have.
      "model Endpoint: no index on (key_digest)",
    ]);
  });

  test("a unique constraint, index or delete rule without a migration is reported", async () => {
    let models = editSchema("  @@unique([endpointId, seq])\n", "  @@unique([endpointId, seq])\n  @@index([receivedAt])\n");
    assert.deepEqual(await compareSchemaWithDatabase(models, client), ["model Capture: no index on (received_at)"]);

    models = editSchema('  keyHash             String    @map("key_hash")', '  keyHash             String    @unique @map("key_hash")');
    assert.deepEqual(await compareSchemaWithDatabase(models, client), ["model Endpoint: no unique index on (key_hash)"]);

    models = editSchema("onDelete: Cascade", "onDelete: Restrict");
    assert.deepEqual(await compareSchemaWithDatabase(models, client), ["Capture.endpoint: ON DELETE CASCADE, the model says Restrict"]);
  });

  test("a @default without a column default is reported", async () => {
    await client.query(`ALTER TABLE captures ALTER COLUMN oversize DROP DEFAULT`);
    try {
      assert.deepEqual(await compareSchemaWithDatabase(parsePrismaSchema(SCHEMA), client), [
        "Capture.oversize (captures.oversize): the model has @default(false) but the column has no default",
      ]);
    } finally {
      await client.query(`ALTER TABLE captures ALTER COLUMN oversize SET DEFAULT false`);
    }
  });

  test("a table no model describes is reported", async () => {
    await client.query(`CREATE TABLE stray (id int)`);
    try {
      assert.deepEqual(await compareSchemaWithDatabase(parsePrismaSchema(SCHEMA), client), [
        "table stray exists in the database but has no model",
      ]);
    } finally {
      await client.query(`DROP TABLE stray`);
    }
  });
});
