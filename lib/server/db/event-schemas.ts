// Inferred schemas per event type: the merge of new captures (run by lib/server/schema/worker.ts,
// never by the capture write) and the reads behind the schema API. See
// prisma/migrations/20261206142000_event_schemas.
import "server-only";
import { readEvent } from "@/lib/shared/events/event-type";
import { driftOf, emptySchemaState, mergeSample, type TDriftChange, type TSchemaState } from "@/lib/shared/schema/infer";
import type { THeaderList } from "@/lib/shared/validation/captures";
import { CAPTURE_CHANNEL } from "./capture-insert";
import { getPool } from "./client";

/** Seqs per drift notification: 400 of at most 16 characters keep the payload under NOTIFY's 8000 bytes. */
export const DRIFT_NOTIFY_SEQS = 400;

/** The drift notifications for one endpoint's newly drifted captures (see CAPTURE_CHANNEL). */
export function driftNotifyPayloads(endpointId: string, seqs: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < seqs.length; i += DRIFT_NOTIFY_SEQS) {
    out.push(`{"d":${JSON.stringify(endpointId)},"s":[${seqs.slice(i, i + DRIFT_NOTIFY_SEQS).join(",")}]}`);
  }
  return out;
}

/** Endpoints with captures not merged yet, most recently captured first. */
const DUE = {
  name: "hookscope_event_schemas_due",
  text: `SELECT e.id FROM endpoints e LEFT JOIN event_schema_cursors c ON c.endpoint_id = e.id
          WHERE e.capture_seq > coalesce(c.merged_seq, 0)
          ORDER BY e.last_capture_at DESC NULLS LAST LIMIT $1`,
};

export async function endpointsWithUnmergedCaptures(limit: number): Promise<string[]> {
  const { rows } = await getPool().query<{ id: string }>({ ...DUE, values: [limit] });
  return rows.map((r) => r.id);
}

interface CaptureRow {
  id: string;
  seq: string;
  event_type: string | null;
  headers: THeaderList | null;
  body: Buffer | null;
}

export interface MergeResult {
  /** Captures read (typed or not). */
  read: number;
  /** Payloads merged into a schema. */
  merged: number;
  /** Captures marked with drift. */
  drifted: number;
  /** More captures are waiting. */
  more: boolean;
}

/**
 * Merges up to `batch` captures of the endpoint past its cursor into their types' schemas, in one
 * transaction that also records drift on those captures and moves the cursor. The cursor row is
 * taken FOR UPDATE SKIP LOCKED, so replicas never merge one endpoint at once; a capture is read
 * once. Only small, unencoded JSON object bodies of typed captures are parsed (readEvent's rules).
 */
