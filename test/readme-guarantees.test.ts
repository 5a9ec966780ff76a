// The README's "Guarantees" section names, for each promise, the tests that prove it
// (`file` › test name › …). A renamed or deleted test would leave the promise unproved without
// anyone noticing, so this reads the section and checks every named file exists and every named
// title is a test() or describe() in it (a title built from a template matches with its ${…}
// parts as wildcards). No server or database: it only reads files.
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";

const README = fs.readFileSync("README.md", "utf8");

function guaranteesSection(): string {
  const start = README.indexOf("\n## Guarantees\n");
  assert.ok(start >= 0, "README has a ## Guarantees section");
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** Titles of test(), it() and describe() calls in a file, as written (string or template literal). */
function titlesIn(file: string): string[] {
  const src = fs.readFileSync(file, "utf8");
  const titles: string[] = [];
  for (const m of src.matchAll(/\b(?:test|it|describe)(?:\.\w+)?\(\s*(["'`])((?:\\.|(?!\1)[^\\])*)\1/g)) titles.push(m[2]!);
  return titles;
}

function matchesTitle(name: string, title: string): boolean {
  if (name === title) return true;
  if (!title.includes("${")) return false;
  const pattern = title
    .split(/\$\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&"))
    .join(".+");
  return new RegExp(`^${pattern}$`).test(name);
}

/** Every (file, test name) a "proved by" cell names: `file` › name › name; `file` › name; … */
function citations(): { file: string; name: string; row: string }[] {
  const out: { file: string; name: string; row: string }[] = [];
  for (const row of guaranteesSection().split("\n")) {
    if (!row.startsWith("|") || /^\|\s*-/.test(row)) continue;
    const cells = row.split("|").map((c) => c.trim());
    const cell = cells[cells.length - 2] ?? "";
    let file: string | null = null;
    for (const part of cell.split(/(`[^`]+\.tsx?`)/)) {
      const f = /^`([^`]+\.tsx?)`$/.exec(part);
      if (f) {
        file = f[1]!;
        out.push({ file, name: "", row: cells[1] ?? "" });
        continue;
      }
      for (const raw of part.split("›").slice(1)) {
        // A name runs to the next › (a trailing "; " or ", " separates it from the next file).
        const name = raw.replace(/[;,]\s*$/, "").trim();
        if (name && file) out.push({ file, name, row: cells[1] ?? "" });
      }
    }
  }
  return out;
}

test("the Guarantees section cites tests for its promises", () => {
  const cited = citations();
  assert.ok(cited.filter((c) => c.name).length >= 30, `only ${cited.length} citations found: is the table format still the same?`);
});

test("every file the Guarantees section cites exists, and every test it names is in that file", () => {
  const problems: string[] = [];
  const cache = new Map<string, string[]>();
  for (const { file, name, row } of citations()) {
    if (!fs.existsSync(file)) {
      problems.push(`${file} (cited for "${row.slice(0, 60)}…") does not exist`);
      continue;
    }
    if (!name) continue;
    if (!cache.has(file)) cache.set(file, titlesIn(file));
    if (!cache.get(file)!.some((t) => matchesTitle(name, t))) problems.push(`${file} has no test named "${name}"`);
  }
  assert.deepEqual(problems, []);
});
