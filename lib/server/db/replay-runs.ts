// Replay run data functions (lib/server/replay/runner.ts sends). A run freezes its set when it is
// created: one replay_sends row per chosen capture, numbered in the order received, written by one
// INSERT … SELECT (no capture is read into memory). The runner then pages through the pending
// rows with their capture (a page of bodies at a time), and records each send together with the
// run's counters and heartbeat in one statement. A running run whose heartbeat stopped (its
// process died) reads as interrupted; its unsent captures can be sent by "retry failed".
import "server-only";
import { AppError } from "@/lib/shared/errors/app-error";
import { ZReplayChecks, type CheckFailure, type TReplayChecks } from "@/lib/shared/replay/checks";
import { filterTerm, SearchQueryError, parseSearchQuery, type TSearchTerm } from "@/lib/shared/search/query";
import {
  MAX_RUN_CAPTURES,
  VOLATILE_HEADERS,
  ZReplayOptions,
  ZReplaySelectionSummary,
  type TReplayOptions,
  type TReplayRun,
  type TReplaySelection,
  type TReplaySelectionSummary,
  type TReplaySend,
  type TRunComparison,
  type TRunDifference,
} from "@/lib/shared/validation/replay";
import { captureFilterSql } from "./capture-search";
import { getPool, getPrisma } from "./client";
import { Prisma } from "./generated/client";
import { uuidv7 } from "./keys";

const NOT_FOUND = () => new AppError("NOT_FOUND", "No such replay run.");

/** A running run whose heartbeat is older than this is interrupted (the runner beats every few seconds). */
export const STALE_RUN_SECONDS = 20;

interface RunRow {
  id: string;
  endpoint_id: string;
  state: string;
  selection: unknown;
  target_url: string;
  options: unknown;
  checks: unknown;
  total: number;
  sent: number;
  failed: number;
  retry_of: string | null;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

const RUN_COLUMNS = `id::text, endpoint_id::text, state, selection, target_url, options, checks, total, sent, failed, retry_of::text, error,
  created_at, finished_at`;

function toRunDto(r: RunRow): TReplayRun {
  const state = r.state as TReplayRun["state"];
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    state,
    verdict: state === "finished" ? (r.failed > 0 ? "failed" : "passed") : state,
    selection: ZReplaySelectionSummary.parse(r.selection),
    targetUrl: r.target_url,
    options: ZReplayOptions.parse(r.options),
    checks: ZReplayChecks.parse(r.checks),
    total: r.total,
    sent: r.sent,
    passed: r.sent - r.failed,
    failed: r.failed,
    retryOf: r.retry_of,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/** Marks the endpoint's running runs whose runner stopped beating as interrupted. */
async function markStale(endpointId: string): Promise<void> {
  await getPool().query(
    `UPDATE replay_runs SET state = 'interrupted', finished_at = now(),
            error = 'The server running it stopped (restart or crash) before every capture was sent. "Retry failed" sends the rest.'
      WHERE endpoint_id = $1::uuid AND state = 'running' AND heartbeat_at < now() - make_interval(secs => $2)`,
    [endpointId, STALE_RUN_SECONDS],
  );
}

export interface NewRun {
  endpointId: string;
  selection: TReplaySelection;
  targetUrl: string;
  options: TReplayOptions;
  checks: TReplayChecks;
  runner: string;
}

function selectionFilter(s: TReplaySelection): { sql: Prisma.Sql; summary: TReplaySelectionSummary } {
  try {
    switch (s.kind) {
      case "query": {
        const terms: TSearchTerm[] = parseSearchQuery(s.query);
        return { sql: captureFilterSql(terms), summary: { kind: "query", query: s.query.trim() } };
      }
      case "type":
        return { sql: captureFilterSql([filterTerm("type", s.type)]), summary: { kind: "type", type: s.type } };
      case "ids":
        return { sql: Prisma.sql`AND id = ANY(${s.ids}::uuid[])`, summary: { kind: "ids", count: new Set(s.ids).size } };
    }
  } catch (e) {
    if (e instanceof SearchQueryError) throw new AppError("BAD_REQUEST", e.message);
    throw e;
  }
}

function tooMany(): AppError {
  return new AppError(
    "BAD_REQUEST",
    `The selection holds more than ${MAX_RUN_CAPTURES.toLocaleString("en")} captures; narrow it (a query with after:/before: or type:).`,
  );
}

/**
 * Runs one endpoint may have running at once. Each sends up to its concurrency at a time, and
 * starting runs is one request each: without a ceiling a loop of them multiplies the sends to any
 * target the endpoint's key names. Three leave room for a run and its retry beside another.
 */
export const MAX_RUNNING_RUNS = 3;

/**
 * In a run's creating transaction: refuses a run past MAX_RUNNING_RUNS. Starts of one endpoint
 * queue on an advisory lock (held to commit, on every replica), not on the endpoint's row, which
 * the capture path locks.
 */
async function claimRunSlot(tx: Prisma.TransactionClient, endpointId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`replay-runs:${endpointId}`}, 0))`;
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM replay_runs WHERE endpoint_id = ${endpointId}::uuid AND state = 'running'`;
  if (row!.n >= MAX_RUNNING_RUNS)
    throw new AppError(
      "CONFLICT",
      `${MAX_RUNNING_RUNS} replay runs are already running on this endpoint; wait for one to end or cancel one.`,
    );
}

