// `npm run bench:live`: live-update latency and list latency on a throwaway embedded PostgreSQL.
//   1. 1,000 captures at 100/s to an endpoint with one SSE subscriber: time from each capture's
//      2xx (as the sender sees it) to its event reaching the subscriber. Target: p95 < 100 ms.
//   2. GET /api/endpoints/:id/captures?limit=100 on an endpoint with 100,000 captures, next to
//      the same SQL run directly through pg (the ratio is the API's overhead). Target: p95 < 50 ms.
// Builds the app first when NEXT_DIST_DIR (default .next) has no build. Writes a JSON copy of
// the figures to bench/results/. Stops its server and database by itself, also on Ctrl+C.
//
//   npm run bench:live -- [--live-captures 1000] [--rate 100] [--list-rows 100000]
//                         [--list-samples 500] [--json-out file]
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { createEndpoint, startApp, type RunningApp } from "../test/support/app";
import { SseClient } from "../test/support/sse";
import { sampleRss } from "./support/proc";
import { startTestPostgres, type TestPostgres } from "./support/postgres";
import { BENCH_APP_ENV, createDatabase, ensureBuild, KEEP_EVERYTHING, seedWithoutGinIndexes } from "./support/stack";
import { stats, type Stats } from "./support/stats";

const { values: args } = parseArgs({
  options: {
    "live-captures": { type: "string", default: "1000" },
    rate: { type: "string", default: "100" },
    "list-rows": { type: "string", default: "100000" },
    "list-samples": { type: "string", default: "500" },
    "json-out": { type: "string" },
  },
});
const LIVE_CAPTURES = Number(args["live-captures"]);
const LIVE_RATE_PER_S = Number(args.rate);
const LIST_ROWS = Number(args["list-rows"]);
const LIST_LIMIT = 100;
const LIST_WARMUP = 50;
const LIST_SAMPLES = Number(args["list-samples"]);
const LIVE_P95_TARGET_MS = 100;
const LIST_P95_TARGET_MS = 50;

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const line = (label: string, st: Stats) =>
  `  ${label.padEnd(34)} p50 ${ms(st.p50).padStart(9)}  p95 ${ms(st.p95).padStart(9)}  p99 ${ms(st.p99).padStart(9)}  max ${ms(st.max).padStart(9)}  (n=${st.n})`;

// --- 1. live latency -------------------------------------------------------------------

async function benchLive(app: RunningApp) {
  const ep = await createEndpoint(app.baseUrl, { name: "bench live" });
  const sse = await SseClient.open(`${app.baseUrl}/api/endpoints/${ep.id}/events`, { authorization: `Bearer ${ep.managementKey}` });
  if (sse.status !== 200) throw new Error(`events: ${sse.status}`);
  await sse.waitFor((c) => c.events.some((e) => e.event === "ready"), "ready");

  const ackAt = new Map<string, number>();
  const sendMs: number[] = [];
  let failures = 0;
  const body = JSON.stringify({ type: "invoice.paid", data: { object: { id: "in_1", amount: 4200, currency: "usd" } } });
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < LIVE_CAPTURES; i++) {
    // Paced against the start time, so a slow response does not stretch the schedule.
    const due = start + (i * 1000) / LIVE_RATE_PER_S;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      (async () => {
        const t0 = performance.now();
        const r = await fetch(`${ep.captureUrl}/stripe`, { method: "POST", body, headers: { "content-type": "application/json" } });
        const at = performance.now();
        const json = (await r.json()) as { id?: string };
        if (r.status < 200 || r.status > 299 || !json.id) {
          failures++;
          return;
        }
        ackAt.set(json.id, at);
        sendMs.push(at - t0);
      })(),
    );
  }
  await Promise.all(inFlight);
  const sentFor = performance.now() - start;
  const expected = LIVE_CAPTURES - failures;
  await sse.waitFor((c) => c.captures().length >= expected, `${expected} live events`, 60_000);
  sse.close();

  const events = sse.captures<{ id: string; seq: number }>();
  const seqs = events.map((e) => e.seq);
  const inOrder = seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1);
  const latencies: number[] = [];
  let early = 0;
  for (const e of events) {
    const ack = ackAt.get(e.id);
    if (ack === undefined) continue;
    // The event can reach the subscriber before the 2xx reaches the sender; that counts as 0.
    if (e._at < ack) early++;
    latencies.push(Math.max(0, e._at - ack));
  }
  return {
    captures: LIVE_CAPTURES,
    failures,
    received: events.length,
    inOrder,
    sentForMs: sentFor,
    eventsBeforeAck: early,
    latency: stats(latencies),
    captureResponse: stats(sendMs),
  };
}

