// `npm run bench`: every benchmark, one after another, with short settings so the whole run
// takes under 10 minutes on 2 cores (longer when other work loads them), then one report: bench/results/bench-<time>.md and .json
// (machine, each section's figures, and which figures meet the targets set in the issues).
// Each benchmark runs as its own process with its own throwaway PostgreSQL; see each file for
// what it measures. The search and export benchmarks are included when package.json has them.
//
//   npm run bench -- [--scale 1] [--only capture,live,search,export,replicas,growth,abuse,…]
// --scale multiplies every load duration (2 = twice as long, steadier figures).
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  abuseSection,
  captureSection,
  exportSection,
  growthSection,
  liveSection,
  opaqueSection,
  replicasSection,
  searchSection,
  verdict,
  type Json,
  type StepResult,
  type Target,
} from "./support/report-sections";

const { values: args } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    /** Comma-separated step names; default: all. */
    only: { type: "string" },
  },
});
const SCALE = Number(args.scale);
if (!(SCALE > 0)) throw new Error("--scale must be a positive number");
const ONLY = args.only ? new Set(args.only.split(",")) : null;
const secs = (s: number) => String(Math.max(1, Math.round(s * SCALE * 10) / 10));

const startedAt = new Date();
const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
const RESULTS = path.join("bench", "results");
const WORK = path.join(RESULTS, `bench-${stamp}`);
fs.mkdirSync(WORK, { recursive: true });
const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
const NODE = [process.execPath, "--import", "tsx", "--import", "./scripts/server-only-hook.mjs"];

interface Step {
  name: string;
  /** Script file (run with tsx) or an npm script name. */
  file?: string;
  npmScript?: string;
  args: string[];
  /** Exits 1 when its own target is missed (bench:abuse): with its figures written, that is a verdict for the targets table, not a failed step. */
  exitOneIsVerdict?: boolean;
}

const STEPS: Step[] = [
  {
    name: "capture",
    file: "bench/capture.ts",
    args: ["--duration", secs(2), "--rounds", "2", "--warmup", secs(1), "--connections", "32,128,512", "--bodies", "500,10240,1048576"],
  },
  { name: "live", file: "bench/live.ts", args: ["--live-captures", String(Math.round(500 * SCALE)), "--list-samples", "200"] },
  { name: "search", npmScript: "bench:search", args: ["--samples", String(Math.round(30 * SCALE))] },
  { name: "export", npmScript: "bench:export", args: ["--json-out", "{json}"] },
  { name: "replicas", file: "bench/replicas.ts", args: ["--duration", secs(4)] },
  { name: "growth", file: "bench/growth.ts", args: ["--duration", secs(3)] },
  // 3 rounds of idle vs flood, 5 s each at scale 1 (bench:abuse alone: 10 s): the 2x p99 check of issue 8.
  { name: "abuse", npmScript: "bench:abuse", args: ["--seconds", secs(5)], exitOneIsVerdict: true },
];

// Benchmarks added later (bench:forward, …) run too, with their own defaults, reported as printed.
for (const script of Object.keys(pkg.scripts)) {
  const name = script.replace(/^bench:/, "");
  if (script.startsWith("bench:") && !STEPS.some((st) => st.name === name)) STEPS.push({ name, npmScript: script, args: [] });
}