/** Creates a run and freezes its set; 400 when nothing matches or too much does, 409 past MAX_RUNNING_RUNS. */
export async function createReplayRun(n: NewRun): Promise<TReplayRun> {
  const { sql, summary } = selectionFilter(n.selection);
  const id = uuidv7();
  await markStale(n.endpointId); // a crashed replica's runs hold no slot
  const row = await getPrisma().$transaction(
    async (tx) => {
      await claimRunSlot(tx, n.endpointId);
      await tx.$executeRaw`INSERT INTO replay_runs (id, endpoint_id, state, selection, target_url, options, checks, total, runner)
        VALUES (${id}::uuid, ${n.endpointId}::uuid, 'running', ${JSON.stringify(summary)}::jsonb, ${n.targetUrl},
                ${JSON.stringify(n.options)}::jsonb, ${JSON.stringify(n.checks)}::jsonb, 0, ${n.runner})`;
      const total = await tx.$executeRaw`INSERT INTO replay_sends (run_id, position, capture_id, capture_seq)
        SELECT ${id}::uuid, (row_number() OVER (ORDER BY seq) - 1)::int, id, seq
          FROM (SELECT id, seq FROM captures WHERE endpoint_id = ${n.endpointId}::uuid ${sql} ORDER BY seq LIMIT ${MAX_RUN_CAPTURES + 1}) c`;
      if (total === 0) throw new AppError("BAD_REQUEST", "No captures match the selection, so there is nothing to replay.");
      if (total > MAX_RUN_CAPTURES) throw tooMany();
      const rows = await tx.$queryRawUnsafe<RunRow[]>(
        `UPDATE replay_runs SET total = $2, heartbeat_at = now() WHERE id = $1::uuid RETURNING ${RUN_COLUMNS}`,
        id,
        total,
      );
      return rows[0]!;
    },
    { timeout: 60_000 },
  );
  return toRunDto(row);
}

