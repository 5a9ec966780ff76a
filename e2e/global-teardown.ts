// Stops what global-setup.ts started: the server (SIGTERM, so it drains and closes its pool), then
// PostgreSQL (SIGTERM; SIGINT if it lingers), then removes the database folder. Nothing is left running.
import fs from "node:fs";
import { stopPid, type TE2EState } from "./support/state";

export default async function globalTeardown(): Promise<void> {
  const statePath = process.env.HOOKSCOPE_E2E_STATE;
  if (!statePath || !fs.existsSync(statePath)) return;
  const state = JSON.parse(fs.readFileSync(statePath, "utf8")) as TE2EState;
  await stopPid(state.serverPid, "SIGTERM", 25_000);
  await stopPid(state.postmasterPid, "SIGTERM", 10_000, "SIGINT");
  fs.rmSync(state.pgDataDir, { recursive: true, force: true });
  fs.rmSync(statePath, { force: true });
}
