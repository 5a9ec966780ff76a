// What most benchmarks need: the Next build, a throwaway embedded PostgreSQL with a migrated
// database, and N app processes on it. Everything binds 127.0.0.1; stop() ends what started.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/server/db/migrate";
import { startApp, type RunningApp } from "../../test/support/app";
import { startTestPostgres } from "./postgres";

/**
 * Endpoints a benchmark fills keep everything it writes: the retention worker (every replica
 * runs one) would otherwise prune them to the default 10,000 captures mid-measurement. Pass as
 * `retention` when creating the endpoint; the app's ceiling is raised by BENCH_APP_ENV.
 */
export const KEEP_EVERYTHING = { maxCaptures: 100_000_000, maxAgeDays: 36_500 } as const;
export const BENCH_APP_ENV = {
  // Benchmarks load one endpoint from one address far beyond any provider: no per-address
  // connection cap (startApp already lifts the rate limits).
  MAX_CONNECTIONS_PER_IP: "0",
  RETENTION_MAX_CAPTURES_CEILING: String(KEEP_EVERYTHING.maxCaptures),
  RETENTION_MAX_AGE_DAYS_CEILING: String(KEEP_EVERYTHING.maxAgeDays),
} as const;

export interface Stack {
  databaseUrl: string;
  apps: RunningApp[];
  /** The postmaster, for CPU accounting (bench/support/proc.ts treeCpuMs). */
  postgresPid: number | null;
  sql: pg.Client;
  stop(): Promise<void>;
}

/**
 * Runs `next build` into `distDir`. Next adds `<distDir>/types` to tsconfig.json's include list
 * (and reformats the file) for any dist dir but .next; the file is put back as it was, so a
 * benchmark run leaves the tree clean (prettier --check passes, nothing to commit by mistake).
 */
export function nextBuild(distDir: string, opts: { quiet?: boolean } = {}): void {
  const tsconfig = fs.readFileSync("tsconfig.json");
  try {
    const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
      stdio: opts.quiet ? "pipe" : "inherit",
      encoding: "utf8",
      env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (r.status !== 0)
      throw new Error(`next build failed (exit ${r.status ?? r.signal})${opts.quiet ? `:\n${r.stdout}\n${r.stderr}` : ""}`);
  } finally {
    if (!fs.readFileSync("tsconfig.json").equals(tsconfig)) fs.writeFileSync("tsconfig.json", tsconfig);
  }
}

/** Builds the app into NEXT_DIST_DIR (default .next) when there is no build there yet. */
export function ensureBuild(): void {
  const distDir = process.env.NEXT_DIST_DIR ?? ".next";
  if (fs.existsSync(path.join(distDir, "BUILD_ID"))) return;
  console.log(`No Next build in ${distDir}; building…`);
  nextBuild(distDir);
}

/**
 * Runs a bulk seed of `captures` with the table's GIN (trigram search) indexes dropped, then
 * builds them again from their own definitions (pg_indexes), so the schema ends as migrated. One
 * CREATE INDEX sorts and packs what row-by-row inserts maintain piecemeal, several times faster;
 * the seeded indexes come out compact, as after a REINDEX, not as fragmented as months of traffic
 * leave them, so bench:search, which measures those indexes, does not use it. The app must not be
 * writing captures meanwhile.
 */
export async function seedWithoutGinIndexes<T>(sql: pg.Client, seed: () => Promise<T>): Promise<T> {
  const { rows } = await sql.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE schemaname = current_schema() AND tablename = 'captures' AND indexdef ~* ' USING gin '`,
  );
  for (const r of rows) await sql.query(`DROP INDEX ${pg.escapeIdentifier(r.name)}`);
  // Seeded rows go straight into the search indexes built below, not to the app's search indexer.
  await sql.query("ALTER TABLE captures ALTER COLUMN search_indexed SET DEFAULT true");
  try {
    return await seed();
  } finally {
    await sql.query("ALTER TABLE captures ALTER COLUMN search_indexed SET DEFAULT false");
    await sql.query("SET maintenance_work_mem = '256MB'");
    for (const r of rows) await sql.query(r.def);
    await sql.query("RESET maintenance_work_mem");
  }
}

/**
 * Waits until the app's search indexer (lib/server/search/indexer.ts) has no capture left to index;
 * returns how many were pending when called. It looks every 250 ms and, after the first count, only
 * whether any is left (a count scans the pending rows, and its cost would land in what is measured).
 */
export async function untilSearchIndexed(sql: pg.Client): Promise<number> {
  const { rows } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM captures WHERE NOT search_indexed");
  const any = async () => ((await sql.query("SELECT 1 FROM captures WHERE NOT search_indexed LIMIT 1")).rowCount ?? 0) > 0;
  if (rows[0]!.n > 0) while (await any()) await new Promise((r) => setTimeout(r, 250));
  return rows[0]!.n;
}

/** Creates database `name` on the server at `adminUrl` and returns its URL. */
export async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function startStack(opts: { apps: number; appEnv?: Record<string, string> }): Promise<Stack> {
  ensureBuild();
  const db = await startTestPostgres();
  const stops: (() => Promise<unknown>)[] = [() => db.stop()];
  const stop = async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => {});
  };
  try {
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query("CREATE DATABASE bench");
    await admin.end();
    const u = new URL(db.url);
    u.pathname = "/bench";
    const databaseUrl = u.toString();
    await migrate(databaseUrl);
    const sql = new pg.Client({ connectionString: databaseUrl });
    await sql.connect();
    stops.push(() => sql.end());
    const env = { ...BENCH_APP_ENV, ...opts.appEnv };
    // Every app that started is stopped with the stack, also when another failed to start.
    const started = await Promise.allSettled(Array.from({ length: opts.apps }, () => startApp({ databaseUrl, env })));
    const apps = started.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    for (const app of apps) stops.push(() => app.stop());
    const failed = started.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    let postgresPid: number | null = null;
    try {
      postgresPid = Number(fs.readFileSync(path.join(db.dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    } catch {
      // not Linux, or a different layout: CPU figures for Postgres are left out
    }
    return { databaseUrl, apps, postgresPid, sql, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Stops the stack on Ctrl-C; returns a function that removes the handlers. */
export function stopOnSignal(stack: () => Stack | undefined): () => void {
  const onSignal = () => void (stack()?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
