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

interface StepResult {
  name: string;
  status: "ok" | "failed" | "skipped";
  note?: string;
  seconds: number;
  json: unknown;
  /** The last lines the step printed (kept for steps whose JSON shape this report does not know). */
  tail: string;
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

// --- report ----------------------------------------------------------------------------------

type Json = Record<string, unknown>;
const f = (v: unknown, d = 1) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : "–");
const pct = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? `${(v * 100).toFixed(0)}%` : "–");
const verdict = (met: boolean | null | undefined) => (met === null || met === undefined ? "not measured" : met ? "met" : "**not met**");

interface Target {
  goal: string;
  source: string;
  value: string;
  met: boolean | null;
}

function captureSection(j: Json, targets: Target[]): string[] {
  const runs = j.runs as {
    target: string;
    bodyBytes: number;
    load: { connections: number; rps: number; latencyMs: { p50: number; p99: number }; errors: number; non2xx: number };
    rowsMatch2xx: boolean;
    acknowledgedStored: boolean;
    peakRssMiB: number | null;
  }[];
  const ratios = j.ratios as { bodyBytes: number; connections: number; ratio: number | null; cpuRatio: number | null }[];
  const t = j.targets as {
    throughput: { goal: string; value: number; met: boolean };
    p99: { goal: string; value: number | null; met: boolean | null };
  };
  targets.push(
    { goal: t.throughput.goal, source: "issue 1 (bench:capture)", value: pct(t.throughput.value), met: t.throughput.met },
    { goal: t.p99.goal, source: "issue 1 (bench:capture)", value: `${f(t.p99.value, 2)} ms`, met: t.p99.met },
  );
  const lines = [
    "## Capture throughput and latency (app vs bare node:http + batched INSERT)",
    "",
    "| body | conns | app req/s | baseline req/s | **app / baseline** | by CPU cost | app p50 / p99 ms | baseline p50 / p99 ms | app peak RSS MiB | every 2xx stored |",
    "|--:|--:|--:|--:|--:|--:|--:|--:|--:|:-:|",
  ];
  for (const r of ratios) {
    const app = runs.find((x) => x.target === "app" && x.bodyBytes === r.bodyBytes && x.load.connections === r.connections);
    const base = runs.find((x) => x.target === "baseline" && x.bodyBytes === r.bodyBytes && x.load.connections === r.connections);
    const size =
      r.bodyBytes >= 1 << 20 ? `${r.bodyBytes / (1 << 20)} MiB` : r.bodyBytes >= 1024 ? `${r.bodyBytes / 1024} KiB` : `${r.bodyBytes} B`;
    lines.push(
      `| ${size} | ${r.connections} | ${f(app?.load.rps, 0)} | ${f(base?.load.rps, 0)} | **${pct(r.ratio)}** | ${pct(r.cpuRatio)} | ` +
        `${f(app?.load.latencyMs.p50, 1)} / ${f(app?.load.latencyMs.p99, 1)} | ${f(base?.load.latencyMs.p50, 1)} / ${f(base?.load.latencyMs.p99, 1)} | ` +
        `${f(app?.peakRssMiB, 0)} | ${app?.acknowledgedStored && base?.acknowledgedStored ? (app.rowsMatch2xx && base.rowsMatch2xx ? "yes" : "yes (+ timed-out rows)") : "**no**"} |`,
    );
  }
  lines.push("", `App RSS when ready: ${f(j.appStartRssMiB, 0)} MiB; peak under load ${f(j.appPeakRssMiB, 0)} MiB.`, "");
  return lines;
}

function liveSection(j: Json, targets: Target[]): string[] {
  const live = j.live as {
    latency: { p50: number; p95: number; p99: number };
    captures: number;
    received: number;
    failures: number;
    peakRssMiB?: number;
  };
  const list = j.list as { rows: number; api: { p50: number; p95: number; p99: number }; sql: { p95: number }; peakRssMiB?: number };
  targets.push(
    {
      goal: "live: capture 2xx → SSE event p95 < 100 ms",
      source: "issue 3",
      value: `${f(live.latency.p95, 1)} ms`,
      met: live.latency.p95 < 100,
    },
    {
      goal: `list: GET …/captures?limit=100 on ${list.rows.toLocaleString("en")} captures p95 < 50 ms`,
      source: "issue 3",
      value: `${f(list.api.p95, 1)} ms`,
      met: list.api.p95 < 50,
    },
  );
  return [
    "## Live latency and list latency",
    "",
    "| measure | p50 ms | p95 ms | p99 ms | peak RSS MiB |",
    "|---|--:|--:|--:|--:|",
    `| capture 2xx → SSE event (${live.received}/${live.captures - live.failures} events, 100/s) | ${f(live.latency.p50, 1)} | ${f(live.latency.p95, 1)} | ${f(live.latency.p99, 1)} | ${f(live.peakRssMiB, 0)} |`,
    `| list API, limit 100, ${list.rows.toLocaleString("en")} captures | ${f(list.api.p50, 1)} | ${f(list.api.p95, 1)} | ${f(list.api.p99, 1)} | ${f(list.peakRssMiB, 0)} |`,
    `| the same SQL straight through pg | – | ${f(list.sql.p95, 1)} | – | – |`,
    "",
  ];
}

