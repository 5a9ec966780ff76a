// Starts the real server as a child process on a free port against a given database: the bundle
// production runs (scripts/server-bundle.mjs), built from the current source once per process.
// Needs a Next build (`npm run build`); `npm test` builds before running these tests.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { replicaHealthy } from "../../scripts/balancer";
import { buildServerBundle } from "../../scripts/server-bundle.mjs";
import { serverEnv } from "../../scripts/server-env.mjs";

export interface RunningApp {
  baseUrl: string;
  port: number;
  pid: number;
  process: ChildProcess;
  output: () => string;
  /** SIGTERM, then wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for exit. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** This process's build of the server bundle (every test file runs in a process of its own). */
let bundle: Promise<string> | undefined;

export async function startApp(opts: { databaseUrl?: string; env?: Record<string, string>; port?: number } = {}): Promise<RunningApp> {
  const port = opts.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = serverEnv({
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    HOST: "127.0.0.1",
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    // Load tests, benches and e2e floods send far more than any provider from one address to one
    // endpoint; the capture rate limits are tested on their own (test/hostile-input.test.ts).
    RATE_LIMIT_ENDPOINT_PER_SECOND: "0",
    RATE_LIMIT_IP_PER_SECOND: "0",
    ...opts.env,
  });
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  bundle ??= buildServerBundle();
  const child: ChildProcess = spawn(process.execPath, [await bundle], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // A test file that fails with its server still running is ended by --test-force-exit; the server
  // goes with it instead of living on, orphaned, on the machine's cores.
  const killWithUs = () => child.kill("SIGKILL");
  process.once("exit", killWithUs);
  child.once("exit", () => process.off("exit", killWithUs));

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited during start:\n${out}`);
    // Behind a balancer (PROXY_PROTOCOL=1) a plain request is refused: ask the way HAProxy does.
    if (["1", "true", "yes"].includes(env.PROXY_PROTOCOL ?? "")) {
      if (await replicaHealthy("127.0.0.1", port)) break;
    } else {
      try {
        const r = await fetch(`${baseUrl}/api/health`);
        if (r.ok) break;
      } catch {
        // not listening yet
      }
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not become healthy within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    baseUrl,
    port,
    pid: child.pid!,
    process: child,
    output: () => out,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
    async kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Creates an endpoint through the API; returns what POST /api/endpoints answered. */
export async function createEndpoint(baseUrl: string, body: unknown = {}) {
  const r = await fetch(`${baseUrl}/api/endpoints`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (r.status !== 201) throw new Error(`create endpoint: ${r.status} ${await r.text()}`);
  return (await r.json()) as { id: string; slug: string; captureUrl: string; managementKey: string; dashboardUrl: string };
}
