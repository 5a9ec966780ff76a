// `npm run bench:growth`: how the app's cost grows. On one replica and a throwaway PostgreSQL:
//   1. captures/s, latency, CPU per capture and peak RSS with the load spread over 1, 1,000 and
//      100,000 endpoints (every request to the next endpoint in turn, so most miss the slug cache);
//   2. the same with 1, 100 and 1,000 live (SSE) subscribers on the loaded endpoint, opened as the
//      dashboard opens them (?coalesce=50: per tick, and one `coalesced` frame for a tick with more
//      than 50 captures; --coalesce 0 for streams that get every event, as `hookscope forward`):
//      capture throughput, RSS, live latency (2xx → event at the last subscriber) and whether every
//      subscriber got every event (or, coalesced, was told of every capture up to the newest seq);
//   3. GET /api/endpoints/:id/captures?limit=50 (first page, and a page in the middle) as one
//      endpoint grows to 10,000, 100,000 and 1,000,000 captures (seeded with generate_series).
// Writes bench/results/growth-<time>.json (and --json-out).
//
//   npm run bench:growth -- [--duration 4] [--connections 32] [--endpoints 1,1000,100000]
//                           [--subscribers 1,100,1000] [--coalesce 50] [--list-sizes 10000,100000,1000000]
//                           [--list-samples 100] [--json-out file]
import fs from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import { createEndpoint, type RunningApp } from "../test/support/app";
import { waitFor } from "../test/support/wait";
import { runLoad, combineLoads, type LoadResult } from "./support/load";
import { cpuMs, memoryMiB, sampleRss, treeCpuMs } from "./support/proc";
import { SseCounter } from "./support/sse-counter";
import { KEEP_EVERYTHING, seedWithoutGinIndexes, startStack, stopOnSignal, type Stack } from "./support/stack";
import { stats, type Stats } from "./support/stats";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "4" },
    connections: { type: "string", default: "32" },
    endpoints: { type: "string", default: "1,1000,100000" },
    subscribers: { type: "string", default: "1,100,1000" },
    coalesce: { type: "string", default: "50" },
    "list-sizes": { type: "string", default: "10000,100000,1000000" },
    "list-samples": { type: "string", default: "100" },
    "json-out": { type: "string" },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = Number(args.connections);
const nums = (s: string) => s.split(",").filter(Boolean).map(Number);
const ENDPOINT_COUNTS = nums(args.endpoints);
const SUBSCRIBER_COUNTS = nums(args.subscribers);
const COALESCE = Number(args.coalesce);
const LIST_SIZES = nums(args["list-sizes"]);
const LIST_SAMPLES = Number(args["list-samples"]);
const LIST_LIMIT = 50;

const BODY = JSON.stringify({ type: "invoice.paid", data: { object: { id: "in_1", amount: 4200, currency: "usd" } } });
const HEADERS = { "content-type": "application/json" };

interface LoadFigures {
  load: Omit<LoadResult, "latencyMs"> & { latencyMs: LoadResult["latencyMs"] };
  rowsWritten: number;
  serverCpuUsPerReq: number | null;
  postgresCpuUsPerReq: number | null;
  peakRssMiB: number | null;
  clientCpuPct: number;
}

async function measuredLoad(stack: Stack, app: RunningApp, url: string, paths: string[] | undefined, countRows: () => Promise<number>) {
  const rowsBefore = await countRows();
  const cpu0 = cpuMs(app.pid);
  const pg0 = stack.postgresPid ? treeCpuMs(stack.postgresPid) : null;
  const rss = sampleRss(app.pid);
  const client0 = process.cpuUsage();
  const part = await runLoad({ url, connections: CONNECTIONS, seconds: DURATION, body: BODY, headers: HEADERS, paths });
  const peakRssMiB = rss.stop();
  const client = process.cpuUsage(client0);
  const cpu1 = cpuMs(app.pid);
  const pg1 = stack.postgresPid ? treeCpuMs(stack.postgresPid) : null;
  const load = combineLoads([part]);
  const perReq = (a: number | null, b: number | null) =>
    a === null || b === null || load.ok2xx === 0 ? null : ((b - a) * 1000) / load.ok2xx;
  return {
    load,
    rowsWritten: (await countRows()) - rowsBefore,
    serverCpuUsPerReq: perReq(cpu0, cpu1),
    postgresCpuUsPerReq: perReq(pg0, pg1),
    peakRssMiB,
    // This process (the load generator and every SSE client) on the same cores: when it is busy, throughput says more about it than about the app.
    clientCpuPct: (client.user + client.system) / 10_000 / load.seconds,
  } satisfies LoadFigures;
}

