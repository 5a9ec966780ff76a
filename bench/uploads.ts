// `npm run bench:uploads`: memory under a burst of big uploads, with the capture body budget
// (CAPTURE_BODY_BUDGET_BYTES, default 64 MiB) and, as the baseline in the same run, without it
// (the budget set to 16 GiB, i.e. every body read at once, and 32 MiB group commits: as before the
// budget; bodies are read into one buffer each as now, lib/server/capture/body-buffer.ts).
//   `--clients` concurrent connections each POST one `--body-bytes` body (random bytes, so
//   nothing compresses), all started together. For each server: idle RSS, peak RSS during the
//   burst (sampled every 50 ms), the wall time until every upload was acknowledged, whether
//   every one got 200, and the RSS 30 s after the burst (target: back within 100 MiB of idle).
//   Each configuration gets a fresh server process on the same database.
// Stops its servers and database by itself, also on Ctrl+C.
//
//   With `--role capture` the servers measured are capture-only processes (SERVER_ROLE=capture),
//   beside an ordinary one that makes the endpoints.
//
//   npm run bench:uploads -- [--clients 512] [--body-bytes 1048576] [--settle-seconds 30] [--role all|capture] [--json-out file]
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import { createEndpoint, startApp, type RunningApp } from "../test/support/app";
import { memoryMiB, sampleRss } from "./support/proc";
import { startTestPostgres, type TestPostgres } from "./support/postgres";
import { BENCH_APP_ENV, createDatabase, ensureBuild, KEEP_EVERYTHING } from "./support/stack";

const { values: args } = parseArgs({
  options: {
    clients: { type: "string", default: "512" },
    "body-bytes": { type: "string", default: String(1024 * 1024) },
    "settle-seconds": { type: "string", default: "30" },
    /** Extra environment for both servers, e.g. `--env MALLOC_ARENA_MAX=2` (repeatable): to try a setting against the same burst. */
    env: { type: "string", multiple: true, default: [] },
    /** Skip the no-budget baseline (for trying settings quickly; the comparison needs both). */
    "budget-only": { type: "boolean", default: false },
    role: { type: "string", default: "all" },
    "json-out": { type: "string" },
  },
});
const CLIENTS = Number(args.clients);
const BODY_BYTES = Number(args["body-bytes"]);
const SETTLE_MS = Number(args["settle-seconds"]) * 1000;

interface Result {
  label: string;
  budgetBytes: number;
  idleRssMiB: number;
  peakRssMiB: number;
  seconds: number;
  acknowledged: number;
  settledRssMiB: number;
  /** Seconds after the burst until RSS was within 100 MiB of idle; null when it never was within the settle time. */
  backWithin100MiBSeconds: number | null;
}

function upload(url: string, body: Buffer): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      url,
      { method: "POST", agent: false, headers: { "content-type": "application/octet-stream", "content-length": body.length } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(0));
    req.end(body);
  });
}

/** Measures `app`; the endpoint is made through `admin` (the same process unless it is capture-only). */
async function measure(app: RunningApp, admin: RunningApp, label: string, budgetBytes: number, body: Buffer): Promise<Result> {
  const ep = await createEndpoint(admin.baseUrl, { name: `bench uploads ${label}`, retention: KEEP_EVERYTHING });
  const captureUrl = `${app.baseUrl}/h/${ep.slug}`;
  // Warm the path (JIT, the slug cache, a first batch) so the burst measures the burst.
  await Promise.all(Array.from({ length: 4 }, () => upload(captureUrl, body.subarray(0, 1024))));
  const idle = memoryMiB(app.pid)!.rss;
  const rss = sampleRss(app.pid, 50);
  const t0 = performance.now();
  const statuses = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => upload(`${captureUrl}/${i}`, body)));
  const seconds = (performance.now() - t0) / 1000;
  const peak = rss.stop()!;
  const metrics = await (await fetch(`${app.baseUrl}/api/metrics`)).text();
  const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(metrics)?.[1] ?? NaN) / 1024 / 1024;
  console.log(
    `    after the burst: body bytes held at most ${gauge("hookscope_capture_body_bytes_in_flight_max").toFixed(0)} MiB; ` +
      `V8 heap ${gauge("nodejs_heap_size_total_bytes").toFixed(0)} MiB, external ${gauge("nodejs_external_memory_bytes").toFixed(0)} MiB`,
  );
  // Watch RSS come down: the first moment within 100 MiB of idle, else the value at the end.
  const burstEnd = performance.now();
  let back: number | null = null;
  let now = memoryMiB(app.pid)!.rss;
  while (performance.now() - burstEnd < SETTLE_MS) {
    now = memoryMiB(app.pid)!.rss;
    if (now <= idle + 100) {
      back = (performance.now() - burstEnd) / 1000;
      break;
    }
    await new Promise((r) => setTimeout(r, 250)); // sampling interval of a measurement, not a wait for a condition
  }
  return {
    label,
    budgetBytes,
    idleRssMiB: idle,
    peakRssMiB: peak,
    seconds,
    acknowledged: statuses.filter((s) => s === 200).length,
    settledRssMiB: now,
    backWithin100MiBSeconds: back,
  };
}