/** A new run over the sends of `runId` that did not pass (failed, or never sent when it was cancelled or interrupted). */
export async function createRetryRun(endpointId: string, runId: string, runner: string): Promise<TReplayRun> {
  const source = await getReplayRun(endpointId, runId);
  if (source.state === "running") throw new AppError("CONFLICT", "The run is still running; cancel it or wait for it to finish.");
  const id = uuidv7();
  const row = await getPrisma().$transaction(async (tx) => {
    await claimRunSlot(tx, endpointId);
    await tx.$executeRaw`INSERT INTO replay_runs (id, endpoint_id, state, selection, target_url, options, checks, total, retry_of, runner)
      SELECT ${id}::uuid, endpoint_id, 'running', jsonb_build_object('kind', 'retry', 'of', id::text), target_url, options, checks, 0, id, ${runner}
        FROM replay_runs WHERE id = ${runId}::uuid`;
    const total = await tx.$executeRaw`INSERT INTO replay_sends (run_id, position, capture_id, capture_seq)
      SELECT ${id}::uuid, (row_number() OVER (ORDER BY position) - 1)::int, capture_id, capture_seq
        FROM replay_sends WHERE run_id = ${runId}::uuid AND state <> 'passed'`;
    if (total === 0) throw new AppError("BAD_REQUEST", "Every send of this run passed: there is nothing to retry.");
    const rows = await tx.$queryRawUnsafe<RunRow[]>(
      `UPDATE replay_runs SET total = $2, heartbeat_at = now() WHERE id = $1::uuid RETURNING ${RUN_COLUMNS}`,
      id,
      total,
    );
    return rows[0]!;
  });
  return toRunDto(row);
}

export async function getReplayRun(endpointId: string, runId: string): Promise<TReplayRun> {
  await markStale(endpointId);
  const { rows } = await getPool().query<RunRow>(`SELECT ${RUN_COLUMNS} FROM replay_runs WHERE id = $1::uuid AND endpoint_id = $2::uuid`, [
    runId,
    endpointId,
  ]);
  if (!rows[0]) throw NOT_FOUND();
  return toRunDto(rows[0]);
}

/** The endpoint's runs, newest first. */
export async function listReplayRuns(endpointId: string, limit = 50): Promise<TReplayRun[]> {
  await markStale(endpointId);
  const { rows } = await getPool().query<RunRow>(
    `SELECT ${RUN_COLUMNS} FROM replay_runs WHERE endpoint_id = $1::uuid ORDER BY created_at DESC, id DESC LIMIT $2`,
    [endpointId, limit],
  );
  return rows.map(toRunDto);
}

/** Stops a running run: the runner sees it at its next send and sends nothing more. */
export async function cancelReplayRun(endpointId: string, runId: string): Promise<TReplayRun> {
  const { rows } = await getPool().query<RunRow>(
    `UPDATE replay_runs SET state = 'cancelled', finished_at = now()
      WHERE id = $1::uuid AND endpoint_id = $2::uuid AND state = 'running' RETURNING ${RUN_COLUMNS}`,
    [runId, endpointId],
  );
  if (rows[0]) return toRunDto(rows[0]);
  return getReplayRun(endpointId, runId);
}

interface SendRow {
  position: number;
  capture_id: string;
  capture_seq: string;
  state: string;
  method: string | null;
  url: string | null;
  request_headers: [string, string][] | null;
  request_body_size: number | null;
  response_status: number | null;
  response_headers: [string, string][] | null;
  response_body: Buffer | null;
  response_body_size: number | null;
  response_truncated: boolean;
  error_code: string | null;
  error_message: string | null;
  failures: CheckFailure[];
  duration_ms: number | null;
  first_byte_ms: number | null;
  sent_at: Date | null;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });
function decode(b: Buffer): string | null {
  try {
    return utf8.decode(b);
  } catch {
    return null;
  }
}

function toSendDto(r: SendRow): TReplaySend {
  const body = r.response_body ?? Buffer.alloc(0);
  return {
    position: r.position,
    captureId: r.capture_id,
    captureSeq: Number(r.capture_seq),
    state: r.state as TReplaySend["state"],
    request:
      r.method === null
        ? null
        : { method: r.method, url: r.url ?? "", headers: r.request_headers ?? [], bodySize: r.request_body_size ?? 0 },
    response:
      r.response_status === null
        ? null
        : {
            status: r.response_status,
            headers: r.response_headers ?? [],
            body: {
              size: r.response_body_size ?? body.length,
              base64: body.toString("base64"),
              text: decode(body),
              truncated: r.response_truncated,
            },
          },
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? "" } : null,
    failures: r.failures ?? [],
    durationMs: r.duration_ms,
    firstByteMs: r.first_byte_ms,
    sentAt: r.sent_at?.toISOString() ?? null,
  };
}

