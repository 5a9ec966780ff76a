// `npm run bench:capture`: capture throughput and latency of the real server (server.ts, Next
// build in NEXT_DIST_DIR, default .next-bench, built when missing) against a bare node:http +
// Postgres baseline (support/baseline-server.ts), measured in the same run on the same throwaway
// database, one server under load at a time. Two baselines: "baseline" writes the app's own
// captures table (with its indexes), "minimal" writes a table with only a primary key and
// (id, endpoint, method, path, headers, body, received_at): the least a durable store must do
// (issue 18), so the cost of the app's table and indexes shows. A third target, "rules", is the same server and an
// endpoint with 21 response rules (20 that do not match, then the one that does): its req/s over
// the endpoint without rules is the cost of rules (issue 16: within 10%). Another, "capture", is
// the app started as a capture-only process (SERVER_ROLE=capture: no Next) on the same database,
// as the capture replicas of a split deployment run (docs/deployment.md). Each server and connection count gets `duration`
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
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { migrate } from "@/lib/server/db/migrate";
import { createEndpoint, startApp, type RunningApp } from "../test/support/app";
import { createMinimalStore, MINIMAL_TABLE, postmasterPid, startBaseline } from "./support/baseline-runner";
import { buildReport, fmt, type Measured, type Target } from "./support/capture-report";
import { combineLoads, runLoad } from "./support/load";
import { startTestPostgres } from "./support/postgres";
import { cpuMs, memoryMiB, sampleRss, treeCpuMs } from "./support/proc";
import { BENCH_APP_ENV, KEEP_EVERYTHING, nextBuild, untilSearchIndexed } from "./support/stack";

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

const TARGETS = ["minimal", "baseline", "app", "capture", "rules"] as const satisfies readonly Target[];

