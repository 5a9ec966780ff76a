// `npm test`: every check, in order, stopping at the first failure. Prints one closing line
// ("N passed, N failed") over the stages.
import { spawnSync } from "node:child_process";
import { findChromium, noChromiumMessage, playwrightHasBrowser } from "./find-chromium.mjs";

const npx = (args) => [process.execPath, ["node_modules/.bin/" + args[0], ...args.slice(1)]];
const stages = [
  ["format", ...npx(["prettier", "--check", "."])],
  ["lint", ...npx(["eslint", ".", "--max-warnings", "0"])],
  ["types", ...npx(["tsc", "--noEmit"])],
  ["unit", process.execPath, ["scripts/run-node-tests.mjs", "unit"]],
  ["build", process.execPath, ["node_modules/next/dist/bin/next", "build"]],
  ["data", process.execPath, ["scripts/run-node-tests.mjs", "data"]],
  ["e2e", process.execPath, ["node_modules/@playwright/test/cli.js", "test"]],
];

const skip = new Set((process.env.SKIP_STAGES ?? "").split(",").filter(Boolean));
if (!skip.has("e2e") && !findChromium() && !(await playwrightHasBrowser())) {
  console.error(noChromiumMessage());
  process.exit(1);
}

let passed = 0;
let failed = 0;
const times = [];
for (const [name, cmd, args] of stages) {
  if (skip.has(name)) continue;
  console.log(`\n=== ${name} ===`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  times.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)}s`);
  if (r.status === 0) passed++;
  else {
    failed++;
    console.error(`\nstage "${name}" failed (exit ${r.status ?? r.signal})`);
    break;
  }
}
console.log(`\nstages: ${times.join(", ")}`);
console.log(`stages: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
