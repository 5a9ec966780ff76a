// The group-commit write of captures: plain SQL on the shared pool, one statement (so one
// transaction, one multi-row INSERT, one NOTIFY) per batch of the capture writer.
import "server-only";
import { DEFAULT_EVENT_KEY_SETTING, eventKeyOf, type TEventKeySetting } from "@/lib/shared/events/event-key";
import { readEvent } from "@/lib/shared/events/event-type";
import type { THeaderList } from "@/lib/shared/validation/captures";
import type { TAppliedFailure } from "@/lib/shared/validation/response-rules";
import { arrayLiteral } from "./array-literal";
import { withPoolClient } from "./client";

/**
 * Channel carrying "endpoint X has captures up to seq N" once per committed batch
 * (`{"e":[[endpointId,lastSeq],…]}`), and the schema worker's "these captures of endpoint X got
 * drift" (`{"d":endpointId,"s":[seq,…]}`, lib/server/db/event-schemas.ts).
 */
export const CAPTURE_CHANNEL = "hookscope_captures";
/** Channel carrying "forward_outbox has new entries" (empty payload) once per batch that queued any. */
export const FORWARD_CHANNEL = "hookscope_forward";

export interface NewCapture {
  id: string;
  endpointId: string;
  method: string;
  path: string;
  query: string | null;
  headers: THeaderList;
  /** Trailer fields after a chunked body, like headers; null when none arrived. */
  trailers: THeaderList | null;
  body: Buffer;
  bodySize: number;
  declaredLength: number | null;
  contentType: string | null;
  remoteAddress: string;
  httpVersion: string;
  /** ISO 8601 with microseconds. */
  receivedAt: string;
  durationUs: number;
  responseStatus: number;
  /** The endpoint's response revision that answered; null when refused (413). */
  responseRev: number | null;
  oversize: boolean;
  /** The endpoint's event key setting (default auto): the stored key links retries of one event. */
  eventKey?: TEventKeySetting;
  /** Id of the response rule that answered (null: the endpoint's own answer), and what its failure on purpose did. */
  responseRule: string | null;
  responseFailure: TAppliedFailure | null;
}

/** seq per capture id for rows written; ids whose endpoint vanished are absent. */
export type InsertResult = Map<string, number>;

type BatchListener = (queued: number) => void;
const g = globalThis as { __hookscopeForwardQueued?: BatchListener };

/** Called after each committed batch that queued forward deliveries (the process's worker wakes at once). */
export function onForwardQueued(listener: BatchListener | undefined): void {
  g.__hookscopeForwardQueued = listener;
}

/**
 * The whole group commit as one statement, prepared once per connection: one round trip and one
 * implicit transaction instead of five (BEGIN, UPDATE, INSERT, NOTIFY, COMMIT). Rows arrive as
 * one array per column and the headers as one JSON array, so the text never changes with the
 * batch size and Postgres parses and plans it once; the bodies arrive as one binary bytea cut up
 * by offset, because a bytea[] would travel as hex text at twice the size.
 *
 * It locks the batch's endpoints in id order (concurrent batches and replicas cannot deadlock),
 * hands out per-endpoint seq numbers in row order, inserts every row with one INSERT, and sends
 * one NOTIFY `{"e":[[endpointId,lastSeq],…]}` per 100 endpoints (under NOTIFY's 8000 bytes).
 * `notified` only SELECTs, and such a CTE runs only when read: the final SELECT reads it.
 *
 * Forwarding rides along: every inserted capture that matches an enabled forward rule of its
 * endpoint (method, path prefix; oversize captures have no body to forward) is queued in
 * forward_outbox by the same statement, so a capture is committed with its outbox rows or not at
 * all, and one NOTIFY on FORWARD_CHANNEL wakes the workers when anything was queued. With no
 * rules this is one index probe of forward_rules per endpoint in the batch.
 */
