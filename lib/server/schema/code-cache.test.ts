// The generated-code cache: the same endpoint, type, language and schema revision run quicktype
// once; a new revision (a merge moved updated_at) runs it again; concurrent callers share a run.
import assert from "node:assert/strict";
import { test } from "node:test";
import { cachedCode, codeCacheRuns, schemaRevision } from "./code-cache";
import { generateCode } from "./codegen";

test("a second request for the same schema revision does not regenerate; a new revision does", async () => {
  const schema = { type: "object", properties: { id: { type: "integer" } }, required: ["id"] };
  let generated = 0;
  const get = (updatedAt: string) =>
    cachedCode(`ep\u0000\u0000typescript\u0000${schemaRevision([{ type: "order.created", updatedAt }])}`, async () => {
      generated++;
      return (await generateCode("typescript", [{ type: "order.created", schema }])).code;
    });
  const before = codeCacheRuns();
  const [a, b] = await Promise.all([get("2026-12-06T15:20:00.000001Z"), get("2026-12-06T15:20:00.000001Z")]);
  const c = await get("2026-12-06T15:20:00.000001Z");
  assert.equal(generated, 1);
  assert.equal(codeCacheRuns() - before, 1);
  assert.equal(a, b);
  assert.equal(a, c);
  assert.match(a, /export interface OrderCreated/);
  await get("2026-12-06T15:20:01.000000Z");
  assert.equal(generated, 2, "a merge (new updated_at) regenerates");
  assert.notEqual(
    schemaRevision([{ type: "a", updatedAt: "1" }]),
    schemaRevision([
      { type: "a", updatedAt: "1" },
      { type: "b", updatedAt: "1" },
    ]),
  );
});

test("a failed generation is not cached", async () => {
  await assert.rejects(
    cachedCode("fails", () => Promise.reject(new Error("boom"))),
    /boom/,
  );
  assert.equal(await cachedCode("fails", async () => "ok"), "ok");
});
