// Generated fields: named as the payload names them (even "title" or "examples", which are also
// JSON Schema keywords) with the type inferred for them, in the order they were first seen.
import assert from "node:assert/strict";
import { test } from "node:test";
import ts from "typescript";
import { emptySchemaState, mergeSample, renderSchema } from "@/lib/shared/schema/infer";
import { generateCode } from "./codegen";

const state = emptySchemaState();
mergeSample(state, { zeta: 1, title: "Bug", examples: ["a"], format: "date", id: 2, nested: { title: "t", b: true } });
const schemas = [{ type: "issues.opened", schema: renderSchema(state, "issues.opened") }];

/** The members of `export interface <name> { … }`, as [name, type] pairs. */
function members(code: string, name: string): [string, string][] {
  const body = new RegExp(`export interface ${name} \\{\\n([^}]*)\\}`).exec(code)?.[1];
  assert.ok(body, `interface ${name} in:\n${code}`);
  return [...body.matchAll(/^\s+(\w+):\s+([^;]+);$/gm)].map((m) => [m[1]!, m[2]!]);
}

test("TypeScript: every field keeps its name and type, in first-seen order, nested objects too", async () => {
  const { code } = await generateCode("typescript", schemas);
  assert.deepEqual(members(code, "IssuesOpened"), [
    ["zeta", "number"],
    ["title", "string"],
    ["examples", "string[]"],
    ["format", "string"],
    ["id", "number"],
    ["nested", "Nested"],
  ]);
  assert.deepEqual(members(code, "Nested"), [
    ["title", "string"],
    ["b", "boolean"],
  ]);
});

test("zod: the same fields, types and order", async () => {
  const { code } = await generateCode("zod", schemas);
  const fields = (name: string) => {
    const body = new RegExp(`export const ${name} = z\\.object\\(\\{\\n([^}]*)\\}\\)`).exec(code)?.[1];
    assert.ok(body, `${name} in:\n${code}`);
    return [...body.matchAll(/^\s+"(\w+)": (.+),$/gm)].map((m) => [m[1]!, m[2]!]);
  };
  assert.deepEqual(fields("IssuesOpenedSchema"), [
    ["zeta", "z.number()"],
    ["title", "z.string()"],
    ["examples", "z.array(z.string())"],
    ["format", "z.string()"],
    ["id", "z.number()"],
    ["nested", "NestedSchema"],
  ]);
  assert.deepEqual(fields("NestedSchema"), [
    ["title", "z.string()"],
    ["b", "z.boolean()"],
  ]);
});

test("an event type is text in the generated code, never code: a '*/' in it does not end the comment it is named in", async () => {
  // Only {} seen: the type is named in a hand-written comment (quicktype escapes its own).
  const hostile = "push*/ export const injected = 1; /*";
  const { code } = await generateCode("typescript", [{ type: hostile, schema: renderSchema(emptySchemaState(), hostile) }]);
  const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const exports: Record<string, unknown> = {};
  new Function("exports", js)(exports);
  assert.deepEqual(Object.keys(exports), [], js);
  assert.ok(code.includes(`"push*\\/ export const injected = 1; /*"`), code);
});