async function run(step: Step): Promise<StepResult> {
  const jsonOut = path.join(WORK, `${step.name}.json`);
  const t0 = performance.now();
  const startedMs = Date.now();
  let cmd: string[];
  if (step.file) cmd = [...NODE, step.file, ...step.args, "--json-out", jsonOut];
  else if (step.npmScript && pkg.scripts[step.npmScript])
    cmd = ["npm", "run", "--silent", step.npmScript, "--", ...step.args.map((a) => (a === "{json}" ? jsonOut : a))];
  else
    return {
      name: step.name,
      status: "skipped",
      note: `no \`npm run ${step.npmScript}\` in package.json yet`,
      seconds: 0,
      json: null,
      tail: "",
    };

  console.log(`\n=== ${step.name}: ${cmd.slice(step.file ? NODE.length : 0).join(" ")}`);
  const child = spawn(cmd[0]!, cmd.slice(1), {
    // BENCH_JSON_OUT: where a benchmark that knows it writes its figures (search/export may).
    env: { ...process.env, NEXT_DIST_DIR: ".next", BENCH_JSON_OUT: jsonOut },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const echo = (d: Buffer) => {
    process.stdout.write(d);
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout!.on("data", echo);
  child.stderr!.on("data", echo);
  const code = await new Promise<number>((resolve) => child.on("exit", (c, s) => resolve(c ?? (s ? 1 : 0))));
  // A benchmark without --json-out writes bench/results/<name>-<time>.json: take the one this run wrote.
  const written = fs.existsSync(jsonOut)
    ? jsonOut
    : fs
        .readdirSync(RESULTS)
        .filter((n) => n.startsWith(`${step.name}-`) && n.endsWith(".json"))
        .map((n) => path.join(RESULTS, n))
        .filter((p) => fs.statSync(p).mtimeMs >= startedMs)
        .sort()
        .pop();
  const json = written ? (JSON.parse(fs.readFileSync(written, "utf8")) as unknown) : null;
  const ok = code === 0 || (code === 1 && step.exitOneIsVerdict === true && json !== null);
  return {
    name: step.name,
    status: ok ? "ok" : "failed",
    note: ok ? undefined : `exit ${code}`,
    seconds: (performance.now() - t0) / 1000,
    json,
    tail: out.trim().split("\n").slice(-40).join("\n"),
  };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const b = spawnSync(process.execPath, ["scripts/start.mjs", "--build-only"], { stdio: "inherit" });
  if (b.status !== 0) throw new Error("build failed");
  const results: StepResult[] = [];
  for (const step of STEPS) {
    if (ONLY && !ONLY.has(step.name)) continue;
    results.push(await run(step));
  }
  const targets: Target[] = [];
  const sections: string[] = [];
  for (const r of results) {
    if (r.status === "skipped") {
      sections.push(`## ${r.name}`, "", `Skipped: ${r.note}.`, "");
      continue;
    }
    if (r.status === "failed" || !r.json) {
      sections.push(`## ${r.name}`, "", `**Failed** (${r.note ?? "no figures written"}):`, "", "```", r.tail, "```", "");
      continue;
    }
    const j = r.json as Json;
    try {
      if (r.name === "capture") sections.push(...captureSection(j, targets));
      else if (r.name === "live") sections.push(...liveSection(j, targets));
      else if (r.name === "replicas") sections.push(...replicasSection(j));
      else if (r.name === "search") sections.push(...searchSection(j, targets));
      else if (r.name === "export") sections.push(...exportSection(j));
      else if (r.name === "growth") sections.push(...growthSection(j));
      else if (r.name === "abuse") sections.push(...abuseSection(j, targets));
      else sections.push(...opaqueSection(r));
    } catch (e) {
      sections.push(`## ${r.name}`, "", `Figures in an unexpected shape (${String(e)}):`, "", "```", r.tail, "```", "");
    }
  }
  const minutes = (Date.now() - startedAt.getTime()) / 60_000;
  const cpus = os.cpus();
  const md = [
    `# Hookscope benchmarks, ${startedAt.toISOString()}`,
    "",
    `${cpus.length} × ${cpus[0]?.model ?? "CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${os.platform()} ${os.release()}, Node ${process.version}. ` +
      `Load average ${loadBefore.map((l) => l.toFixed(1)).join(" ")} before, ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} after; ran ${minutes.toFixed(1)} min at --scale ${SCALE}.`,
    "",
    "App, PostgreSQL and the load generator share this machine. On a shared or small machine the " +
      "absolute figures move from run to run; ratios measured in the same run (app vs baseline, CPU per capture) move less.",
    "",
    "## Targets",
    "",
    "| target | from | value | |",
    "|---|---|--:|:-:|",
    ...targets.map((t) => `| ${t.goal} | ${t.source} | ${t.value} | ${verdict(t.met)} |`),
    ...results.filter((r) => r.status !== "ok").map((r) => `| ${r.name} | | ${r.status} | not measured |`),
    "",
    ...sections,
    `Steps: ${results.map((r) => `${r.name} ${r.status} (${r.seconds.toFixed(0)} s)`).join(", ")}. Raw figures: ${WORK}/.`,
    "",
  ].join("\n");
  const json = {
    startedAt: startedAt.toISOString(),
    minutes,
    scale: SCALE,
    machine: {
      cpus: cpus.length,
      model: cpus[0]?.model ?? null,
      memoryBytes: os.totalmem(),
      node: process.version,
      loadavgBefore: loadBefore,
      loadavgAfter: os.loadavg(),
    },
    targets,
    steps: results.map((r) => ({ name: r.name, status: r.status, note: r.note ?? null, seconds: r.seconds, figures: r.json })),
  };
  fs.writeFileSync(path.join(RESULTS, `bench-${stamp}.md`), md);
  fs.writeFileSync(path.join(RESULTS, `bench-${stamp}.json`), JSON.stringify(json, null, 2) + "\n");
  console.log(`\n${md}\nWrote ${RESULTS}/bench-${stamp}.{md,json}`);
  if (results.some((r) => r.status === "failed")) process.exitCode = 1;
}

await main();
