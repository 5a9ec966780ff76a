// `npm start`: build the Next app when there is no build for this source yet (not for
// SERVER_ROLE=capture) and the server bundle (scripts/server-bundle.mjs, every time: half a
// second), then serve (`--build-only`: just the builds).
// The build is keyed by a hash of the source files, so a `git pull` rebuilds once.
import { spawnSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { stop as stopEsbuild } from "esbuild";
import { buildServerBundle, SERVER_BUNDLE } from "./server-bundle.mjs";
import { serverEnv } from "./server-env.mjs";

const ROOTS = ["app", "components", "lib", "next.config.ts", "postcss.config.mjs", "package-lock.json", "tsconfig.json"];
const STAMP = ".next/hookscope-source-hash";

function* files(p) {
  if (!fs.existsSync(p)) return;
  const st = fs.statSync(p);
  if (st.isFile()) return yield p;
  for (const name of fs.readdirSync(p).sort()) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    yield* files(path.join(p, name));
  }
}

const hash = crypto.createHash("sha256");
for (const root of ROOTS) for (const f of files(root)) hash.update(f).update(fs.readFileSync(f));
const digest = hash.digest("hex");
const built = fs.existsSync(".next/BUILD_ID") && fs.existsSync(STAMP) && fs.readFileSync(STAMP, "utf8") === digest;

// A capture-only process (SERVER_ROLE=capture) never loads Next, so it needs no build.
if (!built && process.env.SERVER_ROLE !== "capture") {
  console.log("Building the dashboard (first start or changed source)…");
  const r = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(STAMP, digest);
}
await buildServerBundle();
await stopEsbuild(); // its service process would otherwise stay beside the server
// scripts/cluster.ts builds once this way before it starts its replicas.
if (process.argv.includes("--build-only")) process.exit(0);

const child = spawn(process.execPath, [SERVER_BUNDLE], {
  stdio: "inherit",
  env: serverEnv({ NODE_ENV: "production", ...process.env }),
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
