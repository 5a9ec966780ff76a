// Opens the database for a process: external (DATABASE_URL) or embedded, then migrates.
import "server-only";
import { env } from "@/lib/server/env";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded";
import { migrate } from "./migrate";

export interface OpenedDatabase {
  url: string;
  embedded: EmbeddedDatabase | null;
  applied: string[];
}

/**
 * Resolves the database URL (starting embedded PostgreSQL when DATABASE_URL is unset), sets
 * process.env.DATABASE_URL for the rest of the process, and applies pending migrations.
 */
export async function openDatabase(): Promise<OpenedDatabase> {
  const e = env();
  let embedded: EmbeddedDatabase | null = null;
  let url = e.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres(e.DATA_DIR, { supervise: true });
    url = embedded.url;
    process.env.DATABASE_URL = url;
  }
  try {
    const applied = await migrate(url);
    return { url, embedded, applied };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
