// The event catalogue read: an endpoint's captures by event type (count and first/last seq from the
// (endpoint_id, event_type, seq) index alone), then the first and newest capture of each type by
// (endpoint_id, seq). Captures without a type are grouped by method and path, the most captured
// first (that part reads the untyped rows themselves).
import "server-only";
import {
  EVENT_CATALOGUE_LIMIT,
  OTHER_GROUPS_LIMIT,
  type TEventCatalogue,
  type TEventTypeEntry,
  type TOtherRequestGroup,
} from "@/lib/shared/validation/event-catalogue";
import type { TEventSource } from "@/lib/shared/events/event-type";
import { getPool } from "./client";

const ISO = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

// The distinct types come from a skip scan of the (endpoint_id, event_type text_pattern_ops, seq)
// index (one probe per type, ordered with the operators that index supports), then each type's
// count and first and last seq from the same index alone. A plain GROUP BY read every row of a
// big endpoint from the table (the planner picks a sequential scan when most rows match): 177 ms
// at 100,000 captures in bench:search. A type's source is its newest capture's.
const TYPES = {
  name: "hookscope_event_catalogue_types",
  text: `WITH RECURSIVE t AS (
      (SELECT event_type FROM captures
        WHERE endpoint_id = $1::uuid AND event_type IS NOT NULL
        ORDER BY event_type USING ~<~ LIMIT 1)
      UNION ALL
      SELECT (SELECT c.event_type FROM captures c
               WHERE c.endpoint_id = $1::uuid AND c.event_type ~>~ t.event_type
               ORDER BY c.event_type USING ~<~ LIMIT 1)
        FROM t WHERE t.event_type IS NOT NULL
    ), g AS (
      SELECT t.event_type, s.n, s.first_seq, s.last_seq
        FROM t CROSS JOIN LATERAL (
          SELECT count(*)::int AS n, min(c.seq) AS first_seq, max(c.seq) AS last_seq
            FROM captures c WHERE c.endpoint_id = $1::uuid AND c.event_type = t.event_type) s
       WHERE t.event_type IS NOT NULL
       ORDER BY s.n DESC, t.event_type
       LIMIT $2)
    SELECT g.event_type, l.event_source, g.n, ${ISO("f.received_at")} AS first_at, ${ISO("l.received_at")} AS last_at,
           l.id AS sample_id, l.seq::int AS sample_seq
      FROM g
      JOIN captures f ON f.endpoint_id = $1::uuid AND f.seq = g.first_seq
      JOIN captures l ON l.endpoint_id = $1::uuid AND l.seq = g.last_seq
     ORDER BY g.n DESC, g.event_type`,
};

const OTHER = {
  name: "hookscope_event_catalogue_other",
  text: `WITH g AS (
      SELECT method, path, count(*)::int AS n, max(seq) AS last_seq
        FROM captures
       WHERE endpoint_id = $1::uuid AND event_type IS NULL
       GROUP BY method, path),
    top AS (SELECT * FROM g ORDER BY n DESC, last_seq DESC LIMIT $2)
    SELECT top.method, top.path, top.n, ${ISO("l.received_at")} AS last_at, l.id AS sample_id, l.seq::int AS sample_seq,
           (SELECT coalesce(sum(n), 0)::int FROM g) AS total
      FROM top
      JOIN captures l ON l.endpoint_id = $1::uuid AND l.seq = top.last_seq
     ORDER BY top.n DESC, top.last_seq DESC`,
};

interface TypeRow {
  event_type: string;
  event_source: TEventSource | null;
  n: number;
  first_at: string;
  last_at: string;
  sample_id: string;
  sample_seq: number;
}
interface OtherRow {
  method: string;
  path: string;
  n: number;
  last_at: string;
  sample_id: string;
  sample_seq: number;
  total: number;
}

export async function readEventCatalogue(endpointId: string): Promise<TEventCatalogue> {
  const pool = getPool();
  const [types, other] = await Promise.all([
    pool.query<TypeRow>({ ...TYPES, values: [endpointId, EVENT_CATALOGUE_LIMIT] }),
    pool.query<OtherRow>({ ...OTHER, values: [endpointId, OTHER_GROUPS_LIMIT] }),
  ]);
  return {
    types: types.rows.map((r): TEventTypeEntry => ({
      type: r.event_type,
      source: r.event_source,
      count: r.n,
      firstSeenAt: r.first_at,
      lastSeenAt: r.last_at,
      sample: { id: r.sample_id, seq: r.sample_seq },
    })),
    other: {
      count: other.rows[0]?.total ?? 0,
      groups: other.rows.map((r): TOtherRequestGroup => ({
        method: r.method,
        path: r.path,
        count: r.n,
        lastSeenAt: r.last_at,
        sample: { id: r.sample_id, seq: r.sample_seq },
      })),
    },
  };
}
