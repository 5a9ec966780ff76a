// Every setting lib/env.ts reads has a row in the README's settings table, and the defaults
// there are the ones the schema applies.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { ZEnv } from "./env";

/** The README's "## Settings" table as variable → default column text. */
function readmeSettings(): Map<string, string> {
  const readme = fs.readFileSync("README.md", "utf8");
  const section = readme.slice(readme.indexOf("\n## Settings\n"), readme.indexOf("\n## ", readme.indexOf("\n## Settings\n") + 1));
  const rows = new Map<string, string>();
  for (const m of section.matchAll(/^\| `([A-Z_]+)`\s*\|([^|]*)\|/gm)) rows.set(m[1]!, m[2]!.trim());
  return rows;
}

test("every setting in lib/env.ts is documented in the README's settings table, and nothing else is", () => {
  const documented = readmeSettings();
  const read = Object.keys(ZEnv.shape);
  for (const name of read) assert.ok(documented.has(name), `${name} is read by lib/env.ts but missing from README → Settings`);
  for (const name of documented.keys()) assert.ok(read.includes(name), `README → Settings lists ${name}, which lib/env.ts does not read`);
});

test("the README's defaults are the schema's defaults", () => {
  const documented = readmeSettings();
  const defaults = ZEnv.parse({});
  for (const [name, value] of Object.entries(defaults)) {
    if (value === undefined) continue;
    const shown = documented.get(name)!;
    assert.ok(shown.startsWith(`\`${String(value)}\``), `${name}: README shows ${shown}, lib/env.ts defaults to ${String(value)}`);
  }
});
