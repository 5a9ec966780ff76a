// The group commit's array literals (lib/server/db/array-literal.ts) read back by real PostgreSQL
// as the arrays they were built from: every string, null and number, whatever it holds.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import pg from "pg";
import { arrayLiteral } from "@/lib/server/db/array-literal";
import { adminUrl } from "./support/db";

let client: pg.Client;
before(async () => {
  client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
});
after(async () => {
  await client.end();
});

async function roundTrip(type: string, literal: string): Promise<unknown[]> {
  const { rows } = await client.query<{ a: unknown[] }>(`SELECT $1::${type}[] AS a`, [literal]);
  return rows[0]!.a;
}

// Postgres text cannot hold NUL; everything else can.
const text = fc.string({ unit: "binary", maxLength: 40 }).map((s) => s.replaceAll("\0", ""));

describe("array literals", () => {
  test("strings that array_in treats specially come back as sent, and only a null is NULL", async () => {
    const values = [
      "",
      " ",
      "  padded  ",
      "NULL",
      "null",
      "Null",
      null,
      undefined,
      "a,b",
      "{}",
      "{a}",
      '"',
      '\\"',
      "\\",
      "back\\slash",
      'say "hi"',
      "tab\there",
      "new\nline",
      "[1:2]={x}",
      "/h/slug/path?x=1&y=%20",
      "application/json; charset=utf-8",
      "éèê 漢字 😀",
      "2026-12-08T01:20:00.123456Z",
    ];
    const literal = arrayLiteral(values);
    assert.deepEqual(
      await roundTrip("text", literal),
      values.map((v) => v ?? null),
    );
  });

  test("random strings and nulls come back as sent", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(text), { maxLength: 20 }), async (values) => {
        assert.deepEqual(await roundTrip("text", arrayLiteral(values)), values);
      }),
      { numRuns: 300 },
    );
  });

  test("numbers, booleans, uuids and timestamps keep their types, nulls included", async () => {
    const ints = [1, -2, 0, null, 2_147_483_647];
    assert.deepEqual(await roundTrip("int", arrayLiteral(ints)), ints);
    // Without a null or a quoted element the literal is one join: the same values come back.
    assert.deepEqual(await roundTrip("int", arrayLiteral([1, -0, 42])), [1, 0, 42]);
    assert.deepEqual(await roundTrip("boolean", arrayLiteral([true, false])), [true, false]);
    const big = [Number.MAX_SAFE_INTEGER, null, 0];
    assert.deepEqual(await roundTrip("bigint", arrayLiteral(big)), [String(Number.MAX_SAFE_INTEGER), null, "0"]);
    assert.deepEqual(await roundTrip("boolean", arrayLiteral([true, false, null])), [true, false, null]);
    const ids = ["0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b", null];
    assert.deepEqual(await roundTrip("uuid", arrayLiteral(ids)), ids);
    const { rows } = await client.query<{ t: string[] }>("SELECT $1::timestamptz[]::text[] AS t", [
      arrayLiteral(["2026-12-08T01:20:00.123456Z"]),
    ]);
    assert.match(rows[0]!.t[0]!, /^2026-12-08 01:20:00\.123456\+00$/);
  });

  test("a number that is not finite is refused by an int column, as pg's own encoding is", async () => {
    await assert.rejects(roundTrip("int", arrayLiteral([Number.NaN])), /invalid input syntax for type integer: "NaN"/);
    await assert.rejects(
      roundTrip("int", arrayLiteral([1, Number.POSITIVE_INFINITY])),
      /invalid input syntax for type integer: "Infinity"/,
    );
  });
});
