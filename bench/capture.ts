// `npm run bench:capture`: capture throughput and latency of the real server (server.ts, Next
// build in NEXT_DIST_DIR, default .next-bench, built when missing) against a bare node:http +
// Postgres baseline (support/baseline-server.ts), measured in the same run on the same throwaway
// database, one server under load at a time. Each server and connection count gets `duration`
// seconds of autocannon load in alternating rounds after a warm-up; every run stops gracefully,
// so the rows stored must equal the 2xx answers counted. CPU per request (server process, and
// Postgres with its backends) is reported beside req/s: on a shared machine it moves far less.
// Everything binds 127.0.0.1 and stops by itself; results go to bench/results/capture-<time>.{json,md}.
//
//   npm run bench:capture -- [--duration 10] [--rounds 2] [--warmup 2] [--connections 32,128]
//                            [--bodies 500,10240,1048576] [--app-env NAME=VALUE]… [--label text]
//                            [--rebuild] [--json-out file]
// Each body size runs every connection count; the captures table is emptied between them, so a
// long run with 1 MiB bodies does not fill the disk.
//                            [--forward none|nomatch|match]
// --forward puts a forward rule on the app's endpoint: `nomatch` (method PUT: every batch looks
// the rules up, nothing is queued) or `match` (every capture is queued and the app's worker
// delivers it to a sink in this process while the load runs; deliveries are counted).
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrate } from "@/lib/server/db/migrate";
import { createEndpoint, freePort, startApp, type RunningApp } from "../test/support/app";
import { combineLoads, runLoad, type LoadResult } from "./support/load";
import { startTestPostgres } from "./support/postgres";
import { cpuMs, memoryMiB, sampleRss, treeCpuMs } from "./support/proc";
import { BENCH_APP_ENV, KEEP_EVERYTHING, nextBuild } from "./support/stack";

const TARGETS = { throughputRatio: 0.5, p99Ms: 50, p99Connections: 32 } as const;

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "32,128" },
    bodies: { type: "string", default: "500" },
    "json-out": { type: "string" },
    "app-env": { type: "string", multiple: true, default: [] },
    label: { type: "string", default: "" },
    rebuild: { type: "boolean", default: false },
    forward: { type: "string", default: "none" },
  },
});
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const ROUNDS = Math.max(1, Number(args.rounds));
const CONNECTIONS = args.connections.split(",").map(Number);
const BODY_SIZES = args.bodies.split(",").map(Number);
const APP_ENV = Object.fromEntries(
  args["app-env"].map((kv) => {
    const i = kv.indexOf("=");
    if (i < 1) throw new Error(`--app-env wants NAME=VALUE, got ${kv}`);
    return [kv.slice(0, i), kv.slice(i + 1)];
  }),
);
const DIST_DIR = process.env.NEXT_DIST_DIR ?? ".next-bench";
const FORWARD = args.forward;
if (!["none", "nomatch", "match"].includes(FORWARD)) throw new Error(`--forward is none, nomatch or match, not ${FORWARD}`);
if (FORWARD === "match") APP_ENV.ALLOW_PRIVATE_TARGETS ??= "true";

type Target = "baseline" | "app";

interface Measured {
  target: Target;
  bodyBytes: number;
  load: LoadResult;
  rowsWritten: number;
  /** As many rows as 2xx answers, each with the body and headers sent. */
  rowsMatch2xx: boolean;
  /**
   * Every 2xx has its row, intact (rows ≥ 2xx). More rows than 2xx happen only when the load
   * generator gave up on a request (timeout) that was committed after all: stored, never
   * acknowledged, and a provider would retry it.
   */
  acknowledgedStored: boolean;
  /** Average group-commit batch size. */
  rowsPerTransaction: number | null;
  serverCpuUsPerReq: number | null;
  postgresCpuUsPerReq: number | null;
  loadGenCpuUsPerReq: number;
  peakRssMiB: number | null;
}

