// The start-up migrator against real PostgreSQL: Prisma-compatible bookkeeping, refusal of
// edited or failed migrations, atomic failure, and instances starting at the same time.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import pg from "pg";
import { MIGRATIONS_DIR, MigrationError, migrate, readMigrations } from "@/lib/server/db/migrate";
import { createEndpoint, startApp } from "./support/app";
import { createEmptyDatabase, createTestDatabase, dropDatabase } from "./support/db";
import { waitFor } from "./support/wait";

const created: string[] = [];
const tempDirs: string[] = [];
after(async () => {
  for (const name of created) await dropDatabase(name);
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

async function emptyDb(): Promise<string> {
  const db = await createEmptyDatabase("mig");
  created.push(db.name);
  return db.url;
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

function rowsOf(url: string): Promise<MigrationRow[]> {
  return withClient(url, async (c) => (await c.query<MigrationRow>(`SELECT * FROM _prisma_migrations ORDER BY migration_name`)).rows);
}

/** A copy of prisma/migrations that a test may edit. */
function copyMigrations(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-migrations-"));
  tempDirs.push(dir);
  fs.cpSync(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

function addMigration(dir: string, name: string, sql: string): string {
  fs.mkdirSync(path.join(dir, name));
  const file = path.join(dir, name, "migration.sql");
  fs.writeFileSync(file, sql);
  return file;
}

const ON_DISK = fs
  .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, d.name, "migration.sql")))
  .map((d) => d.name)
  .sort();

function fileChecksum(dir: string, name: string): string {
  return crypto
    .createHash("sha256")
    .update(fs.readFileSync(path.join(dir, name, "migration.sql")))
    .digest("hex");
}

async function tableExists(url: string, table: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query(`SELECT to_regclass($1) AS t`, [`public.${table}`])).rows[0].t !== null);
}