function replicasSection(j: Json): string[] {
  const runs = j.runs as {
    replicas: number;
    rps: number;
    latencyMs: { p50: number; p99: number };
    rowsMatch2xx: boolean;
    peakRssMiB: (number | null)[];
  }[];
  return [
    "## 1 vs 2 replicas",
    "",
    "| replicas | captures/s | p50 / p99 ms | peak RSS MiB | rows = 2xx |",
    "|--:|--:|--:|--:|:-:|",
    ...runs.map(
      (r) =>
        `| ${r.replicas} | ${f(r.rps, 0)} | ${f(r.latencyMs.p50, 1)} / ${f(r.latencyMs.p99, 1)} | ${r.peakRssMiB.map((x) => f(x, 0)).join(" + ")} | ${r.rowsMatch2xx ? "yes" : "**no**"} |`,
    ),
    "",
    `**2 replicas / 1 replica: ${pct(j.scaling)}** of the throughput. Both replicas, Postgres and the load generator share ` +
      `this machine's ${(j.machine as Json).cpus as number} cores, so this shows the cost of a second process on one host; ` +
      "on separate hosts the HTTP side scales with replicas until the one PostgreSQL is the limit.",
    "",
  ];
}

function growthSection(j: Json): string[] {
  const eps = j.endpoints as {
    endpoints: number;
    load: { rps: number; latencyMs: { p50: number; p99: number } };
    serverCpuUsPerReq: number | null;
    postgresCpuUsPerReq: number | null;
    peakRssMiB: number | null;
    rowsMatch2xx: boolean;
  }[];
  const subs = j.subscribers as {
    subscribers: number;
    rssIdleMiB: number | null;
    rssWithStreamsMiB: number | null;
    liveLatency: { p50: number; p99: number };
    load: { rps: number };
    serverCpuUsPerReq: number | null;
    peakRssMiB: number | null;
    streamsWithEveryEvent: number;
    streamsDropped: number;
  }[];
  const list = j.list as { captures: number; firstPage: { p50: number; p95: number }; middlePage: { p50: number; p95: number } }[];
  return [
    "## Cost of growth",
    "",
    "Endpoints (each request to the next endpoint in turn):",
    "",
    "| endpoints | captures/s | p50 / p99 ms | app CPU µs/capture | Postgres CPU µs/capture | peak RSS MiB | rows = 2xx |",
    "|--:|--:|--:|--:|--:|--:|:-:|",
    ...eps.map(
      (e) =>
        `| ${e.endpoints.toLocaleString("en")} | ${f(e.load.rps, 0)} | ${f(e.load.latencyMs.p50, 1)} / ${f(e.load.latencyMs.p99, 1)} | ${f(e.serverCpuUsPerReq, 0)} | ${f(e.postgresCpuUsPerReq, 0)} | ${f(e.peakRssMiB, 0)} | ${e.rowsMatch2xx ? "yes" : "**no**"} |`,
    ),
    "",
    "Live subscribers on one replica, all watching the loaded endpoint:",
    "",
    "| SSE streams | RSS idle → with streams MiB | live p50 / p99 ms (last subscriber, 50/s) | captures/s under load | app CPU µs/capture | peak RSS MiB | streams with every event / dropped |",
    "|--:|--:|--:|--:|--:|--:|--:|",
    ...subs.map(
      (s) =>
        `| ${s.subscribers.toLocaleString("en")} | ${f(s.rssIdleMiB, 0)} → ${f(s.rssWithStreamsMiB, 0)} | ${f(s.liveLatency.p50, 1)} / ${f(s.liveLatency.p99, 1)} | ${f(s.load.rps, 0)} | ${f(s.serverCpuUsPerReq, 0)} | ${f(s.peakRssMiB, 0)} | ${s.streamsWithEveryEvent} / ${s.streamsDropped} |`,
    ),
    "",
    "Dashboard list (limit 50) as one endpoint grows:",
    "",
    "| captures | first page p50 / p95 ms | middle page p50 / p95 ms |",
    "|--:|--:|--:|",
    ...list.map(
      (l) =>
        `| ${l.captures.toLocaleString("en")} | ${f(l.firstPage.p50, 1)} / ${f(l.firstPage.p95, 1)} | ${f(l.middlePage.p50, 1)} / ${f(l.middlePage.p95, 1)} |`,
    ),
    "",
  ];
}

