// `npm run bench:export`: export throughput on a throwaway embedded PostgreSQL.
//   An endpoint with 100,000 captures (JSON bodies of about 1 KiB, 8 headers) is exported through
//   GET /api/endpoints/:id/export as NDJSON and as HAR: captures/s, MB/s of output, MB/s of stored
//   body bytes, and the server's peak RSS during each run (the export streams in pages, so RSS
//   must stay flat whatever the number of captures).
//   Baselines in the same run, on the same rows: the raw SELECT of the same columns streamed
//   through a server-side cursor (500 rows per FETCH, no encoding), and COPY (…) TO STDOUT
//   through psql when psql is installed. Their ratio to the export is the cost of our encoding
//   and HTTP.
// Builds the app first when NEXT_DIST_DIR (default .next) has no build. Stops its server and
// database by itself, also on Ctrl+C.
//
//   npm run bench:export -- [--rows 100000] [--body-bytes 1024] [--json-out file]
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createEndpoint, startApp, type RunningApp } from "../test/support/app";
import { sampleRss } from "./support/proc";
import { startTestPostgres, type TestPostgres } from "./support/postgres";
import { BENCH_APP_ENV, createDatabase, ensureBuild, KEEP_EVERYTHING, seedWithoutGinIndexes } from "./support/stack";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    "body-bytes": { type: "string", default: "1024" },
    "json-out": { type: "string" },
  },
});
const ROWS = Number(args.rows);
const BODY_BYTES = Number(args["body-bytes"]);

const MB = 1_000_000;

/** `n` captures of about `bodyBytes` each, written straight into the table (seq 1..n), answered by response revision 0. */
async function seed(databaseUrl: string, endpointId: string, n: number, bodyBytes: number): Promise<{ ms: number; bodyBytes: number }> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  const started = performance.now();
  try {
    await seedWithoutGinIndexes(c, async () => {
      for (let from = 1; from <= n; from += 10_000) {
        const to = Math.min(n, from + 9_999);
        await c.query(
          `INSERT INTO captures (id, endpoint_id, seq, method, path, query, headers, body, body_size, declared_length,
                               content_type, remote_address, http_version, received_at, duration_us, response_status,
                               response_rev)
         SELECT gen_random_uuid(), $1::uuid, s, 'POST', '/webhooks/stripe', CASE WHEN s % 3 = 0 THEN 'attempt=' || (s % 7) END,
                '[["Host","hooks.example.com"],["User-Agent","Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
                  ["Content-Type","application/json; charset=utf-8"],["Content-Length","1024"],["Accept","*/*; q=0.5, application/xml"],
                  ["Cache-Control","no-cache"],["Stripe-Signature","t=1732850000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"],
                  ["X-Request-Id","req_8f3a1c7b5d2e4f60"]]'::jsonb,
                b.body, octet_length(b.body), octet_length(b.body), 'application/json; charset=utf-8', '203.0.113.7', '1.1',
                now() - ($3::int - s) * interval '1 second', 800, 200, 0
           FROM generate_series($2::bigint, $4::bigint) s,
                LATERAL (SELECT convert_to('{"id":"evt_' || s || '","type":"payment_intent.succeeded","data":{"object":{"id":"pi_' || s ||
                                           '","amount":4200,"currency":"usd","description":"' ||
                                           repeat(md5(s::text), GREATEST(1, ($5::int - 160) / 32)) || '"}}}', 'UTF8') AS body) b`,
          [endpointId, from, n, to, bodyBytes],
        );
      }
    });
    await c.query("UPDATE endpoints SET capture_seq = $2::bigint, capture_count = $2::int, last_capture_at = now() WHERE id = $1", [
      endpointId,
      n,
    ]);
    await c.query("ANALYZE captures");
    const { rows } = await c.query<{ total: string }>("SELECT sum(body_size)::text AS total FROM captures WHERE endpoint_id = $1", [
      endpointId,
    ]);
    return { ms: performance.now() - started, bodyBytes: Number(rows[0]!.total) };
  } finally {
    await c.end();
  }
}

