// The CLI without a clone: the instance serves `hookscope` as an npm tarball at
// /cli/hookscope.tgz. Checked as a user outside the repository meets it: the system's tar
// extracts it, it declares no dependencies and its code imports nothing but Node's built-ins,
// and `npx <tarball URL>` run from an empty directory prints the instance's version and sends a
// signed sample event that the instance captures.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { builtinModules } from "node:module";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { after, before, test } from "node:test";
import { createEndpoint, startApp, type RunningApp } from "./support/app";
import { listCaptures, getCapture } from "./support/captures";
import { createTestDatabase, dropDatabase } from "./support/db";

const run = promisify(execFile);

let db: { name: string; url: string };
let app: RunningApp;
let dir: string;
let url: string;
const ours = JSON.parse(await fs.readFile("package.json", "utf8")) as { version: string };

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "hookscope-cli-pkg-"));
  db = await createTestDatabase("clipkg");
  app = await startApp({ databaseUrl: db.url });
  url = `${app.baseUrl}/cli/hookscope.tgz`;
});
after(async () => {
  await app?.stop();
  await dropDatabase(db.name);
  await fs.rm(dir, { recursive: true, force: true });
});

/** `npx <tarball URL> …` from an empty directory, with a cache of its own (nothing from the clone). */
function npx(args: string[]) {
  return run("npx", ["--yes", "--cache", path.join(dir, "npm-cache"), url, ...args], {
    cwd: path.join(dir, "elsewhere"),
    env: { ...process.env, npm_config_update_notifier: "false", HOOKSCOPE_STATE_DIR: path.join(dir, "state") },
    timeout: 120_000,
  });
}

test("GET /cli/hookscope.tgz: a gzip tarball with an ETag; If-None-Match gets 304, HEAD no body, POST 405", async () => {
  const r = await fetch(url);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "application/gzip");
  const bytes = Buffer.from(await r.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], "gzip magic");
  assert.equal(Number(r.headers.get("content-length")), bytes.length);
  const etag = r.headers.get("etag");
  assert.ok(etag);
  assert.equal((await fetch(url, { headers: { "If-None-Match": etag } })).status, 304);
  const head = await fetch(url, { method: "HEAD" });
  assert.equal(head.status, 200);
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  const post = await fetch(url, { method: "POST" });
  assert.equal(post.status, 405);
  assert.match(((await post.json()) as { error: { message: string } }).error.message, /GET and HEAD/);
  assert.deepEqual(Buffer.from(await (await fetch(url)).arrayBuffer()), bytes, "the same bytes every time");
  await fs.writeFile(path.join(dir, "hookscope.tgz"), bytes);
});

test("the tarball is an npm package of this version with no dependencies: its code imports only Node built-ins", async () => {
  await fs.mkdir(path.join(dir, "x"), { recursive: true });
  await run("tar", ["-xzf", path.join(dir, "hookscope.tgz"), "-C", path.join(dir, "x")]);
  const manifest = JSON.parse(await fs.readFile(path.join(dir, "x/package/package.json"), "utf8")) as Record<string, unknown>;
  assert.equal(manifest.name, "hookscope");
  assert.equal(manifest.version, ours.version);
  assert.deepEqual(manifest.bin, { hookscope: "cli.mjs" });
  for (const key of ["dependencies", "peerDependencies", "optionalDependencies", "scripts"]) assert.equal(manifest[key], undefined, key);
  const cli = await fs.readFile(path.join(dir, "x/package/cli.mjs"), "utf8");
  assert.ok(cli.startsWith("#!/usr/bin/env node\n"));
  assert.ok(((await fs.stat(path.join(dir, "x/package/cli.mjs"))).mode & 0o111) !== 0, "executable");
  // `from` as a keyword, not the end of a string literal (zod's discriminatedUnion("from", …) is bundled too).
  const specifiers = [...cli.matchAll(/(?:(?<!["'])\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1]!);
  assert.ok(specifiers.length > 0);
  const builtins = new Set(builtinModules);
  const foreign = specifiers.filter((s) => !s.startsWith("node:") && !builtins.has(s));
  assert.deepEqual(foreign, [], "imports that are not Node built-ins");
});

test("npx <instance>/cli/hookscope.tgz, from a directory outside any clone: --version, then send a signed GitHub push that is captured", async () => {
  await fs.mkdir(path.join(dir, "elsewhere"), { recursive: true });
  const version = await npx(["--version"]);
  assert.equal(version.stdout.trim(), ours.version);
  const help = await npx(["replay", "--help"]);
  assert.match(help.stdout, /Usage: hookscope replay --endpoint/, "every command is in the bundle");

  const ep = await createEndpoint(app.baseUrl);
  const sent = await npx(["send", "github", "push", "--to", `${app.baseUrl}/h/${ep.slug}/from-npx`, "--secret", "npx-test-secret"]);
  assert.match(sent.stdout + sent.stderr, /200/);
  const [row] = await listCaptures(app.baseUrl, ep);
  assert.ok(row, "the send was captured");
  const capture = await getCapture(app.baseUrl, ep, row.id);
  assert.equal(capture.path, "/from-npx");
  const header = (name: string) => capture.headers.find(([k]) => k.toLowerCase() === name)?.[1];
  assert.equal(header("x-github-event"), "push");
  assert.match(header("x-hub-signature-256") ?? "", /^sha256=[0-9a-f]{64}$/);
});
