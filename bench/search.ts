// `npm run bench:search`: search latency on an endpoint with 100,000 captures, through the list
// API (GET /api/endpoints/:id/captures?q=…&limit=100), next to two raw SQL baselines measured in
// the same run, interleaved so both see the same machine load:
//   - "plain page": the unfiltered first page straight through pg (what any list costs), and
//   - "same SQL": the search's own statement straight through pg (the API's overhead on top).
// A second endpoint holds another 50,000 captures, so the indexes are shared as on a real
// instance. Seeded with SQL (realistic Stripe/GitHub/Shopify/Slack shapes, 0.5–2 KiB JSON bodies,
// a rare word in 1% of them, a few binary bodies), then VACUUM ANALYZE as autovacuum would.
// Target: p95 < 100 ms for every search. Builds the app first when NEXT_DIST_DIR (default
// .next) has no build; stops its server and database by itself; writes bench/results/search-*.json.
//
//   npm run bench:search -- [--rows 100000] [--samples 60] [--limit 100] [--explain]
// --explain prints each search's EXPLAIN (ANALYZE, BUFFERS) plan instead of timing it.
import fs from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { captureFilterSql } from "@/lib/server/db/capture-search";
import { parseSearchQuery } from "@/lib/shared/search/query";
import { createEndpoint, startApp, type RunningApp } from "../test/support/app";
import { sampleRss } from "./support/proc";
import { startTestPostgres, type TestPostgres } from "./support/postgres";
import { createDatabase, ensureBuild, untilSearchIndexed } from "./support/stack";
import { stats } from "./support/stats";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    samples: { type: "string", default: "60" },
    warmup: { type: "string", default: "5" },
    limit: { type: "string", default: "100" },
    explain: { type: "boolean", default: false },
  },
});
const ROWS = Number(args.rows);
const OTHER_ROWS = Math.round(ROWS / 2);
const SAMPLES = Number(args.samples);
const WARMUP = Number(args.warmup);
const LIMIT = Number(args.limit);
const P95_TARGET_MS = 100;