/** A page of a run's sends: failed ones first, then the rest, each in the order received. */
export async function listReplaySends(
  runId: string,
  opts: { offset: number; limit: number; only: "all" | "failed" },
): Promise<{ sends: TReplaySend[]; nextOffset: number | null }> {
  const { rows } = await getPool().query<SendRow>(
    `SELECT position, capture_id::text, capture_seq::text, state, method, url, request_headers, request_body_size, response_status,
            response_headers, response_body, response_body_size, response_truncated, error_code, error_message, failures, duration_ms,
            first_byte_ms, sent_at
       FROM replay_sends WHERE run_id = $1::uuid AND ($2::boolean = false OR state = 'failed')
      ORDER BY (state = 'failed') DESC, position OFFSET $3 LIMIT $4`,
    [runId, opts.only === "failed", opts.offset, opts.limit + 1],
  );
  const more = rows.length > opts.limit;
  return { sends: rows.slice(0, opts.limit).map(toSendDto), nextOffset: more ? opts.offset + opts.limit : null };
}

/** One send of a run by position. */
export async function getReplaySend(runId: string, position: number): Promise<TReplaySend> {
  const { rows } = await getPool().query<SendRow>(
    `SELECT position, capture_id::text, capture_seq::text, state, method, url, request_headers, request_body_size, response_status,
            response_headers, response_body, response_body_size, response_truncated, error_code, error_message, failures, duration_ms,
            first_byte_ms, sent_at
       FROM replay_sends WHERE run_id = $1::uuid AND position = $2`,
    [runId, position],
  );
  if (!rows[0]) throw new AppError("NOT_FOUND", "No such send in this run.");
  return toSendDto(rows[0]);
}

// ---- for the runner ----

export interface PendingSend {
  position: number;
  captureId: string;
  /** null when the capture was deleted since the run started. */
  capture: { method: string; headers: [string, string][]; body: Buffer } | null;
}

/** The next pending sends after `afterPosition`, with their capture (bodies: one page at a time). */
export async function pendingSends(runId: string, afterPosition: number, limit: number): Promise<PendingSend[]> {
  const { rows } = await getPool().query<{
    position: number;
    capture_id: string;
    method: string | null;
    headers: [string, string][] | null;
    body: Buffer | null;
  }>({
    name: "hookscope_replay_pending",
    text: `SELECT s.position, s.capture_id::text, c.method, c.headers, c.body
             FROM replay_sends s LEFT JOIN captures c ON c.id = s.capture_id
            WHERE s.run_id = $1::uuid AND s.state = 'pending' AND s.position > $2
            ORDER BY s.position LIMIT $3`,
    values: [runId, afterPosition, limit],
  });
  return rows.map((r) => ({
    position: r.position,
    captureId: r.capture_id,
    capture: r.method === null ? null : { method: r.method, headers: r.headers ?? [], body: r.body ?? Buffer.alloc(0) },
  }));
}

export interface SendResult {
  state: "passed" | "failed";
  method: string;
  url: string;
  requestHeaders: [string, string][];
  requestBodySize: number;
  responseStatus: number | null;
  responseHeaders: [string, string][] | null;
  responseBody: Buffer | null;
  responseBodySize: number | null;
  responseTruncated: boolean;
  errorCode: string | null;
  errorMessage: string | null;
  failures: CheckFailure[];
  durationMs: number;
  firstByteMs: number | null;
}