// --- 2. list latency -------------------------------------------------------------------

async function seedCaptures(databaseUrl: string, endpointId: string, n: number): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const started = performance.now();
  try {
    const chunk = 10_000;
    await seedWithoutGinIndexes(c, async () => {
      for (let from = 1; from <= n; from += chunk) {
        const to = Math.min(n, from + chunk - 1);
        await c.query(
          `INSERT INTO captures (id, endpoint_id, seq, method, path, query, headers, body, body_size, declared_length,
                               content_type, remote_address, http_version, received_at, duration_us, response_status)
         SELECT gen_random_uuid(), $1::uuid, s,
                (ARRAY['POST','POST','POST','GET','PUT'])[1 + s % 5],
                '/webhooks/' || (ARRAY['stripe','github','shopify','slack'])[1 + s % 4],
                CASE WHEN s % 3 = 0 THEN 'attempt=' || (s % 7) END,
                '[["Host","hooks.example.com"],["Content-Type","application/json"],["User-Agent","Stripe/1.0"]]'::jsonb,
                convert_to('{"type":"invoice.paid","seq":' || s || ',"data":{"amount":4200,"currency":"usd"}}', 'UTF8'),
                70, 70, 'application/json', '203.0.113.7', '1.1',
                now() - ($3::int - s) * interval '1 second', 800, 200
           FROM generate_series($2::bigint, $4::bigint) s`,
          [endpointId, from, n, to],
        );
      }
    });
    await c.query("UPDATE endpoints SET capture_seq = $2::bigint, capture_count = $3::int, last_capture_at = now() WHERE id = $1", [
      endpointId,
      n,
      n,
    ]);
    await c.query("ANALYZE captures");
  } finally {
    await c.end();
  }
  return performance.now() - started;
}

async function benchList(app: RunningApp, databaseUrl: string) {
  const ep = await createEndpoint(app.baseUrl, { name: "bench list", retention: KEEP_EVERYTHING });
  const seedMs = await seedCaptures(databaseUrl, ep.id, LIST_ROWS);

  const url = `${app.baseUrl}/api/endpoints/${ep.id}/captures?limit=${LIST_LIMIT}`;
  const headers = { authorization: `Bearer ${ep.managementKey}` };
  const api = async () => {
    const t0 = performance.now();
    const r = await fetch(url, { headers });
    const page = (await r.json()) as { items: { seq: number }[] };
    const t = performance.now() - t0;
    if (r.status !== 200 || page.items.length !== LIST_LIMIT || page.items[0]!.seq !== LIST_ROWS) throw new Error(`list: ${r.status}`);
    return t;
  };

  // The statement findCaptureSummaries sends for the first page (limit + 1 tells whether more exist).
  const sqlClient = new pg.Client({ connectionString: databaseUrl });
  await sqlClient.connect();
  const text = `SELECT id::text, endpoint_id::text, seq, method, path, query, body_size, content_type, oversize,
                       to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at
                  FROM captures
                 WHERE endpoint_id = $1::uuid AND seq < $2 AND seq > $3
                 ORDER BY seq DESC
                 LIMIT $4`;
  const sql = async () => {
    const t0 = performance.now();
    const { rows } = await sqlClient.query(text, [ep.id, Number.MAX_SAFE_INTEGER, 0, LIST_LIMIT + 1]);
    const t = performance.now() - t0;
    if (rows.length !== LIST_LIMIT + 1) throw new Error("sql baseline returned the wrong page");
    return t;
  };

  try {
    for (let i = 0; i < LIST_WARMUP; i++) {
      await api();
      await sql();
    }
    // Interleaved, so both see the same machine load (the machine is shared).
    const apiMs: number[] = [];
    const sqlMs: number[] = [];
    for (let i = 0; i < LIST_SAMPLES; i++) {
      apiMs.push(await api());
      sqlMs.push(await sql());
    }
    return { rows: LIST_ROWS, limit: LIST_LIMIT, seedMs, api: stats(apiMs), sql: stats(sqlMs) };
  } finally {
    await sqlClient.end();
  }
}

