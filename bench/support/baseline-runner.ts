// The bare node:http + Postgres baseline (./baseline-server.ts) as a child process for
// bench/capture.ts, and the postmaster's pid so its CPU can be counted beside the server's.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildServerBundle } from "../../scripts/server-bundle.mjs";
import { freePort } from "../../test/support/app";

/** store "app": into the app's own captures table; "minimal": into bench_minimal_captures (primary key only). */
export async function startBaseline(
  databaseUrl: string,
  endpointId: string,
  store: "app" | "minimal" = "app",
): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  // Compiled like the app's server (scripts/server-bundle.mjs), not under tsx: the same footing.
  const bundle = await buildServerBundle(".next-server/baseline-server.mjs", "bench/support/baseline-server.ts");
  const child: ChildProcess = spawn(process.execPath, [bundle], {
    env: { ...process.env, DATABASE_URL: databaseUrl, BASELINE_ENDPOINT_ID: endpointId, BASELINE_STORE: store, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`baseline exited during start:\n${out}`);
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`baseline did not start within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    url: base,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The minimal store's table (issue 18): only a primary key and the columns a capture needs. */
export const MINIMAL_TABLE = "bench_minimal_captures";

export async function createMinimalStore(client: { query(sql: string): Promise<unknown> }): Promise<void> {
  await client.query(`CREATE TABLE ${MINIMAL_TABLE} (id uuid PRIMARY KEY, endpoint text NOT NULL, method text NOT NULL,
    path text NOT NULL, headers jsonb NOT NULL, body bytea NOT NULL, received_at timestamptz NOT NULL)`);
}

export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return null;
  }
}