const INSERT_BATCH = {
  name: "hookscope_insert_capture_batch",
  text: `WITH v AS (
      SELECT * FROM ROWS FROM (unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[]), jsonb_array_elements($7::jsonb),
                           unnest($8::int[], $9::int[], $10::int[], $11::bigint[], $12::text[], $13::text[], $14::text[],
                           $15::timestamptz[], $16::int[], $17::int[], $18::boolean[], $21::int[]),
                           jsonb_array_elements($22::jsonb), unnest($23::text[], $24::text[], $25::text[], $26::text[]),
                           jsonb_array_elements($27::jsonb))
        WITH ORDINALITY AS v(id, endpoint_id, method, path, query, headers, body_start, body_length, body_size,
                             declared_length, content_type, remote_address, http_version, received_at, duration_us,
                             response_status, oversize, response_rev, trailers, event_type, event_source, event_key,
                             response_rule, response_failure, ord)
    ), n AS (
      SELECT endpoint_id AS id, count(*)::int AS n FROM v GROUP BY endpoint_id
    ), locked AS (
      SELECT id FROM endpoints WHERE id IN (SELECT id FROM n) ORDER BY id FOR UPDATE
    ), s AS (
      UPDATE endpoints e
         SET capture_seq = e.capture_seq + n.n,
             capture_count = e.capture_count + n.n,
             last_capture_at = now()
        FROM n, locked
       WHERE e.id = n.id AND locked.id = e.id
      RETURNING e.id, e.capture_seq, n.n
    ), ins AS (
      INSERT INTO captures (id, endpoint_id, seq, method, path, query, headers, body, body_size, declared_length,
                            content_type, remote_address, http_version, received_at, duration_us, response_status, oversize,
                            response_rev, trailers, event_type, event_source, event_key, response_rule, response_failure)
      SELECT v.id, v.endpoint_id, s.capture_seq - s.n + row_number() OVER (PARTITION BY v.endpoint_id ORDER BY v.ord),
             v.method, v.path, v.query, v.headers, substring($19::bytea FROM v.body_start FOR v.body_length),
             v.body_size, v.declared_length, v.content_type, v.remote_address, v.http_version, v.received_at,
             v.duration_us, v.response_status, v.oversize, v.response_rev, NULLIF(v.trailers, 'null'::jsonb),
             v.event_type, v.event_source, v.event_key, v.response_rule, NULLIF(v.response_failure, 'null'::jsonb)
        FROM v JOIN s ON s.id = v.endpoint_id
      RETURNING id, seq, endpoint_id, method, path, oversize
    ), queued AS (
      INSERT INTO forward_outbox (capture_id, rule_id)
      SELECT ins.id, r.id
        FROM ins JOIN forward_rules r ON r.endpoint_id = ins.endpoint_id AND r.enabled
       WHERE NOT ins.oversize AND (r.method IS NULL OR r.method = ins.method)
         AND (r.path_prefix IS NULL OR starts_with(ins.path, r.path_prefix))
      RETURNING 1
    ), queued_notified AS (
      SELECT pg_notify($20, '') FROM (SELECT 1 FROM queued LIMIT 1) q
    ), notified AS (
      SELECT pg_notify($1, '{"e":[' || string_agg(format('["%s",%s]', id, capture_seq), ',' ORDER BY id) || ']}')
        FROM (SELECT id, capture_seq, (row_number() OVER (ORDER BY id) - 1) / 100 AS part FROM s) p
       GROUP BY part
    )
    SELECT ins.id::text AS id, ins.seq, q.n AS queued
      FROM ins, (SELECT count(*) FROM notified) k, (SELECT count(*)::int AS n FROM queued) q, (SELECT count(*) FROM queued_notified) qn`,
};

/**
 * Writes captures in one transaction (see INSERT_BATCH): seq numbers per endpoint in row order,
 * one INSERT, one NOTIFY. Returns when committed; rows whose endpoint was deleted are skipped.
 */
export async function insertCaptureBatch(rows: NewCapture[]): Promise<InsertResult> {
  const result: InsertResult = new Map();
  if (rows.length === 0) return result;
  const bodies = rows.map((r) => r.body);
  const bodyStarts: number[] = [];
  let start = 1; // substring() counts from 1
  for (const body of bodies) {
    bodyStarts.push(start);
    start += body.length;
  }
  // The event type and key are computed here, once per row, so every writer of captures stores
  // them; the body is read only when it is small, unencoded JSON (or Twilio's form), and parsed
  // at most once for both.
  const events = rows.map((r) => readEvent({ headers: r.headers, body: r.body }));
  const keys = rows.map((r, i) => eventKeyOf(r.headers, events[i]!, r.eventKey ?? DEFAULT_EVENT_KEY_SETTING));
  const values = [
    CAPTURE_CHANNEL,
    arrayLiteral(rows.map((r) => r.id)),
    arrayLiteral(rows.map((r) => r.endpointId)),
    arrayLiteral(rows.map((r) => r.method)),
    arrayLiteral(rows.map((r) => r.path)),
    arrayLiteral(rows.map((r) => r.query)),
    JSON.stringify(rows.map((r) => r.headers)),
    arrayLiteral(bodyStarts),
    arrayLiteral(bodies.map((b) => b.length)),
    arrayLiteral(rows.map((r) => r.bodySize)),
    arrayLiteral(rows.map((r) => r.declaredLength)),
    arrayLiteral(rows.map((r) => r.contentType)),
    arrayLiteral(rows.map((r) => r.remoteAddress)),
    arrayLiteral(rows.map((r) => r.httpVersion)),
    arrayLiteral(rows.map((r) => r.receivedAt)),
    arrayLiteral(rows.map((r) => r.durationUs)),
    arrayLiteral(rows.map((r) => r.responseStatus)),
    arrayLiteral(rows.map((r) => r.oversize)),
    bodies.length === 1 ? bodies[0]! : Buffer.concat(bodies, start - 1),
    FORWARD_CHANNEL,
    arrayLiteral(rows.map((r) => r.responseRev)),
    JSON.stringify(rows.map((r) => r.trailers)),
    arrayLiteral(events.map((e) => e.event?.type ?? null)),
    arrayLiteral(events.map((e) => e.event?.source ?? null)),
    arrayLiteral(keys),
    arrayLiteral(rows.map((r) => r.responseRule)),
    JSON.stringify(rows.map((r) => r.responseFailure)),
  ];

  return withPoolClient(async (client) => {
    const { rows: written } = await client.query<{ id: string; seq: number; queued: number }>({
      ...INSERT_BATCH,
      values,
    });
    for (const w of written) result.set(w.id, w.seq);
    const queued = written[0]?.queued ?? 0;
    if (queued > 0) g.__hookscopeForwardQueued?.(queued);
    return result;
  });
}
