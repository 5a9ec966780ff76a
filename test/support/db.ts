// Test databases: each test file gets a fresh, migrated database on the run's PostgreSQL.
import crypto from "node:crypto";
import pg from "pg";
import { migrate } from "@/lib/server/db/migrate";

export function adminUrl(): string {
  const url = process.env.TEST_ADMIN_DATABASE_URL;
  if (!url) throw new Error("TEST_ADMIN_DATABASE_URL is not set: run data tests with `npm run test:data`");
  return url;
}

export function urlFor(database: string): string {
  const u = new URL(adminUrl());
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Creates an empty database (no migrations) and returns its URL. */
export async function createEmptyDatabase(prefix = "t"): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${crypto.randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return { name, url: urlFor(name) };
}

/** Creates a database with every migration applied. */
export async function createTestDatabase(prefix = "t"): Promise<{ name: string; url: string }> {
  const db = await createEmptyDatabase(prefix);
  await migrate(db.url);
  return db;
}

export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
