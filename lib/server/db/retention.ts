// Retention data functions: which endpoints hold captures past their limits, deleting those in
// bounded batches, and deleting endpoints nobody has used for a long time. Plain SQL on the pool;
// lib/server/retention/worker.ts runs them in the background.
import "server-only";
import { getPool, withPoolClient } from "./client";

export interface RetentionCeilings {
  maxCaptures: number;
  maxAgeDays: number;
}

export interface EndpointToPrune {
  id: string;
  /** Effective limits: the endpoint's settings capped by the instance ceilings. */
  maxCaptures: number;
  maxAgeDays: number;
}

/**
 * Endpoints with more captures than they keep, or whose oldest capture is older than they keep.
 * One index probe per endpoint with captures (its oldest row on (endpoint_id, seq)).
 */
export async function findEndpointsToPrune(ceilings: RetentionCeilings, limit = 500): Promise<EndpointToPrune[]> {
  const { rows } = await getPool().query<{ id: string; max_captures: number; max_age_days: number }>(
    `SELECT e.id::text, least(e.retention_max_captures, $1)::int AS max_captures, least(e.retention_max_age_days, $2)::int AS max_age_days
       FROM endpoints e
      WHERE e.capture_count > least(e.retention_max_captures, $1)
         OR (e.capture_count > 0
             AND (SELECT c.received_at FROM captures c WHERE c.endpoint_id = e.id ORDER BY c.seq LIMIT 1)
                 < now() - make_interval(days => least(e.retention_max_age_days, $2)))
      LIMIT $3`,
    [ceilings.maxCaptures, ceilings.maxAgeDays, limit],
  );
  return rows.map((r) => ({ id: r.id, maxCaptures: r.max_captures, maxAgeDays: r.max_age_days }));
}

/** How long a pruning batch waits for its endpoint's row before giving up until the next pass. */
const LOCK_TIMEOUT = "2s";

/**
 * Deletes up to `batch` of the endpoint's oldest captures that are past its limits: beyond the
 * newest `maxCaptures`, or received more than `maxAgeDays` ago. One short transaction: the
 * endpoint row is locked first (the order capture batches, clear and delete use, so none of them
 * can deadlock with it), which holds that endpoint's capture commits back for the length of one
 * batch. Returns how many were deleted; 0 means the endpoint is within its limits (or busy).
 */
export async function pruneEndpointBatch(e: EndpointToPrune, batch: number): Promise<number> {
  return withPoolClient(async (c) => {
    try {
      await c.query("BEGIN");
      await c.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      const locked = await c.query("SELECT 1 FROM endpoints WHERE id = $1::uuid FOR UPDATE", [e.id]);
      if (locked.rowCount === 0) {
        await c.query("ROLLBACK");
        return 0;
      }
      // Only the oldest `batch` rows are looked at: retention deletes from the old end, and a row
      // the batch leaves (received out of order by a few ms) goes in the next one.
      const { rows } = await c.query<{ deleted: number }>(
        `WITH cut AS (
         SELECT coalesce((SELECT seq FROM captures WHERE endpoint_id = $1::uuid ORDER BY seq DESC OFFSET $2 LIMIT 1), 0) AS seq
       ), victims AS (
         SELECT o.id FROM (SELECT id, seq, received_at FROM captures WHERE endpoint_id = $1::uuid ORDER BY seq LIMIT $4) o, cut
          WHERE o.seq <= cut.seq OR o.received_at < now() - make_interval(days => $3)
       ), d AS (
         DELETE FROM captures WHERE id IN (SELECT id FROM victims) RETURNING 1
       ), n AS (SELECT count(*)::int AS deleted FROM d)
       UPDATE endpoints SET capture_count = greatest(0, capture_count - n.deleted) FROM n WHERE id = $1::uuid
       RETURNING n.deleted`,
        [e.id, e.maxCaptures, e.maxAgeDays, batch],
      );
      await c.query("COMMIT");
      return rows[0]?.deleted ?? 0;
    } catch (err) {
      await c.query("ROLLBACK").catch(() => {});
      // 55P03: lock_timeout (a long clear or delete holds the row): try again next pass.
      if ((err as { code?: string }).code === "55P03") return 0;
      throw err;
    }
  });
}

/**
 * Endpoints unused for `days`: no capture, no keyed use (lib/server/http/auth records it) and not
 * created in that time.
 */
export async function findUnusedEndpoints(days: number, limit = 100): Promise<{ id: string; slug: string; captureCount: number }[]> {
  const { rows } = await getPool().query<{ id: string; slug: string; capture_count: number }>(
    `SELECT id::text, slug, capture_count FROM endpoints
      WHERE greatest(created_at, coalesce(last_capture_at, created_at), coalesce(last_accessed_at, created_at)) < now() - make_interval(days => $1)
      ORDER BY created_at LIMIT $2`,
    [days, limit],
  );
  return rows.map((r) => ({ id: r.id, slug: r.slug, captureCount: r.capture_count }));
}

/**
 * Deletes an unused endpoint when it has at most `maxCaptures` captures left, checking again that
 * it is still unused: "deleted", "in-use" (used since it was found), or "too-big" (empty it in
 * batches with pruneEndpointBatch first).
 */
export async function deleteUnusedEndpoint(id: string, days: number, maxCaptures: number): Promise<"deleted" | "in-use" | "too-big"> {
  const { rows } = await getPool().query<{ unused: boolean; deleted: number }>(
    `WITH t AS (
       SELECT id, capture_count,
              greatest(created_at, coalesce(last_capture_at, created_at), coalesce(last_accessed_at, created_at))
                < now() - make_interval(days => $2) AS unused
         FROM endpoints WHERE id = $1::uuid
     ), d AS (
       DELETE FROM endpoints e USING t WHERE e.id = t.id AND t.unused AND t.capture_count <= $3 RETURNING 1
     )
     SELECT t.unused, (SELECT count(*) FROM d)::int AS deleted FROM t`,
    [id, days, maxCaptures],
  );
  const r = rows[0];
  if (!r) return "in-use"; // deleted meanwhile by its owner: nothing left to do
  if (r.deleted > 0) return "deleted";
  return r.unused ? "too-big" : "in-use";
}

/** Records keyed use of an endpoint, at most once a minute (for expiry of unused endpoints). */
export async function touchEndpointAccess(id: string): Promise<void> {
  await getPool().query(
    `UPDATE endpoints SET last_accessed_at = now()
      WHERE id = $1::uuid AND (last_accessed_at IS NULL OR last_accessed_at < now() - interval '1 minute')`,
    [id],
  );
}

/** Session-level advisory lock key for a retention pass (one pass at a time per database). */
export const RETENTION_LOCK_KEY = 72707371;