/** Records one send and counts it on the run, in one statement; returns the run's state (cancelled: stop). */
export async function recordReplaySend(runId: string, position: number, s: SendResult): Promise<string> {
  const { rows } = await getPool().query<{ state: string }>({
    name: "hookscope_replay_record",
    text: `WITH s AS (
        UPDATE replay_sends SET state = $3, method = $4, url = $5, request_headers = $6::jsonb, request_body_size = $7, response_status = $8,
               response_headers = $9::jsonb, response_body = $10, response_body_size = $11, response_truncated = $12, error_code = $13,
               error_message = $14, failures = $15::jsonb, duration_ms = $16, first_byte_ms = $17, sent_at = now()
         WHERE run_id = $1::uuid AND position = $2 AND state = 'pending'
        RETURNING state)
      UPDATE replay_runs r SET sent = r.sent + (SELECT count(*) FROM s)::int,
             failed = r.failed + (SELECT count(*) FROM s WHERE s.state = 'failed')::int, heartbeat_at = now()
       WHERE r.id = $1::uuid RETURNING r.state`,
    values: [
      runId,
      position,
      s.state,
      s.method,
      s.url,
      JSON.stringify(s.requestHeaders),
      s.requestBodySize,
      s.responseStatus,
      s.responseHeaders ? JSON.stringify(s.responseHeaders) : null,
      s.responseBody,
      s.responseBodySize,
      s.responseTruncated,
      s.errorCode,
      s.errorMessage,
      JSON.stringify(s.failures),
      s.durationMs,
      s.firstByteMs,
    ],
  });
  return rows[0]?.state ?? "cancelled";
}

/** Keeps a run's heartbeat fresh; returns its state (null when deleted). */
export async function beatReplayRun(runId: string): Promise<string | null> {
  const { rows } = await getPool().query<{ state: string }>(
    `UPDATE replay_runs SET heartbeat_at = now() WHERE id = $1::uuid RETURNING state`,
    [runId],
  );
  return rows[0]?.state ?? null;
}

/** Ends a run that is still running: finished, or interrupted (this process is stopping) with a reason. */
export async function endReplayRun(runId: string, state: "finished" | "interrupted", error: string | null = null): Promise<void> {
  await getPool().query(`UPDATE replay_runs SET state = $2, error = $3, finished_at = now() WHERE id = $1::uuid AND state = 'running'`, [
    runId,
    state,
    error,
  ]);
}

// ---- compare ----

interface PairRow {
  capture_id: string;
  capture_seq: string;
  pos_a: number;
  pos_b: number;
  state_a: string;
  state_b: string;
  status_a: number | null;
  status_b: number | null;
  headers_a: [string, string][] | null;
  headers_b: [string, string][] | null;
  body_differs: boolean;
  error_a: string | null;
  error_b: string | null;
  failures_a: CheckFailure[];
  failures_b: CheckFailure[];
}

function headerMap(h: [string, string][] | null): Map<string, string> {
  const m = new Map<string, string>();
  for (const [n, v] of h ?? []) {
    const k = n.toLowerCase();
    if (VOLATILE_HEADERS.has(k)) continue;
    m.set(k, m.has(k) ? `${m.get(k)}\n${v}` : v);
  }
  return m;
}

function differingHeaders(a: [string, string][] | null, b: [string, string][] | null): string[] {
  const ma = headerMap(a);
  const mb = headerMap(b);
  const names = new Set([...ma.keys(), ...mb.keys()]);
  return [...names].filter((n) => ma.get(n) !== mb.get(n)).sort();
}

/**
 * Per capture sent in both runs, what the target answered differently. Pairs are read a page at a
 * time (no bodies: the database compares them), so comparing two 10,000-send runs stays small.
 */
