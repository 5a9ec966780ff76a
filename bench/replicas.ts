// `npm run bench:replicas`: capture throughput of 1, 2 and 3 replicas on one PostgreSQL, each set
// behind its own HAProxy (scripts/balancer.ts, as `npm run start:cluster` runs them), with the same
// total connections spread over 8 endpoints; and the PostgreSQL CPU (postmaster and backends,
// from /proc) each stored capture costs, so the captures/s one Postgres core carries: the
// ceiling of one database before partitioning or Citus (README, "Past one PostgreSQL"). All of
// it runs on this machine, so on a small one the replicas share its cores with each other,
// HAProxy, Postgres and the load generator: read captures/s as "does another process help here",
// Postgres CPU per capture as the figure that carries over to bigger hosts.
//
//   npm run bench:replicas -- [--duration 5] [--connections 64] [--json-out file]
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { startBalancer, type RunningBalancer } from "../scripts/balancer";
import { createEndpoint, freePort } from "../test/support/app";
import { combineLoads, runLoad } from "./support/load";
import { cpuMs, sampleRss, treeCpuMs } from "./support/proc";
import { KEEP_EVERYTHING, startStack, stopOnSignal, type Stack } from "./support/stack";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "5" },
    connections: { type: "string", default: "64" },
    "json-out": { type: "string" },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const ENDPOINTS = 8;
const BODY = JSON.stringify({
  type: "invoice.paid",
  data: { object: { id: "in_1", amount: 4200, currency: "usd", note: "x".repeat(380) } },
});
const HEADERS = { "content-type": "application/json" };