// --- 1. endpoints ------------------------------------------------------------------------

async function growEndpoints(stack: Stack, app: RunningApp) {
  const out = [];
  for (const n of ENDPOINT_COUNTS) {
    const prefix = `g${n}x`;
    // Endpoints straight in SQL (their management keys are never used here).
    const { rows } = await stack.sql.query<{ slug: string }>(
      `INSERT INTO endpoints (id, slug, key_hash, name)
       SELECT gen_random_uuid(), $1 || lpad(s::text, 6, '0'), 'x', 'growth ' || s FROM generate_series(1, $2::int) s
       RETURNING slug`,
      [prefix, n],
    );
    // Settled first (autovacuum would otherwise analyse the new rows during the load and count as capture cost).
    await stack.sql.query("VACUUM ANALYZE endpoints");
    const path = `/growth-${n}`;
    const paths = rows.map((r) => `/h/${r.slug}${path}`);
    const count = async () =>
      Number((await stack.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM captures WHERE path = $1", [path])).rows[0]!.n);
    const m = await measuredLoad(stack, app, `${app.baseUrl}${paths[0]}`, paths, count);
    console.log(
      `  ${String(n).padStart(7)} endpoints: ${m.load.rps.toFixed(0)} captures/s, p50 ${m.load.latencyMs.p50.toFixed(1)} ms, ` +
        `p99 ${m.load.latencyMs.p99.toFixed(1)} ms, CPU µs/capture app ${m.serverCpuUsPerReq?.toFixed(0)} + Postgres ${m.postgresCpuUsPerReq?.toFixed(0)}, ` +
        `peak RSS ${m.peakRssMiB?.toFixed(0)} MiB, rows ${m.rowsWritten} = 2xx ${m.load.ok2xx}${m.rowsWritten === m.load.ok2xx ? "" : " MISMATCH"}`,
    );
    out.push({ endpoints: n, ...m, rowsMatch2xx: m.rowsWritten === m.load.ok2xx });
  }
  return out;
}

// --- 2. live subscribers -----------------------------------------------------------------

async function growSubscribers(stack: Stack, app: RunningApp) {
  const out = [];
  for (const n of SUBSCRIBER_COUNTS) {
    const ep = await createEndpoint(app.baseUrl, { name: `subscribers ${n}`, retention: KEEP_EVERYTHING });
    const auth = { authorization: `Bearer ${ep.managementKey}` };
    const url = `${app.baseUrl}/api/endpoints/${ep.id}/events${COALESCE > 0 ? `?coalesce=${COALESCE}` : ""}`;
    const newestSeq = async () =>
      Number((await stack.sql.query<{ n: string }>("SELECT capture_seq::text AS n FROM endpoints WHERE id = $1", [ep.id])).rows[0]!.n);
    const rssIdle = memoryMiB(app.pid)?.rss ?? null;
    const opened: SseCounter[] = [];
    // Opened 50 at a time, as browsers arriving would.
    for (let i = 0; i < n; i += 50)
      opened.push(...(await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => SseCounter.open(url, auth)))));
    const refused = opened.filter((s) => s.status !== 200).length;
    for (const s of opened.filter((x) => x.status !== 200)) s.close();
    const streams = opened.filter((s) => s.status === 200);
    await waitFor(() => streams.every((s) => s.ready), `${streams.length} streams ready`, 60_000);
    const rssOpen = memoryMiB(app.pid)?.rss ?? null;
    const probe = streams[streams.length - 1]!; // last in the hub's fan-out order
    probe.timeIds = true;

    // a. live latency at 50 captures/s for 2 s, seen by the last subscriber
    const acks = new Map<string, number>();
    const sends: Promise<void>[] = [];
    const paced = 100;
    const t0 = performance.now();
    for (let i = 0; i < paced; i++) {
      const wait = t0 + i * 20 - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sends.push(
        fetch(`${ep.captureUrl}/paced`, { method: "POST", body: BODY, headers: HEADERS }).then(async (r) => {
          const { id } = (await r.json()) as { id: string };
          acks.set(id, performance.now());
        }),
      );
    }
    await Promise.all(sends);
    const pacedSeq = await newestSeq();
    await waitFor(() => streams.every((s) => (s.lastId ?? 0) >= pacedSeq || s.error !== null), `${paced} events on ${n} streams`, 60_000);
    const latencies = [...acks].flatMap(([id, at]) => {
      const seen = probe.arrivals.get(id);
      return seen === undefined ? [] : [Math.max(0, seen - at)];
    });
    probe.timeIds = false;

    // b. full-speed capture load on the watched endpoint
    const count = async () =>
      Number((await stack.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM captures WHERE endpoint_id = $1", [ep.id])).rows[0]!.n);
    const m = await measuredLoad(stack, app, `${ep.captureUrl}/load`, undefined, count);
    const total = paced + m.load.ok2xx;
    const lastSeq = await newestSeq();
    // Every stream either is told of every capture (an event each, or coalesced) or is dropped for
    // falling behind (then it would reconnect and catch up); wait for one or the other.
    await waitFor(
      () => streams.every((s) => (s.lastId ?? 0) >= lastSeq || s.error !== null || s.ended),
      "streams to settle",
      120_000,
    ).catch(() => {});
    const complete = streams.filter((s) => s.captures >= total).length;
    const current = streams.filter((s) => (s.lastId ?? 0) >= lastSeq).length;
    const coalescedFrames = streams.reduce((a, s) => a + s.coalesced, 0) / Math.max(1, streams.length);
    const coalescedCaptures = streams.reduce((a, s) => a + s.coalescedCaptures, 0) / Math.max(1, streams.length);
    const dropped = streams.filter((s) => s.error !== null || s.ended).length;
    for (const s of streams) s.close();
    await waitFor(
      async () => ((await (await fetch(`${app.baseUrl}/api/health`)).json()) as { liveSubscribers: number }).liveSubscribers === 0,
      "streams to close on the server",
      60_000,
    );
    const row = {
      subscribers: n,
      refused,
      rssIdleMiB: rssIdle,
      rssWithStreamsMiB: rssOpen,
      liveLatency: stats(latencies),
      ...m,
      coalesce: COALESCE,
      streamsWithEveryEvent: complete,
      streamsToldOfEveryCapture: current,
      coalescedFramesPerStream: coalescedFrames,
      capturesCoalescedPerStream: coalescedCaptures,
      streamsDropped: dropped,
    };
    console.log(
      `  ${String(n).padStart(5)} subscribers: RSS ${rssIdle?.toFixed(0)} → ${rssOpen?.toFixed(0)} MiB with streams open, ` +
        `live p50 ${row.liveLatency.p50.toFixed(1)} / p99 ${row.liveLatency.p99.toFixed(1)} ms; under load ${m.load.rps.toFixed(0)} captures/s, ` +
        `peak RSS ${m.peakRssMiB?.toFixed(0)} MiB, CPU µs/capture app ${m.serverCpuUsPerReq?.toFixed(0)} (bench client ${m.clientCpuPct.toFixed(0)}% CPU); ${complete}/${n} streams got every event, ` +
        `${current}/${n} were told of every capture (${coalescedCaptures.toFixed(0)} of them in ${coalescedFrames.toFixed(0)} coalesced frames per stream), ${dropped} dropped`,
    );
    out.push(row);
  }
  const one = out.find((r) => r.subscribers === 1);
  for (const r of out)
    if (one && r !== one && one.load.rps > 0)
      console.log(`  capture throughput with ${r.subscribers} subscribers: ${(r.load.rps / one.load.rps).toFixed(2)}× that with 1`);
  return out;
}

// --- 3. list latency as one endpoint grows ------------------------------------------------

async function seed(stack: Stack, endpointId: string, from: number, to: number): Promise<void> {
  await seedWithoutGinIndexes(stack.sql, async () => {
    for (let a = from; a <= to; a += 50_000) {
      const b = Math.min(to, a + 49_999);
      await stack.sql.query(
        `INSERT INTO captures (id, endpoint_id, seq, method, path, query, headers, body, body_size, declared_length,
                             content_type, remote_address, http_version, received_at, duration_us, response_status)
       SELECT gen_random_uuid(), $1::uuid, s, 'POST', '/webhooks/' || (ARRAY['stripe','github','shopify','slack'])[1 + s % 4],
              NULL, '[["Host","hooks.example.com"],["Content-Type","application/json"]]'::jsonb,
              convert_to('{"type":"invoice.paid","seq":' || s || '}', 'UTF8'), 40, 40, 'application/json', '203.0.113.7', '1.1',
              now() - ($3::bigint - s) * interval '1 millisecond', 500, 200
         FROM generate_series($2::bigint, $3::bigint) s`,
        [endpointId, a, b],
      );
    }
  });
  await stack.sql.query("UPDATE endpoints SET capture_seq = $2::bigint, capture_count = $2::int, last_capture_at = now() WHERE id = $1", [
    endpointId,
    to,
  ]);
  await stack.sql.query("VACUUM ANALYZE captures");
}

async function growList(stack: Stack, app: RunningApp) {
  const ep = await createEndpoint(app.baseUrl, { name: "list growth", retention: KEEP_EVERYTHING });
  const headers = { authorization: `Bearer ${ep.managementKey}` };
  const out: { captures: number; seedS: number; firstPage: Stats; middlePage: Stats; peakRssMiB: number | null }[] = [];
  let seeded = 0;
  for (const size of LIST_SIZES) {
    const t0 = performance.now();
    await seed(stack, ep.id, seeded + 1, size);
    seeded = size;
    const seedS = (performance.now() - t0) / 1000;
    const page = async (cursor: number | null) => {
      const q = cursor === null ? "" : `&cursor=${cursor}`;
      const s = performance.now();
      const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/captures?limit=${LIST_LIMIT}${q}`, { headers });
      const body = (await r.json()) as { items: unknown[] };
      if (r.status !== 200 || body.items.length !== LIST_LIMIT) throw new Error(`list: ${r.status}`);
      return performance.now() - s;
    };
    const rss = sampleRss(app.pid);
    for (let i = 0; i < 10; i++) await page(null); // warm-up
    const first: number[] = [];
    const middle: number[] = [];
    for (let i = 0; i < LIST_SAMPLES; i++) {
      first.push(await page(null));
      middle.push(await page(Math.floor(size / 2)));
    }
    // Still all there (nothing pruned them while they were measured).
    const present = Number(
      (await stack.sql.query<{ n: string }>("SELECT count(*)::text AS n FROM captures WHERE endpoint_id = $1", [ep.id])).rows[0]!.n,
    );
    if (present !== size) throw new Error(`the endpoint holds ${present} captures, not ${size}`);
    const row = { captures: size, seedS, firstPage: stats(first), middlePage: stats(middle), peakRssMiB: rss.stop() };
    console.log(
      `  ${size.toLocaleString("en").padStart(9)} captures (seeded in ${seedS.toFixed(1)} s): first page p50 ${row.firstPage.p50.toFixed(1)} / ` +
        `p95 ${row.firstPage.p95.toFixed(1)} ms; middle page p50 ${row.middlePage.p50.toFixed(1)} / p95 ${row.middlePage.p95.toFixed(1)} ms`,
    );
    out.push(row);
  }
  return out;
}

// --- main ----------------------------------------------------------------------------------

let stack: Stack | undefined;
const release = stopOnSignal(() => stack);
try {
  const startedAt = new Date();
  stack = await startStack({ apps: 1, appEnv: { LIVE_HEARTBEAT_MS: "15000" } });
  const app = stack.apps[0]!;
  console.log(`Growth: ${DURATION} s of load at ${CONNECTIONS} connections per step; ${os.cpus().length} CPUs`);
  console.log("Endpoints (load spread over all of them):");
  const endpoints = await growEndpoints(stack, app);
  console.log("Live subscribers on the loaded endpoint:");
  const subscribers = await growSubscribers(stack, app);
  console.log(`List latency (GET …/captures?limit=${LIST_LIMIT}) as one endpoint grows:`);
  const list = await growList(stack, app);
  const json = {
    startedAt: startedAt.toISOString(),
    machine: { cpus: os.cpus().length, memoryMiB: Math.round(os.totalmem() / 2 ** 20), loadavgAtEnd: os.loadavg() },
    settings: { durationS: DURATION, connections: CONNECTIONS },
    endpoints,
    subscribers,
    list,
  };
  fs.mkdirSync("bench/results", { recursive: true });
  const file = `bench/results/growth-${startedAt.toISOString().replace(/[:.]/g, "-")}.json`;
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + "\n");
  if (args["json-out"]) fs.writeFileSync(args["json-out"], JSON.stringify(json, null, 2) + "\n");
  console.log(`Figures written to ${file}`);
} finally {
  await stack?.stop();
  release();
}
process.exit(0);