/** 20 response rules the bench's Stripe-like event does not match, then one it does (a 200 like the endpoint's own). */
function benchRules(): unknown[] {
  const none = { methods: null, path: null, query: [], headers: [], body: null };
  const answer = { status: 200, headers: [], body: null, contentType: null, delayMs: 0 };
  const misses = Array.from({ length: 20 }, (_, i) => {
    const kinds = [
      { ...none, methods: ["PUT", "PATCH"] },
      { ...none, path: `/other-${i}/**` },
      { ...none, headers: [{ op: "equals", name: "stripe-signature", value: `t=${i}` }] },
      { ...none, query: [{ name: "mode", value: `m${i}` }] },
      { ...none, body: { op: "jsonEquals", path: "type", value: `charge.failed.${i}` } },
    ];
    return { name: `miss ${i}`, match: kinds[i % kinds.length], answer: { ...answer, status: 418 }, failure: null };
  });
  const hit = {
    name: "payment succeeded",
    match: { ...none, methods: ["POST"], body: { op: "jsonEquals", path: "type", value: "payment_intent.succeeded" } },
    answer,
    failure: null,
  };
  return [...misses, hit];
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
    // The same server, an endpoint with 21 response rules: 20 that do not match (each kind of
    // condition, several reading the JSON body) and, last, the one that does.
    const rulesEndpoint = await createEndpoint(app.baseUrl, { name: "bench: 21 rules", retention: KEEP_EVERYTHING });
    const put = await fetch(`${app.baseUrl}/api/endpoints/${rulesEndpoint.id}/response-rules`, {
      method: "PUT",
      headers: { authorization: `Bearer ${rulesEndpoint.managementKey}`, "content-type": "application/json" },
      body: JSON.stringify({ rules: benchRules() }),
    });
    if (put.status !== 200) throw new Error(`could not set the bench rules: ${put.status} ${await put.text()}`);
    // The capture-only process: the same settings, no Next, and no background workers of its own.
    // The app's search indexer hears its group commits (NOTIFY) and yields to them as to the app's
    // own captures; the app's schema worker does not. Its endpoint is made through the app.
    const captureOnly = await startApp({
      databaseUrl,
      env: {
        NEXT_DIST_DIR: DIST_DIR,
        ...BENCH_APP_ENV,
        SEARCH_INDEX_POLL_MS: "0",
        SCHEMA_POLL_MS: "0",
        FORWARD_CONCURRENCY: "0",
        ...APP_ENV,
        SERVER_ROLE: "capture",
      },
    });
    cleanups.push(() => captureOnly.stop());
    const captureEndpoint = await createEndpoint(app.baseUrl, { name: "bench: capture-only process", retention: KEEP_EVERYTHING });
    const baseEndpoint = await createEndpoint(app.baseUrl, { name: "bench: baseline", retention: KEEP_EVERYTHING });
    const baseline = await startBaseline(databaseUrl, baseEndpoint.id);
    cleanups.push(() => baseline.stop());
    await createMinimalStore(counter);
    const minimal = await startBaseline(databaseUrl, baseEndpoint.id, "minimal");
    cleanups.push(() => minimal.stop());

    const servers: Record<Target, { pid: number; url: string; endpointId: string }> = {
      minimal: { pid: minimal.pid, url: `${minimal.url}/h/${baseEndpoint.slug}`, endpointId: baseEndpoint.id },
      baseline: { pid: baseline.pid, url: `${baseline.url}/h/${baseEndpoint.slug}`, endpointId: baseEndpoint.id },
      app: { pid: app.pid, url: `${app.baseUrl}/h/${appEndpoint.slug}`, endpointId: appEndpoint.id },
      capture: { pid: captureOnly.pid, url: `${captureOnly.baseUrl}/h/${captureEndpoint.slug}`, endpointId: captureEndpoint.id },
      rules: { pid: app.pid, url: `${app.baseUrl}/h/${rulesEndpoint.slug}`, endpointId: rulesEndpoint.id },
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

    const untilIndexed = () => untilSearchIndexed(counter);

    // The minimal store has no seq: its rows of a slice are those received since the slice began.
    const writtenMinimal = async (since: Date, bodyBytes: number) => {
      const { rows } = await counter.query<{ n: string; intact: string; tx: string }>(
        `SELECT count(*)::text AS n, count(*) FILTER (WHERE body = $2 AND headers @> $3::jsonb)::text AS intact,
                count(DISTINCT xmin::text)::text AS tx
           FROM ${MINIMAL_TABLE} WHERE received_at >= $1`,
        [since, Buffer.from(body(bodyBytes)), JSON.stringify([["stripe-signature", HEADERS["stripe-signature"]]])],
      );
      return { rows: Number(rows[0]!.n), intact: Number(rows[0]!.intact), transactions: Number(rows[0]!.tx) };
    };

    // Postgres work no request asked for, which lands in whichever slice it falls on: autovacuum
    // and autoanalyze of the two capture tables, and checkpoints (their counters, summed).
    const housekeeping = async () => {
      const { rows } = await counter.query<{ vacuums: string; checkpoints: string }>(
        `SELECT (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_all_tables
                  WHERE relname IN ('captures', '${MINIMAL_TABLE}'))::text AS vacuums,
                (SELECT num_timed + num_requested FROM pg_stat_checkpointer)::text AS checkpoints`,
      );
      return { vacuums: Number(rows[0]!.vacuums), checkpoints: Number(rows[0]!.checkpoints) };
    };

    // One measured slice: load, then what it left in the database and what it cost in CPU.
    const measure = async (target: Target, connections: number, seconds: number, bodyBytes: number) => {
      const s = servers[target];
      const since = new Date();
      const chores = await housekeeping();
      const seqBefore = target === "minimal" ? 0 : await maxSeq(s.endpointId);
      const cpuBefore = cpuMs(s.pid);
      const pgBefore = pgPid ? treeCpuMs(pgPid) : null;
      const selfBefore = process.cpuUsage();
      const rss = sampleRss(s.pid);
      const part = await runLoad({ url: s.url, connections, seconds, body: body(bodyBytes), headers: HEADERS });
      const peakRssMiB = rss.stop();
      const self = process.cpuUsage(selfBefore);
      const cpuAfter = cpuMs(s.pid);
      const pgAfter = pgPid ? treeCpuMs(pgPid) : null;
      const choresAfter = await housekeeping();
      // Read before the search indexer rewrites the rows (its UPDATE gives them its own xmin).
      const stored = target === "minimal" ? await writtenMinimal(since, bodyBytes) : await written(s.endpointId, seqBefore, bodyBytes);
      // Search indexing runs after the 2xx: wait until the indexer has caught up, so its work is
      // counted here (and reported apart) instead of landing in the next server's slice.
      let index: { pendingAtEnd: number; catchUpS: number; postgresCpuMs: number | null } | null = null;
      if (target !== "minimal") {
        const pgBeforeIndex = pgPid ? treeCpuMs(pgPid) : null;
        const t0 = performance.now();
        const pendingAtEnd = await untilIndexed();
        const pgIndexed = pgPid ? treeCpuMs(pgPid) : null;
        index = {
          pendingAtEnd,
          catchUpS: (performance.now() - t0) / 1000,
          postgresCpuMs: pgBeforeIndex === null || pgIndexed === null ? null : pgIndexed - pgBeforeIndex,
        };
      }
      return {
        index,
        part,
        ...stored,
        serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
        postgresCpuMs: pgBefore === null || pgAfter === null ? null : pgAfter - pgBefore,
        loadGenCpuMs: (self.user + self.system) / 1000,
        autovacuums: choresAfter.vacuums - chores.vacuums,
        checkpoints: choresAfter.checkpoints - chores.checkpoints,
        peakRssMiB,
      };
    };
    type Slice = Awaited<ReturnType<typeof measure>>;
    const sumOrNull = (xs: (number | null)[]) => (xs.some((x) => x === null) ? null : xs.reduce<number>((a, x) => a + x!, 0));

    const runs: Measured[] = [];
    for (const [bodyBytes, connections] of BODY_SIZES.flatMap((b) => CONNECTIONS.map((c) => [b, c] as const))) {
      await counter.query(`TRUNCATE captures, ${MINIMAL_TABLE} CASCADE`); // with the forward outbox and deliveries that point at them
      for (const target of TARGETS) {
        if (WARMUP > 0) await runLoad({ url: servers[target].url, connections, seconds: WARMUP, body: body(bodyBytes), headers: HEADERS });
      }
      await untilIndexed();
      // The measured time is cut into rounds in the order baseline, app, app, baseline, …: a burst
      // of outside load, or a slow drift, then falls on both servers instead of on one.
      const slices: Record<Target, Slice[]> = { minimal: [], baseline: [], app: [], capture: [], rules: [] };
      for (let round = 0; round < ROUNDS; round++) {
        const order: Target[] = round % 2 === 0 ? [...TARGETS] : [...TARGETS].reverse();
        for (const target of order) slices[target].push(await measure(target, connections, DURATION / ROUNDS, bodyBytes));
      }
      for (const target of TARGETS) {
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
          autovacuums: sl.reduce((a, x) => a + x.autovacuums, 0),
          checkpoints: sl.reduce((a, x) => a + x.checkpoints, 0),
          peakRssMiB: sl.reduce<number | null>((a, x) => (x.peakRssMiB === null ? a : Math.max(a ?? 0, x.peakRssMiB)), null),
          index:
            target === "minimal"
              ? null
              : {
                  maxPendingAtEnd: Math.max(...sl.map((x) => x.index!.pendingAtEnd)),
                  maxCatchUpS: Math.max(...sl.map((x) => x.index!.catchUpS)),
                  postgresCpuUsPerReq: perReq(sumOrNull(sl.map((x) => x.index!.postgresCpuMs))),
                },
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

    const report = buildReport(
      { startedAt, runs, appHwmMiB: appMemory?.hwm ?? null, appStartRssMiB },
      {
        label: args.label,
        duration: DURATION,
        rounds: ROUNDS,
        warmup: WARMUP,
        connections: CONNECTIONS,
        bodySizes: BODY_SIZES,
        appEnv: APP_ENV,
      },
    );
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

await main();
