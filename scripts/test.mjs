// `npm test`: every check, in order, stopping at the first failure. Prints one closing line
// ("N passed, N failed") over the stages.
import { spawn } from "node:child_process";
import { findChromium, noChromiumMessage, playwrightHasBrowser } from "./find-chromium.mjs";

const npx = (args) => [process.execPath, ["node_modules/.bin/" + args[0], ...args.slice(1)]];
// [name, command, args, minutes]: a stage still running after its minutes (several times what it
// takes on a loaded 2-core machine) is ended and fails, so a hang is a red run with its output
// rather than a CI job cut off at its own limit with none. Each stage runs in a process group of
// its own, and nothing in it outlives the stage: a server or database a failed stage left behind
// would keep CI's output pipe open (and the job running) after npm test has ended.
const stages = [
  ["format", ...npx(["prettier", "--check", "."]), 5],
  ["lint", ...npx(["eslint", ".", "--max-warnings", "0"]), 10],
  ["types", ...npx(["tsc", "--noEmit"]), 10],
  ["unit", process.execPath, ["scripts/run-node-tests.mjs", "unit"], 10],
  ["build", process.execPath, ["node_modules/next/dist/bin/next", "build"], 15],
  ["data", process.execPath, ["scripts/run-node-tests.mjs", "data"], 40],
  ["e2e", process.execPath, ["node_modules/@playwright/test/cli.js", "test"], 60],
];

const skip = new Set((process.env.SKIP_STAGES ?? "").split(",").filter(Boolean));
if (!skip.has("e2e") && !findChromium() && !(await playwrightHasBrowser())) {
  console.error(noChromiumMessage());
  process.exit(1);
}

let passed = 0;
let failed = 0;
const times = [];
for (const [name, cmd, args, minutes] of stages) {
  if (skip.has(name)) continue;
  console.log(`\n=== ${name} ===`);
  const t = Date.now();
  const r = await runStage(cmd, args, minutes * 60_000);
  times.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)}s`);
  if (r.status === 0) passed++;
  else {
    failed++;
    const why = r.timedOut ? `still running after ${minutes} min, ended` : `exit ${r.status ?? r.signal}`;
    console.error(`\nstage "${name}" failed (${why})`);
    break;
  }
}
console.log(`\nstages: ${times.join(", ")}`);
console.log(`stages: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

/** Runs one stage in its own process group; ends the group when the stage ends, times out, or we are interrupted. */
function runStage(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", detached: true, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    const group = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      group("SIGTERM");
      setTimeout(() => group("SIGKILL"), 15_000).unref();
    }, timeoutMs);
    const interrupt = (signal) => {
      group(signal);
      process.exit(1);
    };
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    child.on("exit", (status, signal) => {
      clearTimeout(timer);
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
      group("SIGKILL"); // whatever the stage left running
      resolve({ status, signal, timedOut });
    });
  });
}
