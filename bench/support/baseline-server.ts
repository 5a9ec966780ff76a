// The benchmark's yardstick: the least code that durably stores a capture with node:http and
// Postgres. Reads the body, queues the same row shape as the app and writes each batch with one
// INSERT (its own transaction), answering after the commit. It writes the way the app does (one
// prepared statement, a column per array, bodies as one binary bytea) but skips what the app
// adds on top: endpoint lookup and locking, seq numbers kept in the database, NOTIFY, custom
// responses. Run by bench/capture.ts as its own process; settings come from the environment.
//
// BASELINE_STORE=minimal is the least a durable store must do (issue 18): the same batching, but
// into MINIMAL_TABLE, a table with only a primary key and (id, endpoint, method, path, headers,
// body, received_at): no seq, no secondary or search indexes. bench/capture.ts creates it.
import crypto from "node:crypto";
import http from "node:http";
import pg from "pg";

const DATABASE_URL = required("DATABASE_URL");
const ENDPOINT_ID = required("BASELINE_ENDPOINT_ID");
const PORT = Number(required("PORT"));
/** Flushes in flight at once, and so pool connections. */
const CONCURRENCY = Number(process.env.BASELINE_CONCURRENCY ?? 2);
const BATCH_MAX = Number(process.env.BASELINE_BATCH_MAX ?? 500);
const MINIMAL = process.env.BASELINE_STORE === "minimal";
/** Created by baseline-runner.ts createMinimalStore(). */
const MINIMAL_TABLE = "bench_minimal_captures";

const INSERT_MINIMAL = {
  name: "baseline_insert_minimal",
  text: `INSERT INTO ${MINIMAL_TABLE} (id, endpoint, method, path, headers, body, received_at)
         SELECT id, $8::text, method, path, headers, substring($7::bytea FROM body_start FOR body_size), received_at
           FROM ROWS FROM (unnest($1::uuid[], $2::text[], $3::text[]), jsonb_array_elements($4::jsonb),
                           unnest($5::int[], $6::int[], $9::timestamptz[]))
             AS v(id, method, path, headers, body_start, body_size, received_at)`,
};

const INSERT = {
  name: "baseline_insert_captures",
  text: `INSERT INTO captures (id, endpoint_id, seq, method, path, query, headers, body, body_size, declared_length, content_type,
           remote_address, http_version, received_at, duration_us, response_status, oversize)
         SELECT id, endpoint_id, seq, method, path, query, headers, substring($16::bytea FROM body_start FOR body_size), body_size,
                declared_length, content_type, remote_address, http_version, received_at, duration_us, 200, false
           FROM ROWS FROM (unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[], $5::text[]), jsonb_array_elements($6::jsonb),
                           unnest($7::int[], $8::int[], $9::bigint[], $10::text[], $11::text[], $12::text[], $13::timestamptz[],
                                  $14::int[]), unnest($15::uuid[]))
             AS v(id, seq, method, path, query, headers, body_start, body_size, declared_length, content_type, remote_address,
                  http_version, received_at, duration_us, endpoint_id)`,
};

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}

interface Row {
  id: string;
  seq: number;
  method: string;
  path: string;
  query: string | null;
  headers: [string, string][];
  body: Buffer;
  declaredLength: number | null;
  contentType: string | null;
  remoteAddress: string;
  httpVersion: string;
  receivedAt: string;
  durationUs: number;
}

interface Pending {
  row: Row;
  done: (err: Error | null) => void;
}

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: CONCURRENCY });
pool.on("error", () => {});
let seq = MINIMAL
  ? 0
  : Number(
      (await pool.query<{ max: string }>("SELECT coalesce(max(seq), 0)::text AS max FROM captures WHERE endpoint_id = $1", [ENDPOINT_ID]))
        .rows[0]!.max,
    );

const queue: Pending[] = [];
let inFlight = 0;

function pump(): void {
  while (inFlight < CONCURRENCY && queue.length > 0) {
    inFlight++;
    void flush(queue.splice(0, BATCH_MAX));
  }
}

async function flush(batch: Pending[]): Promise<void> {
  const rows = batch.map((p) => p.row);
  const starts: number[] = [];
  let start = 1; // substring() counts from 1
  for (const r of rows) {
    starts.push(start);
    start += r.body.length;
  }
  let err: Error | null = null;
  const bodies = Buffer.concat(
    rows.map((r) => r.body),
    start - 1,
  );
  try {
    if (MINIMAL) {
      await pool.query({
        ...INSERT_MINIMAL,
        values: [
          rows.map((r) => r.id),
          rows.map((r) => r.method),
          rows.map((r) => r.path),
          JSON.stringify(rows.map((r) => r.headers)),
          starts,
          rows.map((r) => r.body.length),
          bodies,
          ENDPOINT_ID,
          rows.map((r) => r.receivedAt),
        ],
      });
    } else
      await pool.query({
        ...INSERT,
        values: [
          rows.map((r) => r.id),
          rows.map((r) => r.seq),
          rows.map((r) => r.method),
          rows.map((r) => r.path),
          rows.map((r) => r.query),
          JSON.stringify(rows.map((r) => r.headers)),
          starts,
          rows.map((r) => r.body.length),
          rows.map((r) => r.declaredLength),
          rows.map((r) => r.contentType),
          rows.map((r) => r.remoteAddress),
          rows.map((r) => r.httpVersion),
          rows.map((r) => r.receivedAt),
          rows.map((r) => r.durationUs),
          rows.map(() => ENDPOINT_ID),
          bodies,
        ],
      });
  } catch (e) {
    err = e instanceof Error ? e : new Error(String(e));
  }
  inFlight--;
  for (const p of batch) p.done(err);
  pump();
}

const server = http.createServer((req, res) => {
  if (req.url === "/health") return void res.end("ok");
  const started = process.hrtime.bigint();
  const receivedAt = new Date().toISOString();
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const headers: [string, string][] = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
    const url = req.url ?? "";
    const q = url.indexOf("?");
    const cl = req.headers["content-length"];
    const row: Row = {
      id: crypto.randomUUID(),
      seq: ++seq,
      method: req.method ?? "GET",
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? null : url.slice(q + 1),
      headers,
      body: Buffer.concat(chunks),
      declaredLength: cl === undefined ? null : Number(cl),
      contentType: req.headers["content-type"] ?? null,
      remoteAddress: req.socket.remoteAddress ?? "",
      httpVersion: req.httpVersion,
      receivedAt,
      durationUs: Number((process.hrtime.bigint() - started) / 1000n),
    };
    queue.push({
      row,
      done: (err) => {
        const out = err ? '{"error":"storage unavailable"}' : JSON.stringify({ ok: true, id: row.id });
        res.writeHead(err ? 503 : 200, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(out) });
        res.end(out);
      },
    });
    pump();
  });
});

server.keepAliveTimeout = 5_000;
server.listen(PORT, "127.0.0.1", () => console.log(`baseline ready on 127.0.0.1:${PORT}`));

process.on("SIGTERM", () => {
  server.close();
  server.closeIdleConnections();
  const wait = setInterval(() => {
    if (queue.length === 0 && inFlight === 0) {
      clearInterval(wait);
      void pool.end().finally(() => process.exit(0));
    }
  }, 20);
});