/** What a user would type; `expect` is a sanity bound on the first page's size. */
const SEARCHES: { q: string; note: string }[] = [
  { q: "method:PUT", note: "method (20% of rows)" },
  { q: "path:/webhooks/stripe/*", note: "path glob (25%)" },
  { q: "path:/webhooks/shopify/orders", note: "path prefix (~6%)" },
  { q: "header:stripe-signature", note: "header name (25%)" },
  { q: 'header:"x-github-event:pull_request"', note: "header name:value (~8%)" },
  { q: "refund", note: "body word (1%)" },
  { q: "ord_77777", note: "body text, one match" },
  { q: "zzqxv", note: "body text, no match" },
  { q: "content:json size:>1kb", note: "content type + size" },
  { q: "after:10m", note: "time (last 10 min, ~600 rows)" },
  { q: "method:PUT path:/webhooks/stripe/* refund", note: "method + path + body" },
  { q: 'header:"x-github-event:push" after:12h', note: "header value + time" },
  { q: "path:/webhooks/slack size:<700 content:json", note: "path + size + content type" },
  { q: "type:pull_request", note: "event type (~4%)" },
  { q: "type:stripe.*", note: "event type glob (25%)" },
];

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)}`;

/**
 * n captures for one endpoint, received one per second up to now (seq n is the newest). Row s:
 * provider s % 4 (stripe, github, shopify, slack), method POST except every 5th PUT and every
 * 7th GET, a JSON body of 500–2,000 bytes with a unique order id, "refund" in 1 of 100, and 1 in
 * 500 a binary (gzip-like) body.
 */
async function seed(c: pg.Client, endpointId: string, n: number): Promise<void> {
  const chunk = 10_000;
  for (let from = 1; from <= n; from += chunk) {
    const to = Math.min(n, from + chunk - 1);
    await c.query(
      `WITH s AS (
         SELECT s, (ARRAY['stripe','github','shopify','slack'])[(1 + s % 4)::int] AS provider,
                (ARRAY['push','pull_request','issues','release','push','workflow_run'])[(1 + (s / 4) % 6)::int] AS gh_event
           FROM generate_series($2::bigint, $4::bigint) s
       ), b AS (
         SELECT s.*, CASE WHEN s % 500 = 0 THEN decode('1f8b0800' || md5(s::text) || '00ff', 'hex')
                ELSE convert_to('{"id":"evt_' || md5(s::text) || '","type":"' || provider || '.event","order":"ord_' || s ||
                     '","note":"' || CASE WHEN s % 100 = 0 THEN 'customer asked for a refund' ELSE 'regular delivery' END ||
                     '","padding":"' || repeat(md5((s * 7)::text), (15 + s % 46)::int) || '"}', 'UTF8') END AS body
           FROM s
       )
       INSERT INTO captures (id, endpoint_id, seq, method, path, query, headers, body, body_size, declared_length,
                             content_type, remote_address, http_version, received_at, duration_us, response_status,
                             event_type, event_source)
       SELECT gen_random_uuid(), $1::uuid, s,
              CASE WHEN s % 7 = 0 THEN 'GET' WHEN s % 5 = 0 THEN 'PUT' ELSE 'POST' END,
              '/webhooks/' || provider || CASE provider WHEN 'shopify' THEN (ARRAY['/orders/create','/orders/paid','/products'])[(1 + s % 3)::int]
                                                         WHEN 'stripe' THEN '/events' ELSE '' END,
              CASE WHEN s % 3 = 0 THEN 'attempt=' || (s % 7) END,
              jsonb_build_array(jsonb_build_array('Host', 'hooks.example.com'),
                                jsonb_build_array('Content-Type', CASE WHEN s % 500 = 0 THEN 'application/gzip' ELSE 'application/json' END),
                                jsonb_build_array('User-Agent', provider || '-hookshot/1.0'))
                || CASE provider WHEN 'stripe' THEN jsonb_build_array(jsonb_build_array('Stripe-Signature', 't=' || s || ',v1=' || md5(s::text)))
                                 WHEN 'github' THEN jsonb_build_array(jsonb_build_array('X-GitHub-Event', gh_event),
                                                                      jsonb_build_array('X-GitHub-Delivery', md5(s::text)))
                                 WHEN 'shopify' THEN jsonb_build_array(jsonb_build_array('X-Shopify-Hmac-Sha256', md5(s::text)))
                                 ELSE jsonb_build_array(jsonb_build_array('X-Slack-Signature', 'v0=' || md5(s::text))) END,
              body, length(body), length(body), CASE WHEN s % 500 = 0 THEN 'application/gzip' ELSE 'application/json' END,
              '203.0.113.7', '1.1', now() - ($3::int - s) * interval '1 second', 800, 200,
              -- What lib/shared/events/event-type.ts makes of these rows (the binary bodies have no JSON type).
              CASE WHEN provider = 'github' THEN gh_event WHEN s % 500 <> 0 THEN provider || '.event' END,
              CASE WHEN provider = 'github' THEN 'github' WHEN s % 500 <> 0 THEN CASE provider WHEN 'shopify' THEN 'generic' ELSE provider END END
         FROM b`,
      [endpointId, from, n, to],
    );
  }
  await c.query("UPDATE endpoints SET capture_seq = $2::bigint, capture_count = $3::int, last_capture_at = now() WHERE id = $1", [
    endpointId,
    n,
    n,
  ]);
}

const SUMMARY_COLUMNS = `id::text, endpoint_id::text, seq, method, path, query, body_size, content_type, oversize,
       to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at`;

async function main(): Promise<void> {
  ensureBuild();
  let postgres: TestPostgres | undefined;
  let app: RunningApp | undefined;
  let sql: pg.Client | undefined;
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      await sql?.end().catch(() => {});
      await app?.stop().catch(() => {});
      await postgres?.stop().catch(() => {});
    })());
  const onSignal = () => void cleanup().then(() => process.exit(130));
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    postgres = await startTestPostgres();
    const databaseUrl = await createDatabase(postgres.url, "hookscope_bench_search");
    app = await startApp({ databaseUrl, env: { RETENTION_MAX_CAPTURES_CEILING: String(ROWS * 2) } });
    sql = new pg.Client({ connectionString: databaseUrl });
    await sql.connect();

    const ep = await createEndpoint(app.baseUrl, { name: "bench search", retention: { maxCaptures: ROWS } });
    const other = await createEndpoint(app.baseUrl, { name: "bench other", retention: { maxCaptures: ROWS } });
    const seedStarted = performance.now();
    // Row by row, with the search indexes in place (not seedWithoutGinIndexes), and indexed by the
    // app's search indexer a batch at a time as captures are: those indexes are what this
    // measures, and one built in one go is a third smaller than one grown piecemeal.
    await seed(sql, ep.id, ROWS);
    await seed(sql, other.id, OTHER_ROWS);
    // The app's search indexer puts them in the trigram indexes, as it does captures.
    const seededS = (performance.now() - seedStarted) / 1000;
    await untilSearchIndexed(sql);
    const indexedS = (performance.now() - seedStarted) / 1000 - seededS;
    await sql.query("VACUUM ANALYZE captures");
    const seedS = (performance.now() - seedStarted) / 1000;
    const { rows: size } = await sql.query<{ table: string; indexes: string }>(
      `SELECT pg_size_pretty(pg_table_size('captures')) AS table,
              pg_size_pretty(sum(pg_relation_size(indexrelid))) AS indexes
         FROM pg_index WHERE indrelid = 'captures'::regclass`,
    );
    console.log(
      `Seeded ${ROWS.toLocaleString("en")} captures (+${OTHER_ROWS.toLocaleString("en")} on another endpoint) in ${seedS.toFixed(1)} s ` +
        `(${seededS.toFixed(1)} s inserting, ${indexedS.toFixed(1)} s until the search indexer had them all); ` +
        `table ${size[0]!.table}, indexes ${size[0]!.indexes}`,
    );

    const headers = { authorization: `Bearer ${ep.managementKey}` };
    const api = async (q: string) => {
      const t0 = performance.now();
      const r = await fetch(`${app!.baseUrl}/api/endpoints/${ep.id}/captures?${new URLSearchParams({ q, limit: String(LIMIT) })}`, {
        headers,
      });
      const body = (await r.json()) as { items?: unknown[] };
      if (r.status !== 200) throw new Error(`${q}: ${r.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t0, rows: body.items!.length };
    };
    const plain = async () => {
      const t0 = performance.now();
      await sql!.query(`SELECT ${SUMMARY_COLUMNS} FROM captures WHERE endpoint_id = $1::uuid ORDER BY seq DESC LIMIT $2`, [
        ep.id,
        LIMIT + 1,
      ]);
      return performance.now() - t0;
    };
    const direct = async (q: string) => {
      const where = captureFilterSql(parseSearchQuery(q));
      const text = where.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + 2}`);
      const t0 = performance.now();
      await sql!.query(`SELECT ${SUMMARY_COLUMNS} FROM captures WHERE endpoint_id = $1::uuid ${text} ORDER BY seq DESC LIMIT $2`, [
        ep.id,
        LIMIT + 1,
        ...where.values,
      ]);
      return performance.now() - t0;
    };

    if (args.explain) {
      for (const s of SEARCHES) {
        const where = captureFilterSql(parseSearchQuery(s.q));
        const text = where.text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + 2}`);
        const { rows: plan } = await sql.query<{ "QUERY PLAN": string }>(
          `EXPLAIN (ANALYZE, BUFFERS) SELECT ${SUMMARY_COLUMNS} FROM captures WHERE endpoint_id = $1::uuid ${text} ORDER BY seq DESC LIMIT $2`,
          [ep.id, LIMIT + 1, ...where.values],
        );
        console.log(`\n== ${s.q}\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}`);
      }
      return;
    }

    console.log(`\nGET /api/endpoints/:id/captures?q=…&limit=${LIMIT}: ${SAMPLES} sequential samples each (ms)\n`);
    const header = `${"search".padEnd(46)} ${"rows".padStart(5)}  ${"API p50".padStart(8)} ${"API p95".padStart(8)}  ${"SQL p50".padStart(8)} ${"SQL p95".padStart(8)}  ${"plain p95".padStart(9)}`;
    console.log(header);
    const results = [];
    const plainAll: number[] = [];
    const rss = sampleRss(app.pid);
    for (const s of SEARCHES) {
      for (let i = 0; i < WARMUP; i++) {
        await api(s.q);
        await direct(s.q);
      }
      const apiMs: number[] = [];
      const sqlMs: number[] = [];
      const plainMs: number[] = [];
      let rows = 0;
      for (let i = 0; i < SAMPLES; i++) {
        const a = await api(s.q);
        apiMs.push(a.ms);
        rows = a.rows;
        sqlMs.push(await direct(s.q));
        plainMs.push(await plain());
      }
      plainAll.push(...plainMs);
      const r = { q: s.q, note: s.note, rows, api: stats(apiMs), sql: stats(sqlMs), plain: stats(plainMs) };
      results.push(r);
      console.log(
        `${s.q.padEnd(46)} ${String(rows).padStart(5)}  ${ms(r.api.p50).padStart(8)} ${ms(r.api.p95).padStart(8)}  ${ms(r.sql.p50).padStart(8)} ${ms(r.sql.p95).padStart(8)}  ${ms(r.plain.p95).padStart(9)}`,
      );
    }
    // The event catalogue (GET /api/endpoints/:id/event-types) groups the whole endpoint.
    const catalogue = async () => {
      const t0 = performance.now();
      const r = await fetch(`${app!.baseUrl}/api/endpoints/${ep.id}/event-types`, { headers });
      const body = (await r.json()) as { types?: unknown[] };
      if (r.status !== 200) throw new Error(`event-types: ${r.status} ${JSON.stringify(body)}`);
      return { ms: performance.now() - t0, types: body.types!.length };
    };
    for (let i = 0; i < WARMUP; i++) await catalogue();
    const catalogueMs: number[] = [];
    let catalogueTypes = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const c = await catalogue();
      catalogueMs.push(c.ms);
      catalogueTypes = c.types;
    }
    const catalogueStats = stats(catalogueMs);
    console.log(
      `\nevent catalogue (${catalogueTypes} types over ${ROWS.toLocaleString("en")} captures): p50 ${ms(catalogueStats.p50)} p95 ${ms(catalogueStats.p95)} ms; ` +
        `target p95 < ${P95_TARGET_MS} ms: ${catalogueStats.p95 < P95_TARGET_MS ? "MET" : "MISSED"}`,
    );
    const peakRssMiB = rss.stop();
    console.log(`\napp peak RSS while searching: ${peakRssMiB === null ? "–" : peakRssMiB.toFixed(0)} MiB`);
    const worst = results.reduce((a, b) => (b.api.p95 > a.api.p95 ? b : a));
    const met = results.every((r) => r.api.p95 < P95_TARGET_MS);
    console.log(
      `\nplain first page (no filter, raw SQL) over the whole run: p50 ${ms(stats(plainAll).p50)} p95 ${ms(stats(plainAll).p95)} ms`,
    );
    console.log(
      `worst API p95: ${ms(worst.api.p95)} ms (${worst.q}); target p95 < ${P95_TARGET_MS} ms for every search: ${met ? "MET" : "MISSED"}`,
    );
    const load = fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
    console.log(`load average at end: ${load}`);

    fs.mkdirSync("bench/results", { recursive: true });
    const file = `bench/results/search-${new Date().toISOString().replace(/[:.]/g, "-")}.json`;
    const figures = JSON.stringify(
      { when: new Date().toISOString(), rows: ROWS, limit: LIMIT, load, results, met, catalogue: catalogueStats, peakRssMiB },
      null,
      2,
    );
    fs.writeFileSync(file, figures);
    // npm run bench (bench/all.ts) collects each benchmark's figures from BENCH_JSON_OUT.
    if (process.env.BENCH_JSON_OUT) fs.writeFileSync(process.env.BENCH_JSON_OUT, figures);
    console.log(`Figures written to ${file}`);
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
