import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { runServerNode } from "./server-node.test-support";

/**
 * Peak heapTotal (MiB) of a fresh node (with tsx, as in dev) that keeps 30 MB live and
 * churns pages that live long enough to be promoted, as export pages and request objects do.
 */
function peakHeap(withModule: boolean, nodeArgs: string[] = []): number {
  const churn = `
    const base = []; for (let i = 0; i < 300000; i++) base.push({ i, s: "b" + i });
    const live = []; let peak = 0;
    for (let round = 0; round < 300; round++) {
      const page = []; for (let i = 0; i < 20000; i++) page.push({ i, s: "p" + i + round });
      live.push(page); if (live.length > 4) live.shift();
      peak = Math.max(peak, process.memoryUsage().heapTotal);
    }
    console.log(Math.round(peak / 2 ** 20), base.length);`;
  const out = runServerNode(`${withModule ? 'await import("./lib/server/heap.ts");' : ""}${churn}`, { nodeArgs });
  return Number(out.split(" ")[0]);
}

test("the server's heap grows by a tenth before a full collection, not by V8's default of double or more; an explicit flag wins", () => {
  const bounded = peakHeap(true);
  const unbounded = peakHeap(false);
  // Seen here: about 90 vs 175–180 MiB.
  assert.ok(bounded < unbounded * 0.7, `with the module ${bounded} MiB, without ${unbounded} MiB`);
  const explicit = peakHeap(true, ["--heap-growing-percent=0"]);
  assert.ok(explicit > bounded * 1.4, `--heap-growing-percent=0 given: ${explicit} MiB vs ${bounded} MiB`);
});

test("every server start (scripts/server-env.mjs) caps V8's young generation at 4 MiB semi-spaces, and keeps a NODE_OPTIONS of its own", async () => {
  const { serverEnv } = await import("../../scripts/server-env.mjs");
  assert.equal(serverEnv({ NODE_OPTIONS: "--enable-source-maps" }).NODE_OPTIONS, "--enable-source-maps --max-semi-space-size=4");
  assert.equal(serverEnv({ NODE_OPTIONS: "--max-semi-space-size=16" }).NODE_OPTIONS, "--max-semi-space-size=16");
  const newSpaceMiB = (env: NodeJS.ProcessEnv) => {
    const r = spawnSync(
      process.execPath,
      [
        "-e",
        `let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 50000) keep = []; }
         console.log(require("v8").getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size / 2 ** 20);`,
      ],
      { encoding: "utf8", env },
    );
    assert.equal(r.status, 0, r.stderr);
    return Number(r.stdout.trim());
  };
  // New space is two semi-spaces: 8 MiB with the cap, 32 by Node's default under this churn.
  assert.ok(newSpaceMiB(serverEnv({ ...process.env, NODE_OPTIONS: "" })) <= 8);
  assert.ok(newSpaceMiB({ ...process.env, NODE_OPTIONS: "" }) > 8);
});
