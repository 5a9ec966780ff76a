// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy` does, without the
// Prisma CLI's native engine: same _prisma_migrations table, same advisory lock, same checksums.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

/** Prisma Migrate's advisory lock key, so our migrator and `prisma migrate deploy` exclude each other. */
const PRISMA_ADVISORY_LOCK = 72707369;

export const MIGRATIONS_DIR = path.resolve(process.cwd(), "prisma/migrations");

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  override name = "MigrationError";
}

function sha256Hex(bytes: Buffer | string): string {
  return crypto.createHash("sha256").update(bytes).digest("hex");
}

/**
 * Whether a migration's file still matches the checksum recorded when it was applied. Like
 * Prisma, line-ending conversions (git autocrlf on Windows) do not count as a change.
 */
export function checksumMatches(m: Migration, recorded: string): boolean {
  if (m.checksum === recorded) return true;
  const lf = m.sql.replace(/\r\n/g, "\n");
  return sha256Hex(lf) === recorded || sha256Hex(lf.replace(/\n/g, "\r\n")) === recorded;
}

/** Reads the migration folders in name order (Prisma names start with a timestamp). */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!fs.existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) return [];
      const bytes = fs.readFileSync(file);
      return [{ name, sql: bytes.toString("utf8"), checksum: sha256Hex(bytes) }];
    });
}

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Brings the database at `url` up to date. Each migration runs in its own transaction; the
 * whole run holds Prisma's advisory lock, so instances starting together apply each migration
 * once. Refuses to start when an applied migration's file changed or an earlier one failed.
 * Returns the names it applied.
 */
export async function migrate(url: string, migrations = readMigrations()): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {}); // a dropped connection surfaces as a failed query below
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
    );
    const byName = new Map<string, AppliedRow>();
    for (const row of rows) if (!row.rolled_back_at) byName.set(row.migration_name, row);

    for (const m of migrations) {
      const row = byName.get(m.name);
      if (row && !row.finished_at) {
        throw new MigrationError(
          `Migration ${m.name} failed earlier and was not resolved. Fix the database, then mark it with ` +
            `\`prisma migrate resolve --rolled-back ${m.name}\` (or delete its row in _prisma_migrations).`,
        );
      }
      if (row) {
        if (!checksumMatches(m, row.checksum)) {
          throw new MigrationError(
            `Migration ${m.name} was changed after it was applied to this database ` +
              `(checksum ${row.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk). ` +
              `Applied migrations must not be edited: restore the file and add a new migration instead.`,
          );
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [crypto.randomUUID(), m.checksum, m.name],
        );
        await client.query(m.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE migration_name = $1 AND finished_at IS NULL`,
          [m.name],
        );
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(`Migration ${m.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK]).catch(() => {});
    await client.end().catch(() => {});
  }
}
