// The production server: server.ts and the server code it imports (not Next's pages and routes,
// which `next build` compiles) bundled by esbuild into one ES module, run by plain `node`.
// Packages stay external, loaded from node_modules as usual; `server-only` becomes an empty module
// (Next enforces that guard in its own build). `npm run dev` still runs server.ts under tsx.
//
// Why not tsx in production: tsx compiles with esbuild's keepNames, which names every function it
// creates with Object.defineProperty, the closures of each capture included. The bundle cost 7%
// and 18% less server CPU per capture than tsx in two alternating runs (docs/benchmarks.md, "Kept:
// the server runs as a bundle"). It also skips compiling TypeScript at every start.
//
// Built in about half a second, so `npm start` (and start:cluster) builds it at every start, and
// test/support/app.ts once per test process: what they run is never older than the source.
// `npm run serve` runs what `npm run build` last built, like Next's own build.
// Usage: node scripts/server-bundle.mjs
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { isMainModule } from "./main-module.mjs";

/** Where the bundle goes (ignored like every `.next-*` build directory). */
export const SERVER_BUNDLE = ".next-server/server.mjs";

const emptyServerOnly = {
  name: "server-only",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "" }));
  },
};

/**
 * Bundles `entry` (default server.ts) into `outfile` (paths relative to the working directory, the
 * project root). Written to a temporary file of its own and renamed, so a process starting the
 * bundle never reads a half-written one, even while other processes rebuild it. bench/support/baseline-runner.ts
 * builds the benchmark's yardstick server this way too, so both run compiled alike.
 */
export async function buildServerBundle(outfile = SERVER_BUNDLE, entry = "server.ts") {
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${crypto.randomUUID()}.tmp`;
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile: tmp,
    // A linked map, read only when node runs with --enable-source-maps (lib/server/source-maps.ts).
    sourcemap: "linked",
    keepNames: false,
    logLevel: "warning",
    plugins: [emptyServerOnly],
  });
  // The map keeps the name it was written under; point the bundle at the final one.
  const code = fs.readFileSync(tmp, "utf8");
  const mapName = `${path.basename(outfile)}.map`;
  fs.writeFileSync(tmp, code.replace(/\/\/# sourceMappingURL=\S+\s*$/, `//# sourceMappingURL=${mapName}\n`));
  fs.renameSync(`${tmp}.map`, `${outfile}.map`);
  fs.renameSync(tmp, outfile);
  return outfile;
}

if (isMainModule(import.meta.url)) {
  await buildServerBundle();
  console.log(`Built ${SERVER_BUNDLE}`);
}