async function main(): Promise<void> {
  ensureBuild();
  let postgres: TestPostgres | undefined;
  let app: RunningApp | undefined;
  let admin: RunningApp | undefined;
  const stopAll = async () => {
    await app?.stop().catch(() => {});
    await admin?.stop().catch(() => {});
    await postgres?.stop().catch(() => {});
  };
  const onSignal = () => void stopAll().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    postgres = await startTestPostgres();
    const databaseUrl = await createDatabase(postgres.url, "hookscope_bench_uploads");
    const body = crypto.randomBytes(BODY_BYTES);
    const configs = [
      { label: "budget 64 MiB (default)", env: {} as Record<string, string>, budget: 64 * 1024 * 1024 },
      // As before the budget: every body read at once, and group commits of up to 32 MiB of bodies.
      {
        label: "no budget (baseline)",
        env: { CAPTURE_BODY_BUDGET_BYTES: String(16 * 1024 ** 3), CAPTURE_BATCH_MAX_BYTES: String(32 * 1024 * 1024) },
        budget: 16 * 1024 ** 3,
      },
    ];
    if (args.role !== "all" && args.role !== "capture") throw new Error(`--role is all or capture, not ${args.role}`);
    const role = args.role;
    if (role === "capture") admin = await startApp({ databaseUrl, env: { ...BENCH_APP_ENV } });
    console.log(
      `${CLIENTS} concurrent uploads of ${(BODY_BYTES / 1024).toFixed(0)} KiB each, one ${role === "capture" ? "capture-only " : ""}server process per configuration`,
    );
    const results: Result[] = [];
    for (const c of args["budget-only"] ? configs.slice(0, 1) : configs) {
      const extra = Object.fromEntries(args.env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
      app = await startApp({
        databaseUrl,
        env: { ...BENCH_APP_ENV, ...(role === "capture" ? { SERVER_ROLE: "capture" } : {}), ...extra, ...c.env },
      });
      const r = await measure(app, admin ?? app, c.label, c.budget, body);
      results.push(r);
      console.log(
        `  ${r.label.padEnd(26)} acknowledged ${r.acknowledged}/${CLIENTS} in ${r.seconds.toFixed(1)} s` +
          `  RSS idle ${r.idleRssMiB.toFixed(0)} MiB, peak ${r.peakRssMiB.toFixed(0)} MiB (+${(r.peakRssMiB - r.idleRssMiB).toFixed(0)})` +
          `, ${r.backWithin100MiBSeconds === null ? `still ${r.settledRssMiB.toFixed(0)} MiB after ${SETTLE_MS / 1000} s` : `within 100 MiB of idle after ${r.backWithin100MiBSeconds.toFixed(1)} s`}`,
      );
      await app.stop();
      app = undefined;
    }
    const [withBudget, without] = results as [Result, Result | undefined];
    if (without)
      console.log(
        `  peak over idle: ${(withBudget.peakRssMiB - withBudget.idleRssMiB).toFixed(0)} MiB with the budget vs ${(without.peakRssMiB - without.idleRssMiB).toFixed(0)} MiB without;` +
          ` acknowledged/s ${(withBudget.acknowledged / withBudget.seconds).toFixed(0)} vs ${(without.acknowledged / without.seconds).toFixed(0)}`,
      );
    console.log(`  target: every upload acknowledged, peak RSS < 600 MiB, back within 100 MiB of idle within 30 s`);
    const out = args["json-out"] ?? path.join("bench", "results", `uploads-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ clients: CLIENTS, bodyBytes: BODY_BYTES, role, results }, null, 2));
    console.log(`  figures: ${out}`);
  } finally {
    await stopAll();
  }
}

await main();
