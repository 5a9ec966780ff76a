// openDatabase() with no DATABASE_URL: embedded PostgreSQL under DATA_DIR, migrated, reused on
// the next start, stopped without leaving a server behind, and adopted after a crash.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { after, test } from "node:test";
import { openDatabase } from "@/lib/server/db/bootstrap";
import { closeDb } from "@/lib/server/db/client";
import { createEndpoint, getEndpointById } from "@/lib/server/db/endpoints";
import { readMigrations } from "@/lib/server/db/migrate";
import { removeDataDirs, tempDataDir, useDataDir } from "./support/data-dirs";

const leftovers: number[] = [];
after(() => {
  // Only if a test failed half-way: never leave a postmaster of ours running.
  for (const pid of leftovers) if (alive(pid)) process.kill(pid, "SIGINT");
  removeDataDirs();
});

const dataDir = () => tempDataDir("hookscope-embedded-");

function postmasterPid(dir: string): number | null {
  const file = path.join(dir, "postgres", "postmaster.pid");
  if (!fs.existsSync(file)) return null;
  return Number(fs.readFileSync(file, "utf8").split("\n")[0]);
}

/** Running, as opposed to exited (a zombie waiting for a parent that never reaps counts as exited). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0] !== "Z";
  } catch {
    return !fs.existsSync("/proc/self"); // no procfs: kill(0) succeeding is all we know
  }
}

const MIGRATIONS = readMigrations().map((m) => m.name);

test("first start creates and migrates the cluster; stop leaves no server; second start reuses the data", async () => {
  const dir = dataDir();
  useDataDir(dir);
  const first = await openDatabase();
  let firstPid: number | null = null;
  try {
    assert.ok(first.embedded, "an embedded server was started");
    assert.match(first.url, /^postgresql:\/\/hookscope_app:[^@]+@127\.0\.0\.1:\d+\/hookscope$/);
    assert.equal(process.env.DATABASE_URL, first.url, "the rest of the process uses the embedded database");
    assert.deepEqual(first.applied, MIGRATIONS);
    assert.ok(fs.existsSync(path.join(dir, "postgres", "PG_VERSION")), "the cluster lives under DATA_DIR/postgres");
    firstPid = postmasterPid(dir);
    assert.ok(firstPid && alive(firstPid), "postmaster.pid names a running server");
    leftovers.push(firstPid);

    const { endpoint } = await createEndpoint({ name: "kept across restarts" });
    await closeDb();
    await first.embedded.stop();
    await first.embedded.stop(); // twice is harmless (server.ts may stop on SIGINT and on exit)
    assert.equal(alive(firstPid), false, `postmaster ${firstPid} is gone after stop()`);
    assert.equal(postmasterPid(dir), null, "a clean shutdown removes postmaster.pid");

    useDataDir(dir);
    const second = await openDatabase();
    try {
      assert.ok(second.embedded);
      assert.deepEqual(second.applied, [], "nothing to migrate the second time");
      const secondPid = postmasterPid(dir)!;
      leftovers.push(secondPid);
      const again = await getEndpointById(endpoint.id);
      assert.equal(again?.name, "kept across restarts");
      await closeDb();
      await second.embedded.stop();
      assert.equal(alive(secondPid), false, `postmaster ${secondPid} is gone after stop()`);
    } finally {
      await closeDb();
      await second.embedded?.stop();
    }
  } finally {
    await closeDb();
    await first.embedded?.stop();
  }
});

test("a postmaster left behind by a SIGKILLed process is adopted, then stopped", async () => {
  const dir = dataDir();
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir };
  delete env.DATABASE_URL;
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "test/support/embedded-child.ts"],
    {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const lines = readline.createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before reporting:\n${stderr}`)));
  });
  const { endpointId, port } = JSON.parse(first) as { endpointId: string; port: number };
  const pid = postmasterPid(dir)!;
  leftovers.push(pid);

  child.kill("SIGKILL");
  await exited;
  assert.ok(alive(pid), "the postmaster outlives its SIGKILLed owner");

  useDataDir(dir);
  const adopted = await openDatabase();
  try {
    assert.ok(adopted.embedded);
    assert.equal(adopted.embedded.port, port, "the running server was adopted, not a second one started");
    assert.equal(postmasterPid(dir), pid);
    assert.deepEqual(adopted.applied, []);
    assert.equal((await getEndpointById(endpointId))?.name, "made before the crash");
    await closeDb();
    await adopted.embedded.stop();
    assert.equal(alive(pid), false, `adopted postmaster ${pid} is gone after stop()`);
  } finally {
    await closeDb();
    await adopted.embedded?.stop();
  }
});

test("a stale postmaster.pid whose pid now belongs to another process is not adopted, and that process is left alone", async () => {
  // After a container restart pids are handed out again from the bottom, so the pid a killed
  // postmaster left in postmaster.pid is often some other live process (even a thread of ours).
  const dir = dataDir();
  useDataDir(dir);
  const first = await openDatabase();
  const { endpoint } = await createEndpoint({ name: "kept through a stale pid file" });
  await closeDb();
  const lockFile = path.join(dir, "postgres", "postmaster.pid");
  const lockLines = fs.readFileSync(lockFile, "utf8").split("\n");
  leftovers.push(Number(lockLines[0]));
  await first.embedded!.stop();

  // The decoy runs as the user postgres runs as (the data folder's owner): postgres treats a pid
  // it may not signal as dead, so only a same-user process makes the stale file block its start.
  const owner = fs.statSync(path.join(dir, "postgres"));
  const asOwner = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  const decoy = spawn(process.execPath, ["-e", "setInterval(() => {}, 1 << 30)"], { stdio: "ignore", ...asOwner });
  const decoyExit = new Promise<NodeJS.Signals | null>((resolve) => decoy.once("exit", (_code, signal) => resolve(signal)));
  try {
    await new Promise<void>((resolve, reject) => {
      decoy.once("spawn", resolve);
      decoy.once("error", reject);
    });
    lockLines[0] = String(decoy.pid);
    fs.writeFileSync(lockFile, lockLines.join("\n"));

    useDataDir(dir);
    const second = await openDatabase();
    try {
      assert.ok(second.embedded);
      const pid = postmasterPid(dir)!;
      leftovers.push(pid);
      assert.notEqual(pid, decoy.pid, "a real postmaster was started");
      assert.equal((await getEndpointById(endpoint.id))?.name, "kept through a stale pid file");
      await closeDb();
      await second.embedded.stop();
      assert.equal(alive(pid), false);
    } finally {
      await closeDb();
      await second.embedded?.stop();
    }
    assert.equal(decoy.exitCode, null, "the unrelated process was not signalled");
    assert.ok(alive(decoy.pid!));
  } finally {
    decoy.kill("SIGKILL");
    await decoyExit;
  }
});
