// Who may log in to the embedded PostgreSQL, and as what. Two roles, each with a random password
// generated once into DATA_DIR/postgres-passwords.json (mode 0600): the cluster's superuser
// (`hookscope`, made by initdb), used only here at start-up, and the app's role
// (`hookscope_app`), which owns the `hookscope` database and everything in it but is no
// superuser, so it cannot run programs or read files on the host (`COPY … TO PROGRAM`).
// Versions before this one used the fixed superuser password "hookscope" for everything; their
// data folders are upgraded at start (see provisionEmbeddedRoles).
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";

export const SUPERUSER = "hookscope";
export const APP_ROLE = "hookscope_app";
export const DATABASE = "hookscope";
export const PASSWORDS_FILE_NAME = "postgres-passwords.json";
/** What every embedded cluster used before passwords were generated. Only ever tried, never set. */
export const LEGACY_PASSWORD = "hookscope";

export interface EmbeddedPasswords {
  superuser: string;
  app: string;
  file: string;
  /** True when this call wrote the file (first start, or a data folder from an older version). */
  generated: boolean;
}

/**
 * TCP on 127.0.0.1 only (the server also gets listen_addresses=127.0.0.1 and no Unix socket),
 * SCRAM passwords, nothing else. Written at every start, so older clusters (initdb's
 * `password` method, a `::1` line, replication lines) are brought to it too.
 */
export const PG_HBA = [
  "# Written by Hookscope at every start (lib/server/db/embedded-auth.ts); edits here are replaced.",
  "# TYPE  DATABASE  USER  ADDRESS       METHOD",
  "host    all       all   127.0.0.1/32  scram-sha-256",
  "",
].join("\n");

export class EmbeddedAuthError extends Error {
  override name = "EmbeddedAuthError";
}

/**
 * Reads DATA_DIR/postgres-passwords.json, creating it when missing. Like secrets.key
 * (lib/server/secrets/secret-box.ts): written to a temporary 0600 file and linked into place, so two
 * processes starting together agree on one file.
 */
export function loadOrCreatePasswords(dataDir: string): EmbeddedPasswords {
  const file = path.resolve(dataDir, PASSWORDS_FILE_NAME);
  const read = (): EmbeddedPasswords => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
      parsed = null;
    }
    const p = parsed as { superuser?: unknown; app?: unknown } | null;
    if (typeof p?.superuser !== "string" || typeof p.app !== "string" || !p.superuser || !p.app) {
      throw new EmbeddedAuthError(`${file} is not a Hookscope passwords file. Restore it from a backup of DATA_DIR.`);
    }
    return { superuser: p.superuser, app: p.app, file, generated: false };
  };
  if (fs.existsSync(file)) return read();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const created = { superuser: crypto.randomBytes(32).toString("hex"), app: crypto.randomBytes(32).toString("hex") };
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
    return { ...created, file, generated: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return read();
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** Replaces the cluster's pg_hba.conf with PG_HBA; returns whether it changed. */
export function writePgHba(dbDir: string): boolean {
  const file = path.join(dbDir, "pg_hba.conf");
  if (fs.existsSync(file) && fs.readFileSync(file, "utf8") === PG_HBA) return false;
  // In place: under root the file belongs to the postgres user, and rewriting keeps its owner.
  fs.writeFileSync(file, PG_HBA);
  return true;
}

export function appDatabaseUrl(passwords: EmbeddedPasswords, port: number): string {
  return `postgresql://${APP_ROLE}:${encodeURIComponent(passwords.app)}@127.0.0.1:${port}/${DATABASE}`;
}

async function connect(port: number, database: string, password: string): Promise<pg.Client> {
  const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password, database });
  client.on("error", () => {}); // a dropped connection surfaces as a failed query
  await client.connect();
  // The statements below carry passwords: keep them out of the server's log, even on error.
  await client.query("SET log_statement = 'none'; SET log_min_error_statement = 'panic'");
  return client;
}

