// `npm test` finds a Chromium by itself (CHROMIUM_PATH, the system's chromium, Playwright's own
// download) and, when there is none, stops before any stage with one line saying how to get one.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";

const empty = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-no-browser-"));
const withBrowser = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-browser-"));
after(() => {
  fs.rmSync(empty, { recursive: true, force: true });
  fs.rmSync(withBrowser, { recursive: true, force: true });
});

/** Runs a script with no chromium on PATH and no Playwright download (an empty browsers folder). */
function run(script: string, env: Record<string, string> = {}, pathDirs = [empty]) {
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: pathDirs.join(":"), PLAYWRIGHT_BROWSERS_PATH: empty, ...env };
  if (!("CHROMIUM_PATH" in env)) delete base.CHROMIUM_PATH;
  delete base.SKIP_STAGES;
  return spawnSync(process.execPath, [script], { env: base, encoding: "utf8", timeout: 60_000 });
}

const lines = (text: string) => text.split("\n").filter((l) => l.trim());

test("no browser anywhere: npm test stops before its first stage with one line naming apt-get, CHROMIUM_PATH and playwright install", () => {
  const r = run("scripts/test.mjs");
  assert.equal(r.status, 1);
  assert.equal(r.stdout, "", "no stage ran");
  assert.equal(lines(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, /apt-get install chromium/);
  assert.match(r.stderr, /CHROMIUM_PATH=/);
  assert.match(r.stderr, /npx playwright install chromium/);
});

test("a CHROMIUM_PATH that points nowhere is named in that line", () => {
  const r = run("scripts/find-chromium.mjs", { CHROMIUM_PATH: "/no/such/chrome" });
  assert.equal(r.status, 1);
  assert.equal(lines(r.stderr).length, 1, r.stderr);
  assert.match(r.stderr, /^CHROMIUM_PATH=\/no\/such\/chrome does not exist\./);
});

test("CHROMIUM_PATH first, then a chromium on PATH", () => {
  const fake = path.join(withBrowser, "chromium");
  fs.writeFileSync(fake, "#!/bin/sh\n", { mode: 0o755 });
  const byEnv = run("scripts/find-chromium.mjs", { CHROMIUM_PATH: fake });
  assert.equal(byEnv.status, 0, byEnv.stderr);
  assert.equal(byEnv.stdout.trim(), fake);
  // `command -v` needs a shell: keep the system's bin folders, with ours first.
  const onPath = run("scripts/find-chromium.mjs", {}, [withBrowser, "/usr/bin", "/bin"]);
  assert.equal(onPath.status, 0, onPath.stderr);
  assert.equal(onPath.stdout.trim(), fake);
});