/** A Stripe-like event of exactly `bytes` bytes: what a typical provider sends. */
function webhookBody(bytes: number): string {
  const event = {
    id: "evt_3PqRsTuVwXyZ012345678901",
    object: "event",
    api_version: "2024-06-20",
    created: 1_732_812_345,
    type: "payment_intent.succeeded",
    data: {
      object: {
        id: "pi_3PqRsTuVwXyZ0123456789",
        object: "payment_intent",
        amount: 2000,
        currency: "usd",
        customer: "cus_QhJkLmNoPqRsTu",
        status: "succeeded",
        metadata: { order_id: "ord_8812734", note: "" },
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: "req_AbCdEfGhIjKlMn", idempotency_key: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f" },
  };
  const pad = bytes - Buffer.byteLength(JSON.stringify(event));
  if (pad < 0) throw new Error(`body cannot be smaller than ${bytes - pad} bytes`);
  event.data.object.metadata.note = "x".repeat(pad);
  return JSON.stringify(event);
}

const BODIES = new Map(BODY_SIZES.map((n) => [n, webhookBody(n)]));
const body = (n: number) => BODIES.get(n)!;
const HEADERS = {
  "content-type": "application/json; charset=utf-8",
  "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
  "stripe-signature": "t=1732812345,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
};

function ensureBuild(): void {
  if (!args.rebuild && fs.existsSync(path.join(DIST_DIR, "BUILD_ID"))) return;
  console.log(`Building the Next app into ${DIST_DIR} (first run only)…`);
  nextBuild(DIST_DIR, { quiet: true });
}

async function startBaseline(databaseUrl: string, endpointId: string): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/support/baseline-server.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, BASELINE_ENDPOINT_ID: endpointId, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d));
  child.stderr!.on("data", (d: Buffer) => (out += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`baseline exited during start:\n${out}`);
    const ok = await fetch(`${base}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`baseline did not start within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pid: child.pid!,
    url: base,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

function postmasterPid(dataDir: string): number | null {
  try {
    return Number(fs.readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return null;
  }
}

const pct = (v: number | null) => (v === null ? "–" : `${(v * 100).toFixed(0)}%`);
const fmt = (v: number | null | undefined, digits = 1) => (v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits));

async function main(): Promise<void> {
  const startedAt = new Date();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch((e) => console.error(e));
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => void cleanup().finally(() => process.exit(130)));

  try {
    ensureBuild();
    console.log(
      `load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} on ${os.cpus().length} CPUs`,
    );

    const db = await startTestPostgres();
    cleanups.push(() => db.stop());
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query("CREATE DATABASE bench");
    await admin.end();
    const url = new URL(db.url);
    url.pathname = "/bench";
    const databaseUrl = url.toString();
    await migrate(databaseUrl);
    const counter = new pg.Client({ connectionString: databaseUrl });
    await counter.connect();
    cleanups.push(() => counter.end());
    const pgPid = postmasterPid(db.dataDir);

    // 512 connections from one address (over the default per-address cap of 256); no pruning.
    const app: RunningApp = await startApp({ databaseUrl, env: { NEXT_DIST_DIR: DIST_DIR, ...BENCH_APP_ENV, ...APP_ENV } });
    cleanups.push(() => app.stop());
    const appStartRssMiB = memoryMiB(app.pid)?.rss ?? null;
    const appEndpoint = await createEndpoint(app.baseUrl, { name: "bench: app", retention: KEEP_EVERYTHING });
    let forwarded = 0;
    if (FORWARD !== "none") {
      const sink = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          forwarded++;
          res.end("ok");
        });
      });
      await new Promise<void>((r) => sink.listen(0, "127.0.0.1", r));
      cleanups.push(() => new Promise<void>((r) => sink.close(() => r())));
      const sinkPort = (sink.address() as { port: number }).port;
      await counter.query("INSERT INTO forward_rules (id, endpoint_id, target_url, method) VALUES (gen_random_uuid(), $1, $2, $3)", [
        appEndpoint.id,
        `http://127.0.0.1:${sinkPort}/sink`,
        FORWARD === "nomatch" ? "PUT" : null,
      ]);
      cleanups.push(async () => console.log(`forward (${FORWARD}): ${forwarded} deliveries reached the sink`));
    }
    const baseEndpoint = await createEndpoint(app.baseUrl, { name: "bench: baseline", retention: KEEP_EVERYTHING });
    const baseline = await startBaseline(databaseUrl, baseEndpoint.id);
    cleanups.push(() => baseline.stop());

    const servers: Record<Target, { pid: number; url: string; endpointId: string }> = {
      baseline: { pid: baseline.pid, url: `${baseline.url}/h/${baseEndpoint.slug}`, endpointId: baseEndpoint.id },
      app: { pid: app.pid, url: `${app.baseUrl}/h/${appEndpoint.slug}`, endpointId: appEndpoint.id },
    };
    const maxSeq = async (endpointId: string) =>
      Number(
        (await counter.query<{ s: string }>("SELECT coalesce(max(seq), 0)::text AS s FROM captures WHERE endpoint_id = $1", [endpointId]))
          .rows[0]!.s,
      );
    // Rows written since a seq; how many hold exactly the body and a header that was sent; and in
    // how many transactions they were written (each batch commits with its own xmin).
    const written = async (endpointId: string, afterSeq: number, bodyBytes: number) => {
      const { rows } = await counter.query<{ n: string; intact: string; tx: string }>(
        `SELECT count(*)::text AS n, count(*) FILTER (WHERE body = $3 AND headers @> $4::jsonb)::text AS intact,
                count(DISTINCT xmin::text)::text AS tx
           FROM captures WHERE endpoint_id = $1 AND seq > $2`,
        [endpointId, afterSeq, Buffer.from(body(bodyBytes)), JSON.stringify([["stripe-signature", HEADERS["stripe-signature"]]])],
      );
      return { rows: Number(rows[0]!.n), intact: Number(rows[0]!.intact), transactions: Number(rows[0]!.tx) };
    };

    // One measured slice: load, then what it left in the database and what it cost in CPU.
    const measure = async (target: Target, connections: number, seconds: number, bodyBytes: number) => {
      const s = servers[target];
      const seqBefore = await maxSeq(s.endpointId);
      const cpuBefore = cpuMs(s.pid);
      const pgBefore = pgPid ? treeCpuMs(pgPid) : null;
      const selfBefore = process.cpuUsage();
      const rss = sampleRss(s.pid);
      const part = await runLoad({ url: s.url, connections, seconds, body: body(bodyBytes), headers: HEADERS });
      const peakRssMiB = rss.stop();
      const self = process.cpuUsage(selfBefore);
      const cpuAfter = cpuMs(s.pid);
      const pgAfter = pgPid ? treeCpuMs(pgPid) : null;
      return {
        part,
        ...(await written(s.endpointId, seqBefore, bodyBytes)),
        serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
        postgresCpuMs: pgBefore === null || pgAfter === null ? null : pgAfter - pgBefore,
        loadGenCpuMs: (self.user + self.system) / 1000,
        peakRssMiB,
      };
    };
    type Slice = Awaited<ReturnType<typeof measure>>;
    const sumOrNull = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => a + x!, 0));

    const runs: Measured[] = [];
    for (const [bodyBytes, connections] of BODY_SIZES.flatMap((b) => CONNECTIONS.map((c) => [b, c] as const))) {
      await counter.query("TRUNCATE captures CASCADE"); // with the forward outbox and deliveries that point at them
      for (const target of ["baseline", "app"] as const) {
        if (WARMUP > 0) await runLoad({ url: servers[target].url, connections, seconds: WARMUP, body: body(bodyBytes), headers: HEADERS });
      }
      // The measured time is cut into rounds in the order baseline, app, app, baseline, …: a burst
      // of outside load, or a slow drift, then falls on both servers instead of on one.
      const slices: Record<Target, Slice[]> = { baseline: [], app: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order: Target[] = round % 2 === 0 ? ["baseline", "app"] : ["app", "baseline"];
        for (const target of order) slices[target].push(await measure(target, connections, DURATION / ROUNDS, bodyBytes));
      }
      for (const target of ["baseline", "app"] as const) {
        const sl = slices[target];
        const load = combineLoads(sl.map((x) => x.part));
        const rowsWritten = sl.reduce((a, x) => a + x.rows, 0);
        const intact = sl.reduce((a, x) => a + x.intact, 0);
        const transactions = sl.reduce((a, x) => a + x.transactions, 0);
        const perReq = (ms: number | null) => (ms === null || load.ok2xx === 0 ? null : (ms * 1000) / load.ok2xx);
        const m: Measured = {
          target,
          bodyBytes,
          load,
          rowsWritten,
          rowsMatch2xx: rowsWritten === load.ok2xx && intact === rowsWritten,
          acknowledgedStored:
            rowsWritten >= load.ok2xx && intact === rowsWritten && (rowsWritten === load.ok2xx || load.timeouts + load.errors > 0),
          rowsPerTransaction: transactions ? rowsWritten / transactions : null,
          serverCpuUsPerReq: perReq(sumOrNull(sl.map((x) => x.serverCpuMs))),
          postgresCpuUsPerReq: perReq(sumOrNull(sl.map((x) => x.postgresCpuMs))),
          loadGenCpuUsPerReq: perReq(sl.reduce((a, x) => a + x.loadGenCpuMs, 0)) ?? 0,
          peakRssMiB: sl.reduce<number | null>((a, x) => (x.peakRssMiB === null ? a : Math.max(a ?? 0, x.peakRssMiB)), null),
        };
        runs.push(m);
        console.log(
          `${target.padEnd(8)} ${bodyBytes} B c=${connections}: ${fmt(load.rps, 0)} req/s, p50 ${fmt(load.latencyMs.p50, 2)} ms, ` +
            `p99 ${fmt(load.latencyMs.p99, 2)} ms, 2xx ${load.ok2xx}, rows ${rowsWritten} (${intact} intact)${m.rowsMatch2xx ? "" : m.acknowledgedStored ? " (more rows than 2xx: client timeouts)" : " MISMATCH"}, ` +
            `errors ${load.errors}, non-2xx ${load.non2xx}; rounds ${sl.map((x) => fmt(x.part.ok2xx / x.part.seconds, 0)).join(", ")} req/s`,
        );
      }
    }
    const appMemory = memoryMiB(app.pid);
    await cleanup();

    const report = buildReport({ startedAt, runs, appHwmMiB: appMemory?.hwm ?? null, appStartRssMiB });
    const dir = path.join("bench", "results");
    fs.mkdirSync(dir, { recursive: true });
    const stamp = startedAt.toISOString().replace(/[:.]/g, "-");
    fs.writeFileSync(path.join(dir, `capture-${stamp}.json`), JSON.stringify(report.json, null, 2) + "\n");
    fs.writeFileSync(path.join(dir, `capture-${stamp}.md`), report.markdown);
    console.log(`\n${report.markdown}`);
    console.log(`Wrote bench/results/capture-${stamp}.{json,md}`);
    if (args["json-out"]) fs.writeFileSync(args["json-out"], JSON.stringify(report.json, null, 2) + "\n");
    if (!report.json.allRowsMatch) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

