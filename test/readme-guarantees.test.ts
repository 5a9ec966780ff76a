// The docs name files and tests, and a renamed or deleted one would leave them pointing at nothing
// without anyone noticing. docs/guarantees.md names, for each promise, the tests that prove it
// (`file` › test name › …): every named file must exist and every named title be a test() or
// describe() in it (a title built from a template matches with its ${…} parts as wildcards). Every
// doc (README.md, CONTRIBUTING.md, ARCHITECTURE.md, docs/*.md) must cite only repo paths that
// exist (`lib/x/y.ts`, `test/a.test.ts`, …; none outside the repository) and link only to files and
// headings that exist.
// No server or database: it only reads files.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";

const GUARANTEES = "docs/guarantees.md";
const DOCS = [
  "README.md",
  "CONTRIBUTING.md",
  "ARCHITECTURE.md",
  ...fs
    .readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

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

/** Every (file, test name) a table's last cell names: `file` › name › name; `file` › name; … */
function citations(doc: string): { file: string; name: string; row: string }[] {
  const out: { file: string; name: string; row: string }[] = [];
  for (const row of fs.readFileSync(doc, "utf8").split("\n")) {
    if (!row.startsWith("|") || /^\|\s*-/.test(row) || !row.includes("›")) continue;
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
        // Markdown escapes (\_\_proto\_\_, which prettier would otherwise turn bold) are read as the text they stand for.
        const name = raw
          .replace(/[;,]\s*$/, "")
          .replace(/\\([\\`*_[\]()#+.!-])/g, "$1")
          .trim();
        if (name && file) out.push({ file, name, row: cells[1] ?? "" });
      }
    }
  }
  return out;
}

/** A doc's prose: fenced code blocks removed (their comments are shell, not citations). */
function prose(doc: string): string {
  return fs.readFileSync(doc, "utf8").replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
}

/** The repository's top-level folders: a cited path starting with one of them is a repo path. */
const TOP_FOLDERS = new Set(
  fs
    .readdirSync(".", { withFileTypes: true })
    .filter((d) => d.isDirectory() && !/^(node_modules|\.git|\.next.*|\.data|test-results|playwright-report)$/.test(d.name))
    .map((d) => d.name),
);

/** Backticked spans that look like a repo path: `lib/server/db/captures.ts`, `prisma/migrations/`; no wildcards or placeholders. */
function citedPaths(doc: string): string[] {
  const out: string[] = [];
  for (const m of prose(doc).matchAll(/`([^`\n]+)`/g)) {
    const span = m[1]!;
    if (!/^[\w.-]+(\/[\w.()[\]-]+)+\/?$/.test(span)) continue;
    // `../x` is outside the repository: a reader of a clone has no such file.
    if (span.startsWith("../") || TOP_FOLDERS.has(span.split("/")[0]!)) out.push(span);
  }
  return out;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsIn(doc: string): Set<string> {
  return new Set([...prose(doc).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((m) => slug(m[1]!)));
}

test("the Guarantees page cites tests for its promises", () => {
  const cited = citations(GUARANTEES);
  assert.ok(cited.filter((c) => c.name).length >= 30, `only ${cited.length} citations found: is the table format still the same?`);
});

test("every file the Guarantees page (or any doc's table) cites exists, and every test it names is in that file", () => {
  const problems: string[] = [];
  const cache = new Map<string, string[]>();
  for (const doc of DOCS) {
    for (const { file, name, row } of citations(doc)) {
      if (!fs.existsSync(file)) {
        problems.push(`${doc}: ${file} (cited for "${row.slice(0, 60)}…") does not exist`);
        continue;
      }
      if (!name) continue;
      if (!cache.has(file)) cache.set(file, titlesIn(file));
      if (!cache.get(file)!.some((t) => matchesTitle(name, t))) problems.push(`${doc}: ${file} has no test named "${name}"`);
    }
  }
  assert.deepEqual(problems, []);
});

test("every repo path a doc cites in backticks exists", () => {
  const problems: string[] = [];
  let count = 0;
  for (const doc of DOCS) {
    for (const cited of citedPaths(doc)) {
      count++;
      if (cited.startsWith("../")) problems.push(`${doc} cites \`${cited}\`, which is outside the repository`);
      else if (!fs.existsSync(cited)) problems.push(`${doc} cites \`${cited}\`, which does not exist`);
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(count >= 50, `only ${count} cited paths found: is the pattern still right?`);
});

test("every relative link in the docs reaches a file, and a heading when it names one", () => {
  const problems: string[] = [];
  for (const doc of DOCS) {
    for (const m of prose(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/i.test(target)) continue;
      const [file, anchor] = target.split("#") as [string, string | undefined];
      const resolved = file ? path.join(path.dirname(doc), file) : doc;
      if (resolved.startsWith("..")) {
        problems.push(`${doc} links to ${target}, which is outside the repository`);
        continue;
      }
      if (!fs.existsSync(resolved)) {
        problems.push(`${doc} links to ${target}: ${resolved} does not exist`);
        continue;
      }
      if (anchor && resolved.endsWith(".md") && !anchorsIn(resolved).has(anchor)) {
        problems.push(`${doc} links to ${target}: ${resolved} has no heading #${anchor}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});
