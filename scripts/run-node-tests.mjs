// Runs node:test files: `unit` (pure modules, lib/**/*.test.ts) or `data` (test/**/*.test.ts,
// against a real PostgreSQL). With no DATABASE_URL, data tests get an embedded PostgreSQL
// started here once; each test file then creates its own database on it.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const kind = process.argv[2] ?? "unit";
const only = process.argv.slice(3);

function find(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules" && e.name !== "generated") find(p, out);
    } else if (/\.test\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

const files = only.length ? only : (kind === "unit" ? [...find("lib"), ...find("components")] : find("test")).sort();
if (files.length === 0) {
  console.error(`no ${kind} test files found`);
  process.exit(1);
}

const NODE_ARGS = ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs"];
let stopDb = async () => {};
const env = { ...process.env, NODE_ENV: "test", NEXT_TELEMETRY_DISABLED: "1" };

if (kind === "data") {
  if (process.env.DATABASE_URL) {
    env.TEST_ADMIN_DATABASE_URL = process.env.DATABASE_URL;
  } else {
    const { startTestPostgres } = await import("./test-postgres.mjs");
    const pg = await startTestPostgres();
    env.TEST_ADMIN_DATABASE_URL = pg.url;
    env.TEST_EMBEDDED_DATA_DIR = pg.dataDir;
    stopDb = pg.stop;
  }
  delete env.DATABASE_URL;
}

// Files run one by one (TEST_CONCURRENCY=2 runs two at a time). Two at a time took the data stage
// from about 10 min to 7.5 and unit from 130 s to 97, but tests with wall-clock limits then failed:
// a cold template render past its 10 ms, the Shopify codegen file past a minute, and
// test/balancer.test.ts's spread over two replicas (HAProxy sent all six connections to one) in
// 4 of 6 runs beside two other files. Those runs shared the two cores with two stray servers
// using about 1.4 of them, so two at a time is worth trying again on a quiet machine.
// A test that never settles fails after TEST_TIMEOUT_MS instead of holding the run; each file is
// itself a test of the run, so a whole file must finish in it too (the three parts of
// lib/server/schema/codegen-shopify.test.ts take about 50 s on a quiet machine).
// A file whose tests are done exits even if something it started (a timer, a socket) would keep it alive.
const TEST_TIMEOUT_MS = kind === "unit" ? 150_000 : 300_000;
const child = spawn(
  process.execPath,
  [
    ...NODE_ARGS,
    "--test",
    `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 1}`,
    "--test-force-exit",
    `--test-timeout=${TEST_TIMEOUT_MS}`,
    "--test-reporter=spec",
    ...files,
  ],
  { stdio: "inherit", env },
);
// scripts/test.mjs ends a stage that overruns with SIGTERM: pass it on and still stop the database.
for (const sig of ["SIGTERM", "SIGINT"]) process.once(sig, () => child.kill(sig));
const code = await new Promise((resolve) => child.on("exit", (c, s) => resolve(c ?? (s ? 1 : 0))));
await stopDb();
process.exit(code);
