// HAProxy (Debian's `haproxy` package) in front of the replicas of `npm run start:cluster`, the
// replica tests and `npm run bench:replicas`. TCP mode: the bytes of every request and answer
// pass through untouched (header case and order, chunked and large bodies, odd paths, SSE with
// no buffering), and each connection starts with a PROXY protocol v2 header naming the client,
// which replicas read with PROXY_PROTOCOL=1 (lib/server/http/proxy-protocol.ts). Connections are
// spread round robin; a replica that fails its health check (GET /api/health) or refuses a
// connection is skipped and the connection retried on another. deploy/haproxy.cfg is the same
// configuration for compose.yaml; docs/deployment.md says why HAProxy in TCP mode.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface BalancerOptions {
  host: string;
  port: number;
  /** Replica addresses, host:port. */
  upstreams: string[];
  /** Health check interval; a replica is down after 2 failed checks, up after 1 good one. */
  checkEveryMs?: number;
  /** A unix socket for HAProxy's runtime API (read-only, mode 600); startBalancer puts one in its own folder. */
  statsSocket?: string;
  log?: (msg: string) => void;
}

export interface RunningBalancer {
  url: string;
  port: number;
  pid: number;
  process: ChildProcess;
  /** Its log so far (stderr and stdout). */
  output(): string;
  /** Replicas (host:port) HAProxy currently counts as up and sends connections to. */
  serversUp(): Promise<string[]>;
  stop(): Promise<void>;
}

/** The haproxy binary: $HAPROXY, else `haproxy` on PATH (also /usr/sbin, where Debian puts it). */
export function findHaproxy(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HAPROXY) {
    if (isExecutable(env.HAPROXY)) return env.HAPROXY;
    throw new Error(`HAPROXY=${env.HAPROXY} is not an executable file.`);
  }
  const dirs = [...(env.PATH ?? "").split(path.delimiter).filter(Boolean), "/usr/sbin", "/usr/local/sbin"];
  for (const dir of dirs) {
    const p = path.join(dir, "haproxy");
    if (isExecutable(p)) return p;
  }
  throw new Error(
    "HAProxy is not installed: the replicas run behind it. Install Debian's package (sudo apt-get install haproxy) " +
      "or set HAPROXY to the path of a haproxy binary (2.4 or newer).",
  );
}

function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The configuration: the same settings as deploy/haproxy.cfg (test/deploy-files.test.ts compares them). */
export function haproxyConfig(o: BalancerOptions): string {
  const every = o.checkEveryMs ?? 1_000;
  return [
    // No global maxconn: HAProxy derives it from the open-files limit it runs under.
    ...(o.statsSocket ? ["global", `  stats socket ${o.statsSocket} mode 600 level user`, ""] : []),
    ...DEFAULTS,
    "",
    "frontend hookscope",
    `  bind ${o.host.includes(":") ? `[${o.host}]` : o.host}:${o.port}`,
    "  default_backend replicas",
    "",
    "backend replicas",
    ...BACKEND,
    `  default-server inter ${every}ms ${SERVER_OPTIONS}`,
    ...o.upstreams.map((u, i) => `  server r${i + 1} ${u}`),
    "",
  ].join("\n");
}

/** `defaults` of both configurations. */
export const DEFAULTS = [
  "defaults",
  // TCP: bytes pass through as sent; the client address travels in the PROXY header instead of X-Forwarded-For.
  "  mode tcp",
  "  timeout connect 5s",
  // Inactivity limits: live streams send a heartbeat every 20 s, and a capture may wait 30 s
  // before its answer; an hour covers slow uploads with room to spare.
  "  timeout client 1h",
  "  timeout server 1h",
  "  timeout client-fin 30s",
  // A connection refused by a replica going away is tried again on another.
  "  retries 2",
  "  option redispatch 1",
];

/** `backend` lines of both configurations (before the servers). */
export const BACKEND = [
  "  balance roundrobin",
  "  option httpchk",
  "  http-check send meth GET uri /api/health ver HTTP/1.1 hdr Host localhost",
  "  http-check expect status 200",
];

/** How every replica is reached and checked: with the PROXY v2 header (checks too, as LOCAL). */
export const SERVER_OPTIONS = "check fall 2 rise 1 send-proxy-v2 check-send-proxy";

/** Starts haproxy in the foreground and resolves once it accepts connections. */
export async function startBalancer(o: BalancerOptions): Promise<RunningBalancer> {
  const bin = findHaproxy();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-haproxy-"));
  const cfg = path.join(dir, "haproxy.cfg");
  const statsSocket = path.join(dir, "stats.sock");
  fs.writeFileSync(cfg, haproxyConfig({ ...o, statsSocket }));
  // -db: foreground, no daemon; -W: master-worker, so SIGUSR1 (soft stop) and SIGTERM reach the worker.
  const child = spawn(bin, ["-W", "-db", "-f", cfg], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const onOut = (d: Buffer) => {
    out += d.toString();
    for (const line of d.toString().split("\n")) if (line.trim()) o.log?.(line);
  };
  child.stdout!.on("data", onOut);
  child.stderr!.on("data", onOut);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`haproxy exited (${child.exitCode}) on start:\n${out}`);
    }
    if (await accepts(o.host, o.port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`haproxy did not listen on ${o.host}:${o.port} within 10 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `http://${o.host.includes(":") ? `[${o.host}]` : o.host}:${o.port}`,
    port: o.port,
    pid: child.pid!,
    process: child,
    output: () => out,
    serversUp: () => serversUp(statsSocket, o.upstreams),
    stop,
  };
}

/**
 * Asks HAProxy's runtime API (`show servers state`) which servers of the backend are running
 * (srv_op_state 2); returns their addresses in the order of `upstreams` (server rN is upstreams[N-1]).
 */
async function serversUp(socketPath: string, upstreams: string[]): Promise<string[]> {
  const text = await new Promise<string>((resolve, reject) => {
    const s = net.connect(socketPath, () => s.end("show servers state replicas\n"));
    let out = "";
    s.on("data", (d: Buffer) => (out += d.toString()));
    s.on("close", () => resolve(out));
    s.on("error", reject);
  });
  const up = new Set<string>();
  for (const line of text.split("\n")) {
    const f = line.split(" ");
    // be_id be_name srv_id srv_name srv_addr srv_op_state …
    if (f[1] === "replicas" && f[5] === "2") up.add(f[3]!);
  }
  return upstreams.filter((_, i) => up.has(`r${i + 1}`));
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/** A PROXY protocol v2 header with the LOCAL command (no client address): what a health check sends. */
export const PROXY_V2_LOCAL = Buffer.from("0d0a0d0a000d0a515549540a20000000", "hex");

/** GET /api/health on a replica that expects PROXY_PROTOCOL=1 (sent as LOCAL): whether it answers 200. */
export function replicaHealthy(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host);
    let text = "";
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on("connect", () => {
      socket.write(PROXY_V2_LOCAL);
      socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`);
    });
    socket.on("data", (d: Buffer) => (text += d.toString("latin1")));
    socket.on("close", () => resolve(/^HTTP\/1\.1 200 /.test(text)));
    socket.on("error", () => resolve(false));
  });
}
