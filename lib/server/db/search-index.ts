// The search indexer's SQL (lib/server/search/indexer.ts). Captures are stored with
// search_indexed = false, outside the trigram indexes (migration *_search_index_deferred); setting
// it true is what puts a row's trigrams in them.
import "server-only";
import { getPool } from "./client";

/**
 * Marks up to `limit` pending captures indexed, in one short transaction, and returns how many.
 * Rows another process holds (another replica's indexer, a retention delete) are skipped, not
 * waited on, so indexers never queue behind each other or deadlock. FOR NO KEY UPDATE, the lock
 * the UPDATE takes anyway: rows that reference a capture (deliveries, signatures, share links)
 * can still be inserted meanwhile. Which pending rows come first is the pending index's order
 * (endpoint, then seq), not arrival: under a backlog some endpoints wait longer than others.
 */
export async function indexPendingCaptures(limit: number): Promise<number> {
  const r = await getPool().query({
    name: "hookscope_index_pending_captures",
    text: `UPDATE captures SET search_indexed = true
            WHERE id = ANY(ARRAY(SELECT id FROM captures WHERE NOT search_indexed LIMIT $1 FOR NO KEY UPDATE SKIP LOCKED))`,
    values: [limit],
  });
  return r.rowCount ?? 0;
}

/** How many captures are not indexed yet, counted up to `upTo` (a bounded scan of the pending index). */
export async function countPendingCaptures(upTo: number): Promise<number> {
  const { rows } = await getPool().query<{ n: number }>({
    name: "hookscope_count_pending_captures",
    text: `SELECT count(*)::int AS n FROM (SELECT 1 FROM captures WHERE NOT search_indexed LIMIT $1) p`,
    values: [upTo],
  });
  return rows[0]?.n ?? 0;
}