function searchSection(j: Json, targets: Target[]): string[] {
  const results = j.results as { q: string; rows: number; api: { p50: number; p95: number }; sql: { p95: number } }[];
  const worst = results.reduce((a, b) => (b.api.p95 > a.api.p95 ? b : a));
  targets.push({
    goal: `search: every query p95 < 100 ms on ${(j.rows as number).toLocaleString("en")} captures`,
    source: "issue 5",
    value: `${f(worst.api.p95, 1)} ms (worst: \`${worst.q}\`)`,
    met: results.every((r) => r.api.p95 < 100),
  });
  return [
    `## Search (list API with ?q=, limit ${j.limit as number}, ${(j.rows as number).toLocaleString("en")} captures)`,
    "",
    "| query | rows | API p50 / p95 ms | same SQL p95 ms |",
    "|---|--:|--:|--:|",
    ...results.map(
      (r) => `| \`${r.q.replace(/\|/g, "\\|")}\` | ${r.rows} | ${f(r.api.p50, 1)} / ${f(r.api.p95, 1)} | ${f(r.sql.p95, 1)} |`,
    ),
    "",
    `App peak RSS while searching: ${f(j.peakRssMiB, 0)} MiB.`,
    "",
  ];
}

function exportSection(j: Json): string[] {
  type Run = { capturesPerSecond: number; outputMBps: number; bodyMBps: number; seconds: number; peakRssMiB: number | null };
  const ex = j.exports as { ndjson: Run; har: Run };
  const base = j.baselines as { select: Run; copy: Run | null };
  const row = (label: string, r: Run | null) =>
    r
      ? `| ${label} | ${f(r.capturesPerSecond, 0)} | ${f(r.outputMBps, 1)} | ${f(r.bodyMBps, 1)} | ${f(r.peakRssMiB, 0)} |`
      : `| ${label} | – | – | – | – |`;
  return [
    `## Export (${(j.rows as number).toLocaleString("en")} captures)`,
    "",
    "| run | captures/s | MB/s out | MB/s of bodies | peak RSS MiB |",
    "|---|--:|--:|--:|--:|",
    row("export NDJSON (API)", ex.ndjson),
    row("export HAR (API)", ex.har),
    row("baseline: SELECT through a cursor", base.select),
    row("baseline: COPY TO STDOUT", base.copy),
    "",
  ];
}

function abuseSection(j: Json, targets: Target[]): string[] {
  const abuse = j.abuse as { rps: number; limitedShare: number };
  const told = j.told as { status: number; retryAfter: string | null };
  const rounds = j.perRound as { idle: { p50: number; p99: number }; underAbuse: { p50: number; p99: number; ok: number; sent: number } }[];
  const checks = j.checks as Record<string, boolean>;
  targets.push(
    {
      goal: "rate limit: an address far over it gets 429 + Retry-After",
      source: "issue 8",
      value: `${pct(abuse.limitedShare)} answered 429, Retry-After ${told.retryAfter ?? "none"}`,
      met: checks.abuserGets429 === true && checks.retryAfter === true,
    },
    {
      goal: "rate limit: another endpoint's p99 under the flood ≤ 2x its idle p99",
      source: "issue 8",
      value: `${f(j.ratio, 2)}x (${f(j.idleP99, 1)} → ${f(j.abuseP99, 1)} ms)`,
      met: checks.p99Within2x === true && checks.quietAllAccepted === true,
    },
  );
  return [
    "## Rate limit under a flood (one address, one endpoint)",
    "",
    `The abuser: about ${f(abuse.rps, 0)} req/s, ${pct(abuse.limitedShare)} answered 429 (a request over the limit: ` +
      `${told.status}, Retry-After ${told.retryAfter ?? "none"}). A quiet sender on another endpoint at ${j.probeRate as number} req/s, ` +
      `${j.seconds as number} s per phase:`,
    "",
    "| round | idle p50 / p99 ms | under the flood p50 / p99 ms | quiet captures accepted |",
    "|--:|--:|--:|--:|",
    ...rounds.map(
      (r, i) =>
        `| ${i + 1} | ${f(r.idle.p50, 1)} / ${f(r.idle.p99, 1)} | ${f(r.underAbuse.p50, 1)} / ${f(r.underAbuse.p99, 1)} | ${r.underAbuse.ok}/${r.underAbuse.sent} |`,
    ),
    "",
    `p99 under the flood / idle p99 (medians of the rounds): **${f(j.ratio, 2)}x**. On a loaded shared machine the idle p99 ` +
      "alone moves between rounds; the ratio needs an otherwise quiet machine to judge.",
    "",
  ];
}

function opaqueSection(r: StepResult): string[] {
  return [`## ${r.name}`, "", "Its own output (this report does not interpret its figures):", "", "```", r.tail, "```", ""];
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