describe("a fresh database", () => {
  test("gets every migration, one finished row each with the file's sha256", async () => {
    assert.ok(ON_DISK.length > 0, "prisma/migrations has no migrations");
    const url = await emptyDb();
    const applied = await migrate(url);
    assert.deepEqual(applied, ON_DISK);

    const rows = await rowsOf(url);
    assert.deepEqual(
      rows.map((r) => r.migration_name),
      ON_DISK,
    );
    for (const r of rows) {
      assert.equal(r.checksum, fileChecksum(MIGRATIONS_DIR, r.migration_name), `${r.migration_name}: checksum`);
      assert.match(r.checksum, /^[0-9a-f]{64}$/);
      assert.ok(r.finished_at instanceof Date, `${r.migration_name}: finished_at is set`);
      assert.ok(r.finished_at >= r.started_at, `${r.migration_name}: finished after it started`);
      assert.equal(r.rolled_back_at, null);
      assert.equal(r.applied_steps_count, 1);
      assert.match(r.id, /^[0-9a-f-]{36}$/);
    }
    assert.ok(await tableExists(url, "endpoints"));
    assert.ok(await tableExists(url, "captures"));
  });

  test("_prisma_migrations has the column layout Prisma Migrate creates", async () => {
    const url = await emptyDb();
    await migrate(url);
    const columns = await withClient(
      url,
      async (c) =>
        (
          await c.query(
            `SELECT column_name, data_type, character_maximum_length AS len, is_nullable, column_default
               FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
          )
        ).rows,
    );
    // As created by Prisma's schema engine (postgres flavour), so `prisma migrate deploy` and
    // `prisma migrate status` can run against a database this migrator set up, and vice versa.
    assert.deepEqual(columns, [
      { column_name: "id", data_type: "character varying", len: 36, is_nullable: "NO", column_default: null },
      { column_name: "checksum", data_type: "character varying", len: 64, is_nullable: "NO", column_default: null },
      { column_name: "finished_at", data_type: "timestamp with time zone", len: null, is_nullable: "YES", column_default: null },
      { column_name: "migration_name", data_type: "character varying", len: 255, is_nullable: "NO", column_default: null },
      { column_name: "logs", data_type: "text", len: null, is_nullable: "YES", column_default: null },
      { column_name: "rolled_back_at", data_type: "timestamp with time zone", len: null, is_nullable: "YES", column_default: null },
      { column_name: "started_at", data_type: "timestamp with time zone", len: null, is_nullable: "NO", column_default: "now()" },
      { column_name: "applied_steps_count", data_type: "integer", len: null, is_nullable: "NO", column_default: "0" },
    ]);
    const pk = await withClient(
      url,
      async (c) =>
        (
          await c.query(
            `SELECT a.attname FROM pg_index x JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = ANY(x.indkey)
              WHERE x.indrelid = '_prisma_migrations'::regclass AND x.indisprimary`,
          )
        ).rows,
    );
    assert.deepEqual(pk, [{ attname: "id" }]);
  });

  test("running again applies nothing and leaves the rows alone", async () => {
    const url = await emptyDb();
    await migrate(url);
    const before = await rowsOf(url);
    assert.deepEqual(await migrate(url), []);
    assert.deepEqual(await rowsOf(url), before);
  });

  test("only the new migration runs when one is added later", async () => {
    const dir = copyMigrations();
    const url = await emptyDb();
    await migrate(url, readMigrations(dir));
    addMigration(dir, "20991231000000_add_notes", `CREATE TABLE "notes" ("id" INTEGER PRIMARY KEY);\n`);
    assert.deepEqual(await migrate(url, readMigrations(dir)), ["20991231000000_add_notes"]);
    const rows = await rowsOf(url);
    assert.deepEqual(
      rows.map((r) => r.migration_name),
      [...ON_DISK, "20991231000000_add_notes"],
    );
    assert.equal(rows.at(-1)!.checksum, fileChecksum(dir, "20991231000000_add_notes"));
    assert.ok(await tableExists(url, "notes"));
  });
});

/** A database as it was before migration `name`: it and every later one not yet applied. */
async function databaseBefore(name: string): Promise<string> {
  assert.ok(ON_DISK.includes(name));
  const dir = copyMigrations();
  for (const later of ON_DISK.slice(ON_DISK.indexOf(name))) fs.rmSync(path.join(dir, later), { recursive: true });
  const url = await emptyDb();
  await migrate(url, readMigrations(dir));
  return url;
}

describe("migrations that move data", () => {
  test("response revisions: each existing endpoint's response becomes its revision 0; older captures have none", async () => {
    const name = "20261129093000_response_revisions";
    const url = await databaseBefore(name);
    const id = crypto.randomUUID();
    await withClient(url, async (c) => {
      await c.query(
        `INSERT INTO endpoints (id, slug, key_hash, name, response_status, response_headers, response_body, response_content_type, response_delay_ms)
         VALUES ($1, 'oldslug', 'x', 'old', 418, '[["X-Old","1"]]', 'teapot', 'text/plain', 25)`,
        [id],
      );
      await c.query(
        `INSERT INTO captures (id, endpoint_id, seq, method, path, headers, body, body_size, remote_address, http_version, received_at, duration_us, response_status)
         VALUES ($1, $2, 1, 'POST', '', '[]', '', 0, '127.0.0.1', '1.1', now(), 1, 418)`,
        [crypto.randomUUID(), id],
      );
    });
    assert.deepEqual(await migrate(url, readMigrations(MIGRATIONS_DIR)), [...ON_DISK.slice(ON_DISK.indexOf(name))]);
    await withClient(url, async (c) => {
      const rev = await c.query(
        `SELECT rev, status, headers, body, content_type, delay_ms FROM endpoint_responses WHERE endpoint_id = $1`,
        [id],
      );
      assert.deepEqual(rev.rows, [
        { rev: 0, status: 418, headers: [["X-Old", "1"]], body: "teapot", content_type: "text/plain", delay_ms: 25 },
      ]);
      assert.deepEqual((await c.query(`SELECT response_rev FROM endpoints WHERE id = $1`, [id])).rows, [{ response_rev: 0 }]);
      assert.deepEqual((await c.query(`SELECT response_rev FROM captures WHERE endpoint_id = $1`, [id])).rows, [{ response_rev: null }]);
    });
  });

  test("key cookies: endpoint key cookies leave stored captures and the requests sent on from them; everything else stays", async () => {
    const name = "20261207090000_scrub_key_cookies";
    const url = await databaseBefore(name);
    const endpointId = crypto.randomUUID();
    const leaked = crypto.randomUUID();
    const clean = crypto.randomUUID();
    const headers = [
      ["Host", "hooks.example.com"],
      ["Cookie", `theme=dark; hsk_${endpointId}=hsk_secret;  session=a=b`],
      ["X-Note", "hsk_ outside a Cookie header stays"],
      ["cookie", `hsk_${crypto.randomUUID()}=hsk_1`],
      ["Cookie", "hsk_session=a sender's own cookie stays"],
    ];
    const untouched = [["Cookie", " a=1 ;b=hsk_value"]];
    await withClient(url, async (c) => {
      await c.query(`INSERT INTO endpoints (id, slug, key_hash, name) VALUES ($1, 'keyslug', 'x', 'k')`, [endpointId]);
      const insert = `INSERT INTO captures (id, endpoint_id, seq, method, path, headers, trailers, body, body_size, remote_address, http_version, received_at, duration_us, response_status)
         VALUES ($1, $2, $3, 'GET', '', $4, $5, '', 0, '127.0.0.1', '1.1', now(), 1, 200)`;
      await c.query(insert, [leaked, endpointId, 1, JSON.stringify(headers), null]);
      await c.query(insert, [clean, endpointId, 2, JSON.stringify(untouched), null]);
      await c.query(
        `INSERT INTO deliveries (id, capture_id, kind, outcome, method, url, request_headers, request_body_size, duration_ms)
         VALUES ($1, $2, 'resend', 'succeeded', 'GET', 'https://example.com/', $3, 0, 1)`,
        [crypto.randomUUID(), leaked, JSON.stringify(headers)],
      );
    });
    await migrate(url, readMigrations(MIGRATIONS_DIR));
    const expected = [
      ["Host", "hooks.example.com"],
      ["Cookie", "theme=dark;  session=a=b"],
      ["X-Note", "hsk_ outside a Cookie header stays"],
      ["Cookie", "hsk_session=a sender's own cookie stays"],
    ];
    await withClient(url, async (c) => {
      const rows = (await c.query(`SELECT id, headers, trailers FROM captures ORDER BY seq`)).rows;
      assert.deepEqual(rows, [
        { id: leaked, headers: expected, trailers: null },
        { id: clean, headers: untouched, trailers: null },
      ]);
      assert.deepEqual((await c.query(`SELECT request_headers FROM deliveries`)).rows, [{ request_headers: expected }]);
    });
  });

  test("deferred search indexing: captures stored before it stay in the (now partial) trigram indexes; new ones wait for the indexer", async () => {
    const name = "20261207120000_search_index_deferred";
    const url = await databaseBefore(name);
    const endpointId = crypto.randomUUID();
    const insert = `INSERT INTO captures (id, endpoint_id, seq, method, path, headers, body, body_size, remote_address, http_version, received_at, duration_us, response_status)
       VALUES (gen_random_uuid(), $1, $2, 'POST', $3, '[]', 'old body', 8, '127.0.0.1', '1.1', now(), 1, 200)`;
    await withClient(url, async (c) => {
      await c.query(`INSERT INTO endpoints (id, slug, key_hash, name) VALUES ($1, 'idxslug', 'x', 'i')`, [endpointId]);
      await c.query(insert, [endpointId, 1, "/before"]);
    });
    await migrate(url, readMigrations(MIGRATIONS_DIR));
    await withClient(url, async (c) => {
      await c.query(insert, [endpointId, 2, "/after"]);
      assert.deepEqual((await c.query(`SELECT path, search_indexed FROM captures ORDER BY seq`)).rows, [
        { path: "/before", search_indexed: true },
        { path: "/after", search_indexed: false },
      ]);
      const { rows } = await c.query<{ name: string; def: string }>(
        `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'captures' AND indexname LIKE 'captures_search_%' ORDER BY 1`,
      );
      assert.deepEqual(
        rows.map((r) => [r.name, / WHERE \(?(NOT )?search_indexed\)?$/.exec(r.def)?.[0]]),
        [
          ["captures_search_body_idx", " WHERE search_indexed"],
          ["captures_search_headers_idx", " WHERE search_indexed"],
          ["captures_search_path_idx", " WHERE search_indexed"],
          ["captures_search_pending_idx", " WHERE (NOT search_indexed)"],
        ],
      );
    });
  });
});

describe("refusals", () => {
  test("an applied migration whose file changed is refused, naming the migration", async () => {
    const dir = copyMigrations();
    const url = await emptyDb();
    await migrate(url, readMigrations(dir));
    const name = ON_DISK[0]!;
    fs.appendFileSync(path.join(dir, name, "migration.sql"), "\n-- an innocent-looking edit\n");
    await assert.rejects(migrate(url, readMigrations(dir)), (e: unknown) => {
      assert.ok(e instanceof MigrationError);
      assert.match(e.message, new RegExp(`Migration ${name} was changed after it was applied`));
      assert.match(e.message, /add a new migration instead/);
      return true;
    });
  });

  test("line-ending conversion (git autocrlf) is not a change, as in Prisma", async () => {
    const dir = copyMigrations();
    const url = await emptyDb();
    await migrate(url, readMigrations(dir));
    const file = path.join(dir, ON_DISK[0]!, "migration.sql");
    const lf = fs.readFileSync(file, "utf8");
    assert.ok(!lf.includes("\r\n"), "the committed migration uses LF line endings");
    fs.writeFileSync(file, lf.replace(/\n/g, "\r\n"));
    assert.deepEqual(await migrate(url, readMigrations(dir)), []);

    // The other way round: applied from a CRLF checkout, started from an LF one.
    const url2 = await emptyDb();
    await migrate(url2, readMigrations(dir));
    fs.writeFileSync(file, lf);
    assert.deepEqual(await migrate(url2, readMigrations(dir)), []);
  });

  test("a migration recorded as failed (by prisma migrate) is refused until resolved", async () => {
    const dir = copyMigrations();
    const url = await emptyDb();
    await migrate(url, readMigrations(dir));
    const file = addMigration(dir, "20991231000000_half_done", `CREATE TABLE "later" ("id" INTEGER);\n`);
    const checksum = crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
    await withClient(url, (c) =>
      c.query(`INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ($1, $2, $3, 'boom')`, [
        crypto.randomUUID(),
        checksum,
        "20991231000000_half_done",
      ]),
    );
    await assert.rejects(
      migrate(url, readMigrations(dir)),
      /Migration 20991231000000_half_done failed earlier.*prisma migrate resolve --rolled-back 20991231000000_half_done/s,
    );
    assert.equal(await tableExists(url, "later"), false);

    // What `prisma migrate resolve --rolled-back` does: the next start applies it afresh.
    await withClient(url, (c) =>
      c.query(`UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20991231000000_half_done'`),
    );
    assert.deepEqual(await migrate(url, readMigrations(dir)), ["20991231000000_half_done"]);
    assert.ok(await tableExists(url, "later"));
  });
});

describe("a failing migration", () => {
  test("rolls back completely and reports the migration and the database's error", async () => {
    const dir = copyMigrations();
    const url = await emptyDb();
    await migrate(url, readMigrations(dir));
    const file = addMigration(
      dir,
      "20991231000000_broken",
      [
        `CREATE TABLE "half_applied" ("id" INTEGER);`,
        `ALTER TABLE "endpoints" ADD COLUMN "extra" INTEGER;`,
        `INSERT INTO "no_such_table" VALUES (1);`,
        ``,
      ].join("\n"),
    );
    const before = await rowsOf(url);
    await assert.rejects(migrate(url, readMigrations(dir)), (e: unknown) => {
      assert.ok(e instanceof MigrationError);
      assert.match(e.message, /^Migration 20991231000000_broken failed: relation "no_such_table" does not exist/);
      return true;
    });
    assert.equal(await tableExists(url, "half_applied"), false, "the first statement was rolled back");
    const extra = await withClient(
      url,
      async (c) =>
        (await c.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'endpoints' AND column_name = 'extra'`)).rowCount,
    );
    assert.equal(extra, 0, "the second statement was rolled back");
    assert.deepEqual(await rowsOf(url), before, "no row is left for the failed migration");

    // Fixed file: the next start applies it.
    fs.writeFileSync(file, `CREATE TABLE "half_applied" ("id" INTEGER);\nALTER TABLE "endpoints" ADD COLUMN "extra" INTEGER;\n`);
    assert.deepEqual(await migrate(url, readMigrations(dir)), ["20991231000000_broken"]);
    assert.ok(await tableExists(url, "half_applied"));
  });

  test("earlier migrations of the same run stay applied", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-migrations-"));
    tempDirs.push(dir);
    addMigration(dir, "20990101000000_one", `CREATE TABLE "one" ("id" INTEGER);\n`);
    addMigration(dir, "20990102000000_two", `CREATE TABLE "two" ("id" INTEGER);\nSELECT 1/0;\n`);
    const url = await emptyDb();
    await assert.rejects(migrate(url, readMigrations(dir)), /Migration 20990102000000_two failed: division by zero/);
    assert.deepEqual(
      (await rowsOf(url)).map((r) => r.migration_name),
      ["20990101000000_one"],
    );
    assert.ok(await tableExists(url, "one"));
    assert.equal(await tableExists(url, "two"), false);
  });
});

describe("concurrent starts", () => {
  test("two migrate() calls at once apply each migration exactly once", async () => {
    const dir = copyMigrations();
    addMigration(dir, "20991231000000_second", `CREATE TABLE "second" ("id" INTEGER);\n`);
    const url = await emptyDb();

    // Hold Prisma's migration lock so both calls are provably queued behind it before either
    // runs; releasing it makes them race for real.
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(72707369)`);
      const a = migrate(url, readMigrations(dir));
      const b = migrate(url, readMigrations(dir));
      await waitFor(async () => {
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = 72707369`,
        );
        return rows[0]!.n === 2;
      }, "both migrators to wait for the advisory lock");
      await holder.query(`SELECT pg_advisory_unlock(72707369)`);
      const [ra, rb] = await Promise.all([a, b]);
      const all = [...ON_DISK, "20991231000000_second"];
      assert.deepEqual([...ra, ...rb].sort(), all, "every migration was applied by exactly one caller");
      const rows = await rowsOf(url);
      assert.deepEqual(
        rows.map((r) => r.migration_name),
        all,
      );
      assert.ok(rows.every((r) => r.finished_at && r.applied_steps_count === 1));
    } finally {
      await holder.end();
    }
  });

  test("two app instances starting at once on an empty database both become healthy", async () => {
    const url = await emptyDb();
    const [a, b] = await Promise.all([startApp({ databaseUrl: url }), startApp({ databaseUrl: url })]);
    try {
      const rows = await rowsOf(url);
      assert.deepEqual(
        rows.map((r) => r.migration_name),
        ON_DISK,
        "one row per migration",
      );
      const appliers = [a, b].filter((app) => app.output().includes("Applied migrations:"));
      assert.equal(appliers.length, 1, `exactly one instance applied the migrations:\n--- a\n${a.output()}\n--- b\n${b.output()}`);

      // Both serve the same data.
      const ep = await createEndpoint(a.baseUrl);
      const r = await fetch(`${b.baseUrl}/api/endpoints/${ep.id}`, { headers: { authorization: `Bearer ${ep.managementKey}` } });
      assert.equal(r.status, 200);
      assert.equal(((await r.json()) as { slug: string }).slug, ep.slug);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  test("an instance refuses to start on a database whose applied migration differs", async () => {
    const db = await createTestDatabase("mig");
    created.push(db.name);
    await withClient(db.url, (c) =>
      c.query(`UPDATE _prisma_migrations SET checksum = repeat('0', 64) WHERE migration_name = $1`, [ON_DISK[0]]),
    );
    await assert.rejects(startApp({ databaseUrl: db.url }), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(e.message, /server exited during start/);
      assert.match(e.message, new RegExp(`Migration ${ON_DISK[0]} was changed after it was applied`));
      return true;
    });
  });
});

describe("npm run db:migrate", () => {
  /** The script as a user runs it, against `url`. */
  const run = (url: string) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url };
    delete env.NODE_OPTIONS;
    return spawnSync("npm", ["run", "--silent", "db:migrate"], { env, encoding: "utf8", timeout: 120_000 });
  };

  test("applies every migration and exits 0; a second run has nothing to do", async () => {
    const url = await emptyDb();
    const first = run(url);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout.trim(), `Applied: ${ON_DISK.join(", ")}`);
    assert.deepEqual(
      (await rowsOf(url)).map((r) => r.migration_name),
      ON_DISK,
    );
    const second = run(url);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout.trim(), "Database is up to date.");
  });

  test("an edited applied migration: exit 1 with the one-paragraph reason, no stack trace", async () => {
    const url = await emptyDb();
    await migrate(url);
    await withClient(url, (c) =>
      c.query(`UPDATE _prisma_migrations SET checksum = repeat('0', 64) WHERE migration_name = $1`, [ON_DISK[0]]),
    );
    const r = run(url);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^Migration ${ON_DISK[0]} was changed after it was applied`));
    assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
  });
});
