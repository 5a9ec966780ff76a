// A fresh node that loads modules as `npm run dev` does (tsx and the server-only hook), for tests of
// process-wide settings: runs `code` as an ES module and returns what it printed.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

export function runServerNode(code: string, opts: { env?: Record<string, string>; nodeArgs?: string[] } = {}): string {
  const r = spawnSync(
    process.execPath,
    [...(opts.nodeArgs ?? []), "--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "--input-type=module", "-e", code],
    { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "", ...opts.env } },
  );
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}