interface Run {
  captures: number;
  seconds: number;
  capturesPerSecond: number;
  outputMB: number;
  outputMBps: number;
  bodyMBps: number;
  peakRssMiB: number | null;
}

function run(captures: number, seconds: number, outputBytes: number, bodyBytes: number, peakRssMiB: number | null): Run {
  return {
    captures,
    seconds,
    capturesPerSecond: captures / seconds,
    outputMB: outputBytes / MB,
    outputMBps: outputBytes / MB / seconds,
    bodyMBps: bodyBytes / MB / seconds,
    peakRssMiB,
  };
}

/** Downloads one export, counting bytes and captures (newlines for NDJSON, entries for HAR by id marker). */
async function appExport(app: RunningApp, ep: { id: string; managementKey: string }, format: "ndjson" | "har", bodyBytes: number) {
  const rss = sampleRss(app.pid, 100);
  const t0 = performance.now();
  const r = await fetch(`${app.baseUrl}/api/endpoints/${ep.id}/export?format=${format}`, {
    headers: { authorization: `Bearer ${ep.managementKey}` },
  });
  if (r.status !== 200 || !r.body) throw new Error(`export ${format}: ${r.status}`);
  let bytes = 0;
  let count = 0;
  const marker = format === "ndjson" ? 0x0a : null;
  const reader = r.body.getReader();
  // HAR: count `"_hookscope":` occurrences, one per entry (split across chunks handled by a carry).
  const needle = Buffer.from('"_hookscope":');
  let carry = Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (marker !== null) {
      for (let i = 0; i < value.length; i++) if (value[i] === marker) count++;
    } else {
      const buf = Buffer.concat([carry, value]);
      let at = 0;
      for (;;) {
        const i = buf.indexOf(needle, at);
        if (i === -1) break;
        count++;
        at = i + needle.length;
      }
      carry = buf.subarray(Math.max(at, buf.length - needle.length + 1));
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const peak = rss.stop();
  if (count !== ROWS) throw new Error(`export ${format}: ${count} captures, expected ${ROWS}`);
  return run(count, seconds, bytes, bodyBytes, peak);
}

const SELECT_COLUMNS = `id::text, seq, method, path, query, headers, body, body_size, declared_length, content_type,
       remote_address, http_version, duration_us, response_status, oversize,
       to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at`;

/** The same rows through a server-side cursor, 500 per FETCH, decoded by pg but not encoded. */
async function selectBaseline(databaseUrl: string, endpointId: string, bodyBytes: number): Promise<Run> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const t0 = performance.now();
    await c.query("BEGIN");
    await c.query(`DECLARE x NO SCROLL CURSOR FOR SELECT ${SELECT_COLUMNS} FROM captures WHERE endpoint_id = $1::uuid ORDER BY seq`, [
      endpointId,
    ]);
    let count = 0;
    let bytes = 0;
    for (;;) {
      const { rows } = await c.query<{ body: Buffer; headers: unknown }>("FETCH 500 FROM x");
      if (rows.length === 0) break;
      count += rows.length;
      for (const r of rows) bytes += r.body.length;
    }
    await c.query("COMMIT");
    const seconds = (performance.now() - t0) / 1000;
    if (count !== ROWS) throw new Error(`select baseline: ${count} rows`);
    return run(count, seconds, bytes, bodyBytes, null);
  } finally {
    await c.end();
  }
}

