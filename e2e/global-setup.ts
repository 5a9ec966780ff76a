// Starts a throwaway embedded PostgreSQL and the real server (server.ts on the production build in
// NEXT_DIST_DIR, default .next) on a free port, with PUBLIC_BASE_URL pointing at it. Tests read
// the URL from HOOKSCOPE_E2E_URL; global-teardown.ts stops both by pid.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestPostgres } from "../scripts/test-postgres.mjs";
import { startApp } from "../test/support/app";
import { E2E_APP_ENV, type TE2EState } from "./support/state";

export default async function globalSetup(): Promise<void> {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  if (!fs.existsSync(path.join(distDir, "BUILD_ID"))) {
    throw new Error(`No production build in ${distDir}/: run \`next build\` first (npm test does).`);
  }
  const pg = await startTestPostgres();
  let app;
  try {
    app = await startApp({ databaseUrl: pg.url, env: E2E_APP_ENV });
  } catch (e) {
    await pg.stop();
    throw e;
  }
  const postmasterPid = Number(fs.readFileSync(path.join(pg.dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  const state: TE2EState = { serverPid: app.pid, postmasterPid, pgDataDir: pg.dataDir };
  const statePath = path.join(os.tmpdir(), `hookscope-e2e-${process.pid}.json`);
  fs.writeFileSync(statePath, JSON.stringify(state));

  process.env.HOOKSCOPE_E2E_STATE = statePath;
  process.env.HOOKSCOPE_E2E_URL = app.baseUrl;
  process.env.HOOKSCOPE_E2E_DATABASE_URL = pg.url;
  // The server's log, for reading after a failure.
  const log = path.join("test-results", "e2e-server.log");
  fs.mkdirSync(path.dirname(log), { recursive: true });
  app.process.stdout?.on("data", (d: Buffer) => fs.appendFileSync(log, d));
  app.process.stderr?.on("data", (d: Buffer) => fs.appendFileSync(log, d));
  fs.writeFileSync(log, app.output());
}