/**
 * Logs in as the superuser with the first of `candidates` the server accepts. A refused
 * password only costs a FATAL line in the server's log, so callers order them most likely first.
 */
async function connectAsSuperuser(port: number, candidates: string[], file: string): Promise<{ client: pg.Client; password: string }> {
  for (const password of candidates) {
    try {
      return { client: await connect(port, "postgres", password), password };
    } catch (e) {
      if ((e as { code?: string }).code !== "28P01") throw e; // invalid_password: try the next one
    }
  }
  throw new EmbeddedAuthError(
    `The embedded PostgreSQL refused the superuser password in ${file}. That file must be the one created together ` +
      "with this data folder: restore it from the same backup as DATA_DIR/postgres.",
  );
}

// Everything in the database's own schemas still owned by the superuser (all of it, in a cluster
// made by an older version) goes to the app's role. Not REASSIGN OWNED: the superuser is the
// bootstrap role, which also owns the system catalogs. Extension members stay with their
// extension. Tables first: ALTER TABLE also moves the sequences of their serial columns.
const TRANSFER_OWNERSHIP = `
DO $$
DECLARE
  su oid := (SELECT oid FROM pg_roles WHERE rolname = current_user);
  r record;
BEGIN
  FOR r IN SELECT n.nspname FROM pg_namespace n
    WHERE n.nspowner = su AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
  LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO ${APP_ROLE}', r.nspname);
  END LOOP;
  FOR r IN
    SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relowner = su AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
      AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY c.relkind = 'S'
  LOOP
    -- A serial column's sequence may already have moved with its table.
    IF (SELECT relowner FROM pg_class WHERE oid = r.name) = su THEN
      EXECUTE format('ALTER %s %s OWNER TO ${APP_ROLE}',
        CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
          WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.name);
    END IF;
  END LOOP;
  FOR r IN
    SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.proowner = su AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO ${APP_ROLE}', r.name);
  END LOOP;
  FOR r IN
    SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typowner = su AND t.typtype IN ('e', 'd', 'r') AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO ${APP_ROLE}', r.name);
  END LOOP;
END $$`;

/**
 * Brings the running cluster to its intended state; cheap and idempotent, so it runs at every
 * start (and on an adopted server). Sets the superuser's password from the file (a cluster from
 * an older version still has the fixed one), creates or updates the app's role with its
 * password, gives it the database and every object in it, and reloads pg_hba.conf.
 * `expected` says which password the superuser most likely has now.
 */
export async function provisionEmbeddedRoles(port: number, passwords: EmbeddedPasswords, expected: "file" | "legacy"): Promise<void> {
  const candidates = expected === "file" ? [passwords.superuser, LEGACY_PASSWORD] : [LEGACY_PASSWORD, passwords.superuser];
  const { client, password } = await connectAsSuperuser(port, candidates, passwords.file);
  try {
    const lit = (s: string) => client.escapeLiteral(s);
    if (password !== passwords.superuser) await client.query(`ALTER ROLE ${SUPERUSER} PASSWORD ${lit(passwords.superuser)}`);
    const { rowCount: hasRole } = await client.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [APP_ROLE]);
    const attributes = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS";
    await client.query(`${hasRole ? "ALTER" : "CREATE"} ROLE ${APP_ROLE} WITH ${attributes} PASSWORD ${lit(passwords.app)}`);
    const { rows } = await client.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [
      DATABASE,
    ]);
    if (!rows[0]) await client.query(`CREATE DATABASE ${DATABASE} OWNER ${APP_ROLE}`);
    else if (rows[0].owner !== APP_ROLE) await client.query(`ALTER DATABASE ${DATABASE} OWNER TO ${APP_ROLE}`);
    await client.query("SELECT pg_reload_conf()");
  } finally {
    await client.end();
  }
  const db = await connect(port, DATABASE, passwords.superuser);
  try {
    await db.query(TRANSFER_OWNERSHIP);
  } finally {
    await db.end();
  }
}