function buildReport(r: { startedAt: Date; runs: Measured[]; appHwmMiB: number | null; appStartRssMiB: number | null }) {
  const find = (target: Target, b: number, c: number) =>
    r.runs.find((m) => m.target === target && m.bodyBytes === b && m.load.connections === c);
  const ratios = BODY_SIZES.flatMap((bytes) => CONNECTIONS.map((c) => [bytes, c] as const)).map(([bytes, c]) => {
    const a = find("app", bytes, c);
    const b = find("baseline", bytes, c);
    const cost = (m: Measured | undefined) =>
      m && m.serverCpuUsPerReq !== null && m.postgresCpuUsPerReq !== null ? m.serverCpuUsPerReq + m.postgresCpuUsPerReq : null;
    const appCost = cost(a);
    const baseCost = cost(b);
    return {
      bodyBytes: bytes,
      connections: c,
      ratio: a && b && b.load.rps > 0 ? a.load.rps / b.load.rps : null,
      // Less sensitive to other load on the machine than req/s: what each request costs.
      appCpuUsPerReq: appCost,
      baselineCpuUsPerReq: baseCost,
      cpuRatio: appCost && baseCost ? baseCost / appCost : null,
    };
  });
  // The targets are for a typical webhook: the smallest body measured.
  const typical = Math.min(...BODY_SIZES);
  const minRatio = Math.min(...ratios.filter((x) => x.bodyBytes === typical).map((x) => x.ratio ?? 0));
  const p99At = find("app", typical, TARGETS.p99Connections)?.load.latencyMs.p99 ?? null;
  const targets = {
    throughput: {
      goal: `app ≥ ${TARGETS.throughputRatio * 100}% of baseline req/s (${typical} B bodies, every connection count)`,
      value: minRatio,
      met: minRatio >= TARGETS.throughputRatio,
    },
    p99: {
      goal: `app p99 < ${TARGETS.p99Ms} ms at ${TARGETS.p99Connections} connections (${typical} B bodies)`,
      value: p99At,
      met: p99At === null ? null : p99At < TARGETS.p99Ms,
    },
  };
  const allRowsMatch = r.runs.every((m) => m.acknowledgedStored);
  const appPeakRss = Math.max(...r.runs.filter((m) => m.target === "app").map((m) => m.peakRssMiB ?? 0));

  const lines = [
    `# Capture benchmark ${r.startedAt.toISOString()}${args.label ? ` (${args.label})` : ""}`,
    "",
    `${os.cpus().length} CPUs, load average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, Node ${process.version}; ${DURATION} s per server and connection count in ${ROUNDS} alternating rounds, ` +
      `after ${WARMUP} s warm-up; ` +
      `JSON bodies of ${BODY_SIZES.join(", ")} bytes${Object.keys(APP_ENV).length ? `; app env ${JSON.stringify(APP_ENV)}` : ""}.`,
    "",
    "| server | body B | conns | req/s | p50 ms | p99 ms | errors / non-2xx | 2xx | rows | rows = 2xx, intact | rows/commit | server CPU µs/req | Postgres CPU µs/req | peak RSS MiB |",
    "|---|--:|--:|--:|--:|--:|--:|--:|--:|:-:|--:|--:|--:|--:|",
    ...r.runs.map(
      (m) =>
        `| ${m.target} | ${m.bodyBytes} | ${m.load.connections} | ${fmt(m.load.rps, 0)} | ${fmt(m.load.latencyMs.p50, 2)} | ${fmt(m.load.latencyMs.p99, 2)} | ` +
        `${m.load.errors} / ${m.load.non2xx} | ${m.load.ok2xx} | ${m.rowsWritten} | ${m.rowsMatch2xx ? "yes" : m.acknowledgedStored ? "≥ (timeouts)" : "**NO**"} | ${fmt(m.rowsPerTransaction)} | ` +
        `${fmt(m.serverCpuUsPerReq, 0)} | ${fmt(m.postgresCpuUsPerReq, 0)} | ${fmt(m.peakRssMiB, 0)} |`,
    ),
    "",
    ...ratios.map(
      (x) =>
        `- **app / baseline, ${x.bodyBytes} B at ${x.connections} connections: ${pct(x.ratio)} of the req/s**; CPU per request (server + Postgres) ` +
        `${fmt(x.appCpuUsPerReq, 0)} µs vs ${fmt(x.baselineCpuUsPerReq, 0)} µs, so ${pct(x.cpuRatio)} by cost`,
    ),
    `- app RSS: ${fmt(r.appStartRssMiB, 0)} MiB when ready (Next included), peak ${fmt(appPeakRss, 0)} MiB during load, VmHWM ${fmt(r.appHwmMiB, 0)} MiB`,
    "",
    "| target | value | |",
    "|---|--:|:-:|",
    `| ${targets.throughput.goal} | ${(minRatio * 100).toFixed(0)}% (lowest) | ${targets.throughput.met ? "met" : "**not met**"} |`,
    `| ${targets.p99.goal} | ${fmt(p99At, 2)} ms | ${targets.p99.met === null ? "not measured" : targets.p99.met ? "met" : "**not met**"} |`,
    "",
    allRowsMatch
      ? "Every run: every 2xx response counted has its row in the database, with the body and headers sent (rows = 2xx unless the load generator timed out on requests that were stored)."
      : "**In at least one run the rows differ from the 2xx responses counted.**",
    "",
  ];
  return {
    markdown: lines.join("\n"),
    json: {
      startedAt: r.startedAt.toISOString(),
      label: args.label || null,
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? null, node: process.version, loadavgAtEnd: os.loadavg() },
      settings: {
        durationS: DURATION,
        rounds: ROUNDS,
        warmupS: WARMUP,
        connections: CONNECTIONS,
        bodyBytes: BODY_SIZES,
        appEnv: APP_ENV,
      },
      runs: r.runs,
      ratios,
      appPeakRssMiB: appPeakRss,
      appHwmMiB: r.appHwmMiB,
      appStartRssMiB: r.appStartRssMiB,
      targets,
      allRowsMatch,
    },
  };
}

await main();
