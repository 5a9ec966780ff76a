// One pg pool and one Prisma client per process. server.ts (bundled apart, or under tsx in dev) and Next's
// bundled route handlers load this module separately, so the instances live on globalThis.
import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "@/lib/server/env";
import { logJson } from "@/lib/server/observability/log";
import { PrismaClient } from "./generated/client";

// bigint columns (seq, capture_seq) arrive as strings by default; they fit in a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

interface DbState {
  pool: pg.Pool;
  prisma: PrismaClient;
}

const g = globalThis as typeof globalThis & { __hookscopeDb?: DbState };

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the server sets it before opening the database");
  return url;
}

function create(): DbState {
  const pool = new pg.Pool({
    connectionString: databaseUrl(),
    max: env().DATABASE_POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restarted) must not crash the process.
  pool.on("error", (e) => logJson("warn", "pg pool client error", { error: e.message }));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return { pool, prisma };
}

function state(): DbState {
  g.__hookscopeDb ??= create();
  return g.__hookscopeDb;
}

/** The shared pg pool, for the capture hot path and LISTEN. */
export function getPool(): pg.Pool {
  return state().pool;
}

/**
 * Runs `fn` with a client of its own from the pool (a transaction, a session lock), released after.
 * The pool stops listening for "error" on a client while it is checked out; when the database
 * drops the connection (a restart, an admin shutdown), pg rejects the pending query and also emits
 * "error", which unheard is an uncaught exception in the server. Here the client is heard for as
 * long as it lives, and destroyed instead of returned when anything failed on it.
 */
export async function withPoolClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await getPool().connect();
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
  try {
    return await fn(client);
  } catch (e) {
    broken = true;
    throw e;
  } finally {
    // A destroyed client may still emit "error": it stays heard.
    if (!broken) client.off("error", onError);
    client.release(broken);
  }
}

/** The shared Prisma client (adapter-pg over the same pool). */
export function getPrisma(): PrismaClient {
  return state().prisma;
}

/** Closes the pool; the next getPool()/getPrisma() opens a new one. */
export async function closeDb(): Promise<void> {
  const s = g.__hookscopeDb;
  g.__hookscopeDb = undefined;
  if (!s) return;
  await s.prisma.$disconnect().catch(() => {});
  await s.pool.end().catch(() => {});
}
