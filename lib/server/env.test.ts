// Every setting lib/server/env.ts reads has a row in the settings table of docs/settings.md, and the
// defaults there are the ones the schema applies.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { ZEnv } from "./env";

/** The first table of docs/settings.md (up to its first "## " section) as variable → default column text. */
function documentedSettings(): Map<string, string> {
  const doc = fs.readFileSync("docs/settings.md", "utf8");
  const end = doc.indexOf("\n## ");
  const section = end < 0 ? doc : doc.slice(0, end);
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z_]+)`\s*\|([^|]*)\|/gm)) rows.set(m[1]!, m[2]!.trim());
  return rows;
}

test("every setting in lib/server/env.ts is documented in the settings table of docs/settings.md, and nothing else is", () => {
  const documented = documentedSettings();
  const read = Object.keys(ZEnv.shape);
  for (const name of read) assert.ok(documented.has(name), `${name} is read by lib/server/env.ts but missing from docs/settings.md`);
  for (const name of documented.keys())
    assert.ok(read.includes(name), `docs/settings.md lists ${name}, which lib/server/env.ts does not read`);
});

test("the defaults in docs/settings.md are the schema's defaults", () => {
  const documented = documentedSettings();
  const defaults = ZEnv.parse({});
  for (const [name, value] of Object.entries(defaults)) {
    if (value === undefined) continue;
    const shown = documented.get(name)!;
    assert.ok(
      shown.startsWith(`\`${String(value)}\``),
      `${name}: docs/settings.md shows ${shown}, lib/server/env.ts defaults to ${String(value)}`,
    );
  }
});
