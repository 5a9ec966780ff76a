import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { runServerNode } from "./server-node.test-support";

/** process.sourceMapsEnabled in a fresh node (with tsx, which turns them on) after importing the module. */
function sourceMapsAfterImport(env: Record<string, string>, nodeArgs: string[] = []): boolean {
  return runServerNode('await import("./lib/server/source-maps.ts"); console.log(process.sourceMapsEnabled)', { env, nodeArgs }) === "true";
}

test("the production server keeps no source maps (tsx turns them on); dev and --enable-source-maps keep them", () => {
  assert.equal(sourceMapsAfterImport({ NODE_ENV: "production" }), false);
  assert.equal(sourceMapsAfterImport({ NODE_ENV: "development" }), true);
  assert.equal(sourceMapsAfterImport({ NODE_ENV: "production" }, ["--enable-source-maps"]), true);
  assert.equal(sourceMapsAfterImport({ NODE_ENV: "production", NODE_OPTIONS: "--enable-source-maps" }), true);
  // Only modules loaded after it are spared their maps: it is server.ts' first import.
  const firstImport = /^import .+$/m.exec(fs.readFileSync("server.ts", "utf8"))?.[0];
  assert.equal(firstImport, 'import "@/lib/server/source-maps";');
});