/** COPY (the same SELECT) TO STDOUT through psql, output counted and discarded; null without psql. */
async function copyBaseline(databaseUrl: string, endpointId: string, bodyBytes: number): Promise<Run | null> {
  const found = spawnSync("psql", ["--version"], { encoding: "utf8" });
  if (found.status !== 0) return null;
  const sql = `COPY (SELECT ${SELECT_COLUMNS.replace(/\s+/g, " ")} FROM captures WHERE endpoint_id = '${endpointId}' ORDER BY seq) TO STDOUT`;
  const t0 = performance.now();
  const child = spawn("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", databaseUrl, "-c", sql], { stdio: ["ignore", "pipe", "pipe"] });
  let bytes = 0;
  let lines = 0;
  child.stdout.on("data", (d: Buffer) => {
    bytes += d.length;
    for (let i = 0; i < d.length; i++) if (d[i] === 0x0a) lines++;
  });
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`psql COPY failed: ${err}`);
  const seconds = (performance.now() - t0) / 1000;
  if (lines !== ROWS) throw new Error(`copy baseline: ${lines} rows`);
  return run(lines, seconds, bytes, bodyBytes, null);
}

const fmt = (label: string, r: Run) =>
  `  ${label.padEnd(30)} ${r.capturesPerSecond.toFixed(0).padStart(7)} captures/s  ${r.outputMBps.toFixed(1).padStart(6)} MB/s out (${r.outputMB.toFixed(0)} MB)  ${r.bodyMBps.toFixed(1).padStart(6)} MB/s of bodies  ${r.seconds.toFixed(2)} s${r.peakRssMiB === null ? "" : `  peak RSS ${r.peakRssMiB.toFixed(0)} MiB`}`;

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
    const databaseUrl = await createDatabase(postgres.url, "hookscope_bench_export");
    // Retention would prune the 100,000 captures to the default 10,000 between the runs.
    app = await startApp({ databaseUrl, env: BENCH_APP_ENV });
    const ep = await createEndpoint(app.baseUrl, { name: "bench export", retention: KEEP_EVERYTHING });
    const seeded = await seed(databaseUrl, ep.id, ROWS, BODY_BYTES);
    console.log(
      `Export of ${ROWS.toLocaleString("en")} captures (${(seeded.bodyBytes / MB).toFixed(0)} MB of bodies, ~${Math.round(seeded.bodyBytes / ROWS)} B each; seeded in ${(seeded.ms / 1000).toFixed(1)} s)`,
    );
    const idleRss = sampleRss(app.pid).stop();
    // Warm both paths once on a small endpoint so the first measured run is not paying for JIT and plans.
    const warm = await createEndpoint(app.baseUrl);
    await seed(databaseUrl, warm.id, 1000, BODY_BYTES);
    for (const f of ["ndjson", "har"]) {
      await (
        await fetch(`${app.baseUrl}/api/endpoints/${warm.id}/export?format=${f}`, {
          headers: { authorization: `Bearer ${warm.managementKey}` },
        })
      ).arrayBuffer();
    }

    // Baselines and exports interleaved, so all see the same machine load (the machine is shared).
    const select = await selectBaseline(databaseUrl, ep.id, seeded.bodyBytes);
    console.log(fmt("baseline: SELECT via cursor", select));
    const copy = await copyBaseline(databaseUrl, ep.id, seeded.bodyBytes);
    console.log(copy ? fmt("baseline: COPY TO STDOUT (psql)", copy) : "  baseline: COPY skipped (no psql on PATH)");
    const ndjson = await appExport(app, ep, "ndjson", seeded.bodyBytes);
    console.log(fmt("export ndjson (API)", ndjson));
    const har = await appExport(app, ep, "har", seeded.bodyBytes);
    console.log(fmt("export har (API)", har));
    console.log(`  server RSS before the exports: ${idleRss?.toFixed(0) ?? "?"} MiB`);
    console.log(
      `  export / SELECT baseline: ndjson ${(ndjson.capturesPerSecond / select.capturesPerSecond).toFixed(2)}x, har ${(har.capturesPerSecond / select.capturesPerSecond).toFixed(2)}x of its captures/s`,
    );

    const result = { rows: ROWS, bodyBytes: seeded.bodyBytes, idleRssMiB: idleRss, baselines: { select, copy }, exports: { ndjson, har } };
    const json = JSON.stringify(result, null, 2);
    const out = args["json-out"] ?? path.join("bench", "results", `export-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, json);
    console.log(`  figures: ${out}`);
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
