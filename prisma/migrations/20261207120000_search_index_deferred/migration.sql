-- Search indexing off the acknowledgement path. The three trigram GIN indexes cost about 135 µs of
-- PostgreSQL per captured row (276 body trigrams, 205 header trigrams), paid inside the capture's
-- commit. They now cover only rows with search_indexed = true: a capture is inserted with false
-- (the partial indexes skip it, computing no trigrams) and the search indexer
-- (lib/server/search/indexer.ts) sets it true soon after, which adds the row's entries. Until then
-- a search finds the row through captures_search_pending_idx, a small btree of the rows not yet
-- indexed, whose terms are checked row by row (lib/server/db/capture-search.ts), so a capture is
-- searchable from its 2xx either way.
--
-- Expression statistics (below) need PostgreSQL 14; 13 is out of support since November 2025.
DO $$
BEGIN
  IF current_setting('server_version_num')::int < 140000 THEN
    RAISE EXCEPTION 'Hookscope needs PostgreSQL 14 or newer; this server runs %.', current_setting('server_version');
  END IF;
END $$;

-- Rows already stored are indexed: the column is added with DEFAULT true (no table rewrite), then
-- new rows default to false.
ALTER TABLE "captures" ADD COLUMN "search_indexed" BOOLEAN NOT NULL DEFAULT true;
ALTER TABLE "captures" ALTER COLUMN "search_indexed" SET DEFAULT false;

-- The partial indexes are built beside the old ones, which go only at the end: each build reads
-- the table once and holds off writes (captures wait; reads go on), and the drops lock the table
-- only until this migration commits.
CREATE INDEX "captures_search_path_idx_partial" ON "captures" USING gin ("endpoint_id", "path" gin_trgm_ops) WHERE "search_indexed";
CREATE INDEX "captures_search_headers_idx_partial" ON "captures" USING gin ("endpoint_id", lower("headers"::text) gin_trgm_ops) WHERE "search_indexed";
CREATE INDEX "captures_search_body_idx_partial" ON "captures" USING gin ("endpoint_id", hookscope_body_text("body") gin_trgm_ops) WHERE "search_indexed";
DROP INDEX "captures_search_path_idx";
DROP INDEX "captures_search_headers_idx";
DROP INDEX "captures_search_body_idx";
ALTER INDEX "captures_search_path_idx_partial" RENAME TO "captures_search_path_idx";
ALTER INDEX "captures_search_headers_idx_partial" RENAME TO "captures_search_headers_idx";
ALTER INDEX "captures_search_body_idx_partial" RENAME TO "captures_search_body_idx";

-- The rows the indexer has still to do, per endpoint in capture order: what a search scans beside
-- the trigram indexes, and where the indexer takes its next batch.
CREATE INDEX "captures_search_pending_idx" ON "captures" ("endpoint_id", "seq") WHERE NOT "search_indexed";

-- Statistics on the indexed expressions. The planner reads none from a partial index (they would
-- describe only the rows it covers), and without them it guessed that a header every fourth capture
-- has matches 10 rows, took the trigram index for it, and collected 25,000 matches to sort out a
-- page (bench:search: 0.18 s instead of 3 ms of walking the newest captures until a page is full).
-- The statistics of the dropped indexes went with them: ANALYZE fills these now, not at
-- autovacuum's next turn.
CREATE STATISTICS "captures_search_headers_stats" ON (lower("headers"::text)) FROM "captures";
CREATE STATISTICS "captures_search_body_stats" ON (hookscope_body_text("body")) FROM "captures";
ANALYZE "captures";