// --- main ------------------------------------------------------------------------------

async function main(): Promise<void> {
  ensureBuild();
  let postgres: TestPostgres | undefined;
  let app: RunningApp | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await app?.stop().catch(() => {});
      await postgres?.stop().catch(() => {});
    })());
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    postgres = await startTestPostgres();
    const databaseUrl = await createDatabase(postgres.url, "hookscope_bench");
    app = await startApp({ databaseUrl, env: BENCH_APP_ENV });

    console.log(`Live updates: ${LIVE_CAPTURES} captures at ${LIVE_RATE_PER_S}/s, one SSE subscriber`);
    const liveRss = sampleRss(app.pid);
    const live = { ...(await benchLive(app)), peakRssMiB: null as number | null };
    live.peakRssMiB = liveRss.stop();
    console.log(
      `  received ${live.received}/${live.captures - live.failures} events (${live.failures} failed captures), ` +
        `seq order without gaps: ${live.inOrder ? "yes" : "NO"}, sent in ${(live.sentForMs / 1000).toFixed(1)} s`,
    );
    console.log(line("capture request → 2xx", live.captureResponse));
    console.log(line("2xx → SSE event at the subscriber", live.latency));
    if (live.eventsBeforeAck) console.log(`  (${live.eventsBeforeAck} events arrived before their 2xx; counted as 0 ms)`);
    const liveMet = live.latency.p95 < LIVE_P95_TARGET_MS && live.inOrder && live.received === live.captures - live.failures;
    console.log(`  target p95 < ${LIVE_P95_TARGET_MS} ms: ${liveMet ? "MET" : "MISSED"}`);

    console.log(`\nList: GET /api/endpoints/:id/captures?limit=${LIST_LIMIT} on ${LIST_ROWS.toLocaleString("en")} captures`);
    const listRss = sampleRss(app.pid);
    const list = { ...(await benchList(app, databaseUrl)), peakRssMiB: null as number | null };
    list.peakRssMiB = listRss.stop();
    console.log(
      `  seeded ${LIST_ROWS.toLocaleString("en")} rows in ${(list.seedMs / 1000).toFixed(1)} s; ${LIST_SAMPLES} sequential requests each`,
    );
    console.log(line("API (HTTP, auth, Next, Prisma)", list.api));
    console.log(line("same SQL directly through pg", list.sql));
    const ratio = list.api.p95 / list.sql.p95;
    console.log(`  API/SQL p95 ratio: ${ratio.toFixed(1)}x (${ms(list.api.p95 - list.sql.p95)} of API overhead at p95)`);
    const listMet = list.api.p95 < LIST_P95_TARGET_MS;
    console.log(`  target p95 < ${LIST_P95_TARGET_MS} ms: ${listMet ? "MET" : "MISSED"}`);

    fs.mkdirSync("bench/results", { recursive: true });
    const file = `bench/results/live-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    const json = JSON.stringify({ when: new Date().toISOString(), live, list, ratio, liveMet, listMet }, null, 2);
    fs.writeFileSync(file, json);
    if (args["json-out"]) fs.writeFileSync(args["json-out"], json);
    console.log(`\nFigures written to ${file}`);
  } finally {
    await cleanup();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