export async function mergeEndpointCaptures(endpointId: string, batch: number): Promise<MergeResult> {
  const client = await getPool().connect();
  try {
    await client.query(`INSERT INTO event_schema_cursors (endpoint_id) VALUES ($1) ON CONFLICT DO NOTHING`, [endpointId]);
    await client.query("BEGIN");
    const cur = await client.query<{ merged_seq: string; capture_seq: string }>(
      `SELECT c.merged_seq, e.capture_seq FROM event_schema_cursors c JOIN endpoints e ON e.id = c.endpoint_id
        WHERE c.endpoint_id = $1 FOR UPDATE OF c SKIP LOCKED`,
      [endpointId],
    );
    const row = cur.rows[0];
    if (!row) {
      await client.query("ROLLBACK");
      return { read: 0, merged: 0, drifted: 0, more: false };
    }
    // Everything up to capture_seq is committed: seq numbers and capture_seq move in one transaction.
    const { rows } = await client.query<CaptureRow>(
      `SELECT id, seq, event_type,
              CASE WHEN event_type IS NOT NULL THEN headers END AS headers,
              CASE WHEN event_type IS NOT NULL AND NOT oversize AND octet_length(body) <= 262144 THEN body END AS body
         FROM captures WHERE endpoint_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq LIMIT $4`,
      [endpointId, row.merged_seq, row.capture_seq, batch],
    );
    const more = rows.length === batch;
    const mergedTo = more ? rows[rows.length - 1]!.seq : row.capture_seq;

    const types = [...new Set(rows.filter((r) => r.event_type !== null && r.body !== null).map((r) => r.event_type!))];
    const states = new Map<string, { state: TSchemaState; lastSeq: string; changed: boolean }>();
    if (types.length) {
      const existing = await client.query<{ event_type: string; state: TSchemaState; last_seq: string }>(
        `SELECT event_type, state, last_seq FROM event_schemas WHERE endpoint_id = $1 AND event_type = ANY($2::text[])`,
        [endpointId, types],
      );
      for (const e of existing.rows) states.set(e.event_type, { state: e.state, lastSeq: e.last_seq, changed: false });
    }
    const drift: { id: string; seq: string; d: TDriftChange[] }[] = [];
    let merged = 0;
    for (const r of rows) {
      if (r.event_type === null || r.body === null) continue;
      const json = readEvent({ headers: r.headers ?? [], body: r.body }).json();
      if (json === null) continue;
      let entry = states.get(r.event_type);
      if (!entry) states.set(r.event_type, (entry = { state: emptySchemaState(), lastSeq: r.seq, changed: false }));
      const changes = driftOf(entry.state, json);
      if (changes.length) drift.push({ id: r.id, seq: r.seq, d: changes });
      mergeSample(entry.state, json);
      entry.lastSeq = r.seq;
      entry.changed = true;
      merged++;
    }
    const changed = [...states].filter(([, e]) => e.changed);
    if (changed.length) {
      await client.query(
        `INSERT INTO event_schemas (endpoint_id, event_type, state, samples, last_seq, updated_at)
         SELECT $1, x->>'type', x->'state', (x->'state'->>'samples')::int, (x->>'lastSeq')::bigint, now()
           FROM jsonb_array_elements($2::jsonb) x
         ON CONFLICT (endpoint_id, event_type) DO UPDATE
           SET state = EXCLUDED.state, samples = EXCLUDED.samples, last_seq = EXCLUDED.last_seq, updated_at = now()`,
        [endpointId, JSON.stringify(changed.map(([type, e]) => ({ type, state: e.state, lastSeq: e.lastSeq })))],
      );
    }
    if (drift.length) {
      await client.query(
        `UPDATE captures c SET drift = x->'d' FROM jsonb_array_elements($2::jsonb) x
          WHERE c.endpoint_id = $1 AND c.id = (x->>'id')::uuid`,
        [endpointId, JSON.stringify(drift.map((x) => ({ id: x.id, d: x.d })))],
      );
      // Delivered at COMMIT to every replica's live listener, which sends open dashboards a
      // `drift` frame (lib/server/live/hub.ts) so the mark appears without a reload.
      await client.query(`SELECT pg_notify($1, p) FROM unnest($2::text[]) p`, [
        CAPTURE_CHANNEL,
        driftNotifyPayloads(
          endpointId,
          drift.map((x) => x.seq),
        ),
      ]);
    }
    await client.query(`UPDATE event_schema_cursors SET merged_seq = $2, updated_at = now() WHERE endpoint_id = $1`, [
      endpointId,
      mergedTo,
    ]);
    await client.query("COMMIT");
    return { read: rows.length, merged, drifted: drift.length, more };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}

export interface StoredSchema {
  type: string;
  state: TSchemaState;
  samples: number;
  lastSeq: number;
  updatedAt: string;
}

const ISO = `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** One type's schema state, or null when none was merged yet. */
export async function readEventSchema(endpointId: string, type: string): Promise<StoredSchema | null> {
  const { rows } = await getPool().query<{ event_type: string; state: TSchemaState; samples: number; last_seq: string; at: string }>(
    `SELECT event_type, state, samples, last_seq, ${ISO} AS at FROM event_schemas WHERE endpoint_id = $1 AND event_type = $2`,
    [endpointId, type],
  );
  const r = rows[0];
  return r ? { type: r.event_type, state: r.state, samples: r.samples, lastSeq: Number(r.last_seq), updatedAt: r.at } : null;
}

/** Every type's schema state of the endpoint, by type name. At most `limit`. */
export async function readEventSchemas(endpointId: string, limit: number): Promise<StoredSchema[]> {
  const { rows } = await getPool().query<{ event_type: string; state: TSchemaState; samples: number; last_seq: string; at: string }>(
    `SELECT event_type, state, samples, last_seq, ${ISO} AS at FROM event_schemas WHERE endpoint_id = $1 ORDER BY event_type LIMIT $2`,
    [endpointId, limit],
  );
  return rows.map((r) => ({ type: r.event_type, state: r.state, samples: r.samples, lastSeq: Number(r.last_seq), updatedAt: r.at }));
}

/** How far the endpoint's captures are merged, and its newest seq. */
export async function readSchemaProgress(endpointId: string): Promise<{ mergedSeq: number; captureSeq: number }> {
  const { rows } = await getPool().query<{ merged: string | null; seq: string }>(
    `SELECT c.merged_seq AS merged, e.capture_seq AS seq FROM endpoints e LEFT JOIN event_schema_cursors c ON c.endpoint_id = e.id WHERE e.id = $1`,
    [endpointId],
  );
  return { mergedSeq: Number(rows[0]?.merged ?? 0), captureSeq: Number(rows[0]?.seq ?? 0) };
}
