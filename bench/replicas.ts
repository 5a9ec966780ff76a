// `npm run bench:replicas`: capture throughput of 1 replica against 2 replicas on the same
// PostgreSQL, with the same total connections (split evenly when there are two). Both replicas
// run on this machine, so on a small one they share its cores with each other, Postgres and the
// load generator: read the result as "does a second process help here", not as cluster scaling.
//
//   npm run bench:replicas -- [--duration 5] [--connections 64] [--json-out file]
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { createEndpoint } from "../test/support/app";
import { combineLoads, runLoad } from "./support/load";
import { cpuMs, sampleRss } from "./support/proc";
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
const BODY = JSON.stringify({
  type: "invoice.paid",
  data: { object: { id: "in_1", amount: 4200, currency: "usd", note: "x".repeat(380) } },
});
const HEADERS = { "content-type": "application/json" };

let stack: Stack | undefined;
const release = stopOnSignal(() => stack);
try {
  stack = await startStack({ apps: 2 });
  const [a, b] = stack.apps as [NonNullable<Stack["apps"][0]>, NonNullable<Stack["apps"][0]>];
  // One endpoint per replica: the same endpoint from both would measure row-lock contention
  // on its seq counter, which is a property of one hot endpoint, not of replicas.
  const epA = await createEndpoint(a.baseUrl, { name: "replica A", retention: KEEP_EVERYTHING });
  const epB = await createEndpoint(b.baseUrl, { name: "replica B", retention: KEEP_EVERYTHING });
  const urlA = `${a.baseUrl}/h/${epA.slug}/r`;
  const urlB = `${b.baseUrl}/h/${epB.slug}/r`;
  const count = async () => Number((await stack!.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM captures")).rows[0]!.n);

  // Warm both (JIT, pools, prepared statements).
  await Promise.all([
    runLoad({ url: urlA, connections: 16, seconds: 1, body: BODY, headers: HEADERS }),
    runLoad({ url: urlB, connections: 16, seconds: 1, body: BODY, headers: HEADERS }),
  ]);

  const measure = async (replicas: 1 | 2) => {
    const before = await count();
    const cpu0 = [cpuMs(a.pid), cpuMs(b.pid)];
    const rss = [sampleRss(a.pid), sampleRss(b.pid)];
    const parts =
      replicas === 1
        ? [await runLoad({ url: urlA, connections: CONNECTIONS, seconds: DURATION, body: BODY, headers: HEADERS })]
        : await Promise.all([
            runLoad({ url: urlA, connections: CONNECTIONS / 2, seconds: DURATION, body: BODY, headers: HEADERS }),
            runLoad({ url: urlB, connections: CONNECTIONS / 2, seconds: DURATION, body: BODY, headers: HEADERS }),
          ]);
    const peaks = rss.map((r) => r.stop());
    const cpu1 = [cpuMs(a.pid), cpuMs(b.pid)];
    const seconds = Math.max(...parts.map((p) => p.seconds));
    const ok2xx = parts.reduce((s, p) => s + p.ok2xx, 0);
    const lat = combineLoads(parts.map((p) => ({ ...p, seconds }))).latencyMs;
    const rows = (await count()) - before;
    const appCpuMs = cpu0.reduce<number>((s, c, i) => s + ((cpu1[i] ?? 0) - (c ?? 0)), 0);
    return {
      replicas,
      connections: CONNECTIONS,
      rps: ok2xx / seconds,
      latencyMs: lat,
      ok2xx,
      rowsWritten: rows,
      rowsMatch2xx: rows === ok2xx,
      appCpuUsPerReq: ok2xx ? (appCpuMs * 1000) / ok2xx : null,
      peakRssMiB: replicas === 1 ? [peaks[0]] : peaks,
    };
  };

  // 1, 2, 2, 1: outside load drifting during the run falls on both.
  const runs = [await measure(1), await measure(2), await measure(2), await measure(1)];
  const avg = (n: 1 | 2) => {
    const rs = runs.filter((r) => r.replicas === n);
    return rs.reduce((s, r) => s + r.rps, 0) / rs.length;
  };
  const result = {
    startedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, memoryMiB: Math.round(os.totalmem() / 2 ** 20), loadavgAtEnd: os.loadavg() },
    settings: { durationS: DURATION, connections: CONNECTIONS, bodyBytes: Buffer.byteLength(BODY) },
    runs,
    oneReplicaRps: avg(1),
    twoReplicasRps: avg(2),
    scaling: avg(2) / avg(1),
  };
  for (const r of runs)
    console.log(
      `  ${r.replicas} replica${r.replicas > 1 ? "s" : ""}: ${r.rps.toFixed(0)} captures/s, p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms, ` +
        `rows ${r.rowsWritten} = 2xx ${r.ok2xx}${r.rowsMatch2xx ? "" : " MISMATCH"}, peak RSS ${r.peakRssMiB.map((x) => x?.toFixed(0)).join(" + ")} MiB`,
    );
  console.log(
    `  2 replicas / 1 replica: ${(result.scaling * 100).toFixed(0)}% of the throughput (${os.cpus().length} CPUs shared by everything)`,
  );
  fs.mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/replicas-${result.startedAt.replace(/[:.]/g, "-")}.json`;
  fs.writeFileSync(file, JSON.stringify(result, null, 2) + "\n");
  if (args["json-out"]) fs.writeFileSync(args["json-out"], JSON.stringify(result, null, 2) + "\n");
  console.log(`Figures written to ${file}`);
} finally {
  await stack?.stop();
  release();
}
process.exit(0);
