// Inferred schemas per event type: the merge of new captures (run by lib/server/schema/worker.ts,
// never by the capture write) and the reads behind the schema API. See
// prisma/migrations/20261206142000_event_schemas.
import "server-only";
import type pg from "pg";
import { readEvent } from "@/lib/shared/events/event-type";
import { driftOf, emptySchemaState, mergeSample, type TDriftChange, type TSchemaState } from "@/lib/shared/schema/infer";
import type { THeaderList } from "@/lib/shared/validation/captures";
import { CAPTURE_CHANNEL } from "./capture-insert";
import { getPool, withPoolClient } from "./client";

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
export async function mergeEndpointCaptures(endpointId: string, batch: number, sampleLimit = 0): Promise<MergeResult> {
  return withPoolClient(async (client) => {
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
      const states = new Map<string, { state: TSchemaState; lastSeq: string; changed: boolean; window: number }>();
      if (types.length) {
        const existing = await client.query<{ event_type: string; state: TSchemaState; last_seq: string; window_size: number }>(
          `SELECT event_type, state, last_seq, window_size FROM event_schemas WHERE endpoint_id = $1 AND event_type = ANY($2::text[])`,
          [endpointId, types],
        );
        for (const e of existing.rows)
          states.set(e.event_type, { state: e.state, lastSeq: e.last_seq, changed: false, window: e.window_size });
      }
      const drift: { id: string; seq: string; d: TDriftChange[] }[] = [];
      let merged = 0;
      for (const r of rows) {
        if (r.event_type === null || r.body === null) continue;
        const json = readEvent({ headers: r.headers ?? [], body: r.body }).json();
        if (json === null) continue;
        let entry = states.get(r.event_type);
        if (!entry) states.set(r.event_type, (entry = { state: emptySchemaState(), lastSeq: r.seq, changed: false, window: sampleLimit }));
        const changes = driftOf(entry.state, json);
        if (changes.length) drift.push({ id: r.id, seq: r.seq, d: changes });
        mergeSample(entry.state, json);
        entry.lastSeq = r.seq;
        entry.changed = true;
        merged++;
      }
      const changed = [...states].filter(([, e]) => e.changed);
      // Past the window and its slack: rebuild from the newest captures (this batch's are in them).
      for (const [type, e] of changed) {
        if (sampleLimit > 0 && e.state.samples > sampleLimit + windowSlack(sampleLimit)) {
          e.state = await rebuildState(client, endpointId, type, sampleLimit, mergedTo);
          e.window = sampleLimit;
        }
      }
      if (changed.length) {
        await client.query(
          `INSERT INTO event_schemas (endpoint_id, event_type, state, samples, window_size, last_seq, updated_at)
         SELECT $1, x->>'type', x->'state', (x->'state'->>'samples')::int, (x->>'window')::int, (x->>'lastSeq')::bigint, now()
           FROM json_array_elements($2::json) x
         ON CONFLICT (endpoint_id, event_type) DO UPDATE
           SET state = EXCLUDED.state, samples = EXCLUDED.samples, window_size = EXCLUDED.window_size,
               last_seq = EXCLUDED.last_seq, updated_at = now()`,
          [endpointId, JSON.stringify(changed.map(([type, e]) => ({ type, state: e.state, lastSeq: e.lastSeq, window: e.window })))],
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
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The window (SCHEMA_SAMPLE_LIMIT): a type's schema from its newest N captures. A merge cannot be
// undone, so a type's state is rebuilt from its newest N captures once it holds more than
// N + windowSlack(N): a schema covers between its newest N and N + N/4 captures, and the rebuild
// costs at most 5 merges per capture over time. After a restart with another setting, every type
// built with another window is rebuilt once (reconcileSchemaWindows), in the worker.

/** Samples past the window before a rebuild. */
export const windowSlack = (limit: number) => Math.max(1, Math.ceil(limit / 4));

type TClient = pg.PoolClient;

const MERGEABLE = `NOT oversize AND octet_length(body) <= 262144`;

/**
 * A type's state from its newest `limit` captures up to `upTo` (0: every capture): the oldest seq
 * of the window first (index-only), then the bodies oldest first in pages of 500, as they arrived.
 */
async function rebuildState(client: TClient, endpointId: string, type: string, limit: number, upTo: string): Promise<TSchemaState> {
  let after = "0";
  if (limit > 0) {
    const { rows } = await client.query<{ seq: string }>(
      `SELECT seq FROM captures WHERE endpoint_id = $1 AND event_type = $2 AND seq <= $3 AND ${MERGEABLE}
        ORDER BY seq DESC OFFSET $4 LIMIT 1`,
      [endpointId, type, upTo, limit],
    );
    if (rows[0]) after = rows[0].seq;
  }
  const state = emptySchemaState();
  for (;;) {
    const { rows } = await client.query<Pick<CaptureRow, "seq" | "headers" | "body">>(
      `SELECT seq, headers, body FROM captures
        WHERE endpoint_id = $1 AND event_type = $2 AND seq > $3 AND seq <= $4 AND ${MERGEABLE}
        ORDER BY seq LIMIT 500`,
      [endpointId, type, after, upTo],
    );
    for (const r of rows) {
      const json = readEvent({ headers: r.headers ?? [], body: r.body }).json();
      if (json !== null) mergeSample(state, json);
    }
    if (rows.length < 500) return state;
    after = rows[rows.length - 1]!.seq;
  }
}

/**
 * Rebuilds the schemas built with another window than `limit` (after a restart that changed the
 * setting), or holding more than its slack past it: at most `max` types per call, each under its
 * endpoint's cursor lock (skipped while another worker holds it). Returns how many it rebuilt.
 */
export async function reconcileSchemaWindows(limit: number, max: number): Promise<number> {
  const { rows } = await getPool().query<{ endpoint_id: string; event_type: string }>(
    `SELECT endpoint_id, event_type FROM event_schemas
      WHERE window_size <> $1 OR ($1 > 0 AND samples > $1 + $2) ORDER BY endpoint_id LIMIT $3`,
    [limit, limit > 0 ? windowSlack(limit) : 0, max],
  );
  let done = 0;
  const byEndpoint = new Map<string, string[]>();
  for (const r of rows) byEndpoint.set(r.endpoint_id, [...(byEndpoint.get(r.endpoint_id) ?? []), r.event_type]);
  for (const [endpointId, types] of byEndpoint) {
    await withPoolClient(async (client) => {
      try {
        await client.query("BEGIN");
        const cur = await client.query<{ merged_seq: string }>(
          `SELECT merged_seq FROM event_schema_cursors WHERE endpoint_id = $1 FOR UPDATE SKIP LOCKED`,
          [endpointId],
        );
        const upTo = cur.rows[0]?.merged_seq;
        if (upTo === undefined) {
          // Another worker is merging the endpoint: its types wait for the next call.
          await client.query("ROLLBACK");
          return;
        }
        for (const type of types) {
          const state = await rebuildState(client, endpointId, type, limit, upTo);
          await client.query(
            `UPDATE event_schemas SET state = $3, samples = $4, window_size = $5, updated_at = now() WHERE endpoint_id = $1 AND event_type = $2`,
            [endpointId, type, JSON.stringify(state), state.samples, limit],
          );
          done++;
        }
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      }
    });
  }
  return done;
}

export interface StoredSchema {
  type: string;
  state: TSchemaState;
  samples: number;
  /** The window it was built with (SCHEMA_SAMPLE_LIMIT; 0: every capture). */
  window: number;
  lastSeq: number;
  updatedAt: string;
}

const STORED_COLUMNS = `s.event_type, s.state, s.samples, s.window_size, s.last_seq,
  to_char(s.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at`;

interface StoredRow {
  event_type: string;
  state: TSchemaState;
  samples: number;
  window_size: number;
  last_seq: string;
  at: string;
}

function toStored(r: StoredRow): StoredSchema {
  return { type: r.event_type, state: r.state, samples: r.samples, window: r.window_size, lastSeq: Number(r.last_seq), updatedAt: r.at };
}

export interface SchemaProgress {
  /** Every capture with seq <= mergedSeq is merged. */
  mergedSeq: number;
  /** The endpoint's newest seq. */
  captureSeq: number;
}

/**
 * One type's schema state (null when none was merged yet) and how far the endpoint's captures are
 * merged, in one statement: one snapshot, so the schema is exactly the merge up to `mergedSeq`.
 * Two reads could pair an older schema with a newer cursor.
 */
export async function readEventSchema(
  endpointId: string,
  type: string,
): Promise<{ stored: StoredSchema | null; progress: SchemaProgress }> {
  const { rows } = await getPool().query<{ merged: string | null; seq: string } & { [K in keyof StoredRow]: StoredRow[K] | null }>(
    `SELECT c.merged_seq AS merged, e.capture_seq AS seq, ${STORED_COLUMNS}
       FROM endpoints e
       LEFT JOIN event_schema_cursors c ON c.endpoint_id = e.id
       LEFT JOIN event_schemas s ON s.endpoint_id = e.id AND s.event_type = $2
      WHERE e.id = $1`,
    [endpointId, type],
  );
  const r = rows[0];
  return {
    stored: r?.event_type != null ? toStored(r as StoredRow) : null,
    progress: { mergedSeq: Number(r?.merged ?? 0), captureSeq: Number(r?.seq ?? 0) },
  };
}

/** Every type's schema state of the endpoint, by type name. At most `limit`. */
export async function readEventSchemas(endpointId: string, limit: number): Promise<StoredSchema[]> {
  const { rows } = await getPool().query<StoredRow>(
    `SELECT ${STORED_COLUMNS} FROM event_schemas s WHERE s.endpoint_id = $1 ORDER BY s.event_type LIMIT $2`,
    [endpointId, limit],
  );
  return rows.map(toStored);
}