export async function compareReplayRuns(endpointId: string, aId: string, bId: string, limit: number): Promise<TRunComparison> {
  const [a, b] = await Promise.all([getReplayRun(endpointId, aId), getReplayRun(endpointId, bId)]);
  const { rows: setRows } = await getPool().query<{ only_a: number; only_b: number; both: number }>(
    `SELECT count(*) FILTER (WHERE b.capture_id IS NULL)::int AS only_a, count(*) FILTER (WHERE a.capture_id IS NULL)::int AS only_b,
            count(*) FILTER (WHERE a.capture_id IS NOT NULL AND b.capture_id IS NOT NULL)::int AS both
       FROM (SELECT capture_id FROM replay_sends WHERE run_id = $1::uuid) a
       FULL JOIN (SELECT capture_id FROM replay_sends WHERE run_id = $2::uuid) b ON a.capture_id = b.capture_id`,
    [aId, bId],
  );
  const set = setRows[0]!;
  const regressions: TRunDifference[] = [];
  const others: TRunDifference[] = [];
  const counts = { compared: 0, same: 0, different: 0, regressions: 0, fixed: 0, onlyA: set.only_a, onlyB: set.only_b };
  const PAGE = 1000;
  for (let after = -1; ;) {
    const { rows } = await getPool().query<PairRow>(
      `SELECT a.capture_id::text, a.capture_seq::text, a.position AS pos_a, b.position AS pos_b, a.state AS state_a, b.state AS state_b,
              a.response_status AS status_a, b.response_status AS status_b, a.response_headers AS headers_a, b.response_headers AS headers_b,
              a.response_body IS DISTINCT FROM b.response_body AS body_differs, a.error_code AS error_a, b.error_code AS error_b,
              a.failures AS failures_a, b.failures AS failures_b
         FROM replay_sends a JOIN replay_sends b ON b.run_id = $2::uuid AND b.capture_id = a.capture_id
        WHERE a.run_id = $1::uuid AND a.position > $3 AND a.state <> 'pending' AND b.state <> 'pending'
        ORDER BY a.position LIMIT $4`,
      [aId, bId, after, PAGE],
    );
    for (const r of rows) {
      counts.compared++;
      const differences: TRunDifference["differences"] = [];
      if (r.state_a !== r.state_b) differences.push("outcome");
      if (r.status_a !== r.status_b) differences.push("status");
      const headerNames = differingHeaders(r.headers_a, r.headers_b);
      if (headerNames.length > 0) differences.push("headers");
      if (r.body_differs) differences.push("body");
      if (r.error_a !== r.error_b) differences.push("error");
      if (differences.length === 0) {
        counts.same++;
        continue;
      }
      counts.different++;
      const regression = r.state_a === "passed" && r.state_b === "failed";
      const fixed = r.state_a === "failed" && r.state_b === "passed";
      if (regression) counts.regressions++;
      if (fixed) counts.fixed++;
      const list = regression ? regressions : others;
      if (list.length < limit) {
        list.push({
          captureId: r.capture_id,
          captureSeq: Number(r.capture_seq),
          positionA: r.pos_a,
          positionB: r.pos_b,
          regression,
          fixed,
          differences,
          headerNames,
          a: { state: r.state_a, status: r.status_a, error: r.error_a, failures: r.failures_a ?? [] },
          b: { state: r.state_b, status: r.status_b, error: r.error_b, failures: r.failures_b ?? [] },
        });
      }
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.pos_a;
  }
  const items = [...regressions, ...others].slice(0, limit);
  return {
    a,
    b,
    sameSet: set.only_a === 0 && set.only_b === 0,
    counts,
    items,
    truncated: counts.different > items.length,
  };
}

// ---- retention ----

/** Runs kept per endpoint at most (the newest). */
export const MAX_RUNS_PER_ENDPOINT = 100;

/**
 * Deletes finished runs older than their endpoint keeps captures (its max age, capped by the
 * instance ceiling), and beyond the newest MAX_RUNS_PER_ENDPOINT of an endpoint. Returns how many.
 */
export async function pruneReplayRuns(maxAgeDaysCeiling: number): Promise<number> {
  const { rowCount } = await getPool().query(
    `DELETE FROM replay_runs r
      WHERE r.state <> 'running'
        AND (r.created_at < now() - make_interval(days => (SELECT least(e.retention_max_age_days, $1) FROM endpoints e WHERE e.id = r.endpoint_id))
             OR r.id IN (SELECT x.id FROM (SELECT id, row_number() OVER (PARTITION BY endpoint_id ORDER BY created_at DESC) AS n FROM replay_runs) x
                          WHERE x.n > $2))`,
    [maxAgeDaysCeiling, MAX_RUNS_PER_ENDPOINT],
  );
  return rowCount ?? 0;
}