let stack: Stack | undefined;
const balancers: RunningBalancer[] = [];
const release = stopOnSignal(() => stack);
try {
  // Replicas take the client address from HAProxy's PROXY header, as under start:cluster.
  stack = await startStack({ apps: 3, appEnv: { PROXY_PROTOCOL: "1" } });
  const apps = stack.apps;
  // Balancer n sends to the first n replicas.
  for (let n = 1; n <= 3; n++)
    balancers.push(
      await startBalancer({ host: "127.0.0.1", port: await freePort(), upstreams: apps.slice(0, n).map((a) => `127.0.0.1:${a.port}`) }),
    );
  // Several endpoints, each written by every replica, as a service with many users sees them (one
  // hot endpoint would measure the row lock on its seq counter instead).
  const paths: string[] = [];
  for (let i = 0; i < ENDPOINTS; i++) {
    const ep = await createEndpoint(balancers[0]!.url, { name: `replicas ${i}`, retention: KEEP_EVERYTHING });
    paths.push(`/h/${ep.slug}/r`);
  }
  const count = async () => Number((await stack!.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM captures")).rows[0]!.n);
  // Postgres publishes its counters within a second of a transaction: wait that long around each count.
  const commits = async () => {
    await new Promise((r) => setTimeout(r, 1_100));
    const q = "SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()";
    return Number((await stack!.sql.query<{ n: string }>(q)).rows[0]!.n);
  };
  const load = (n: number, seconds: number) =>
    runLoad({ url: `${balancers[n - 1]!.url}${paths[0]}`, paths, connections: CONNECTIONS, seconds, body: BODY, headers: HEADERS });

  // Warm all three (JIT, pools, prepared statements).
  await load(3, 2);

  const measure = async (replicas: 1 | 2 | 3) => {
    const used = apps.slice(0, replicas);
    const lb = balancers[replicas - 1]!;
    const before = await count();
    const app0 = used.map((a) => cpuMs(a.pid) ?? 0);
    const pg0 = stack!.postgresPid ? treeCpuMs(stack!.postgresPid) : null;
    // haproxy -W: a master and its worker.
    const lb0 = treeCpuMs(lb.pid) ?? 0;
    const commits0 = await commits();
    const rss = used.map((a) => sampleRss(a.pid));
    const part = await load(replicas, DURATION);
    const peaks = rss.map((r) => r.stop());
    const pg1 = stack!.postgresPid ? treeCpuMs(stack!.postgresPid) : null;
    const appCpuMs = used.reduce((s, a, i) => s + (cpuMs(a.pid) ?? 0) - app0[i]!, 0);
    const lbCpuMs = (treeCpuMs(lb.pid) ?? 0) - lb0;
    const txns = (await commits()) - commits0;
    const rows = (await count()) - before;
    const lat = combineLoads([part]).latencyMs;
    const pgCpuUsPerCapture = pg0 !== null && pg1 !== null && rows ? ((pg1 - pg0) * 1000) / rows : null;
    return {
      replicas,
      connections: CONNECTIONS,
      rps: part.ok2xx / part.seconds,
      latencyMs: lat,
      ok2xx: part.ok2xx,
      errors: part.errors + part.non2xx,
      rowsWritten: rows,
      rowsMatch2xx: rows === part.ok2xx,
      appCpuUsPerCapture: part.ok2xx ? (appCpuMs * 1000) / part.ok2xx : null,
      haproxyCpuUsPerCapture: part.ok2xx ? (lbCpuMs * 1000) / part.ok2xx : null,
      postgresCpuUsPerCapture: pgCpuUsPerCapture,
      /** Postgres CPU cores busy during the run (CPU seconds per wall second). */
      postgresCores: pg0 !== null && pg1 !== null ? (pg1 - pg0) / 1000 / part.seconds : null,
      /** Captures per committed transaction (group commit batch size, roughly: other transactions count too). */
      capturesPerCommit: txns > 0 ? rows / txns : null,
      peakRssMiB: peaks,
    };
  };

  // 1, 2, 3, 3, 2, 1: outside load drifting during the run falls on every count alike.
  const order = [1, 2, 3, 3, 2, 1] as const;
  const runs: Awaited<ReturnType<typeof measure>>[] = [];
  for (const n of order) runs.push(await measure(n));
  const avg = (n: number, pick: (r: (typeof runs)[number]) => number | null) => {
    const xs = runs.filter((r) => r.replicas === n).map(pick);
    return xs.some((x) => x === null) ? null : xs.reduce<number>((s, x) => s + x!, 0) / xs.length;
  };
  const summary = [1, 2, 3].map((n) => {
    const pgUs = avg(n, (r) => r.postgresCpuUsPerCapture);
    return {
      replicas: n,
      rps: avg(n, (r) => r.rps)!,
      postgresCpuUsPerCapture: pgUs,
      /** Captures/s one fully busy Postgres core would carry at this CPU per capture. */
      capturesPerPostgresCore: pgUs ? 1e6 / pgUs : null,
      postgresCores: avg(n, (r) => r.postgresCores),
      appCpuUsPerCapture: avg(n, (r) => r.appCpuUsPerCapture),
      haproxyCpuUsPerCapture: avg(n, (r) => r.haproxyCpuUsPerCapture),
      capturesPerCommit: avg(n, (r) => r.capturesPerCommit),
    };
  });
  const result = {
    startedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryMiB: Math.round(os.totalmem() / 2 ** 20), loadavgAtEnd: os.loadavg() },
    settings: {
      durationS: DURATION,
      connections: CONNECTIONS,
      endpoints: ENDPOINTS,
      bodyBytes: Buffer.byteLength(BODY),
      balancer: "haproxy tcp",
    },
    runs,
    summary,
  };
  for (const r of runs)
    console.log(
      `  ${r.replicas} replica${r.replicas > 1 ? "s" : " "}: ${r.rps.toFixed(0)} captures/s, p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms, ` +
        `Postgres ${r.postgresCpuUsPerCapture?.toFixed(0) ?? "?"} µs CPU/capture (${r.postgresCores?.toFixed(2) ?? "?"} cores), ` +
        `app ${r.appCpuUsPerCapture?.toFixed(0) ?? "?"} µs, HAProxy ${r.haproxyCpuUsPerCapture?.toFixed(0) ?? "?"} µs, ` +
        `${r.capturesPerCommit?.toFixed(1) ?? "?"} captures/commit, ` +
        `rows ${r.rowsWritten} = 2xx ${r.ok2xx}${r.rowsMatch2xx ? "" : " MISMATCH"}${r.errors ? `, ${r.errors} errors` : ""}`,
    );
  for (const s of summary)
    console.log(
      `  ${s.replicas} replica${s.replicas > 1 ? "s" : " "}: ${s.rps.toFixed(0)} captures/s (${((s.rps / summary[0]!.rps) * 100).toFixed(0)}% of 1), ` +
        `Postgres ${s.postgresCpuUsPerCapture?.toFixed(0) ?? "?"} µs CPU per capture → ${s.capturesPerPostgresCore?.toFixed(0) ?? "?"} captures/s per Postgres core`,
    );
  console.log(`  (${os.cpus().length} CPUs shared by everything; load average at the end ${os.loadavg()[0]!.toFixed(1)})`);
  fs.mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/replicas-${result.startedAt.replace(/[:.]/g, "-")}.json`;
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  if (args["json-out"]) fs.writeFileSync(args["json-out"], JSON.stringify(result, null, 2) + "\n");
  console.log(`Figures written to ${file}`);
} finally {
  for (const lb of balancers) await lb.stop();
  await stack?.stop();
  release();
}
process.exit(0);
