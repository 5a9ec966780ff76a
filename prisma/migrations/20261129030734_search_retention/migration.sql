-- Search and retention.
--
-- Search: trigram (pg_trgm) GIN indexes on a capture's path, on a text rendering of its headers
-- and on the first 8 KiB of its body when that is text. Each is composite with endpoint_id
-- (btree_gin), so a search scans only one endpoint's entries. Both extensions ship with
-- PostgreSQL (contrib) and are "trusted": a database owner may create them without superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- The searchable text of a body: its first 8 KiB in Postgres' "escape" encoding (bytes 0x00 and
-- 0x80-0xFF as \ooo, backslash doubled, everything else as is), so it never fails on invalid
-- UTF-8; lib/search turns a search term into the same encoding. A body with a NUL byte in that
-- prefix is binary (gzip, images, protobuf): NULL, not indexed, never matched by body text.
CREATE FUNCTION hookscope_body_text(body bytea) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT CASE WHEN position('\x00'::bytea IN substring(body FROM 1 FOR 8192)) > 0 THEN NULL
                ELSE encode(substring(body FROM 1 FOR 8192), 'escape') END
  $$;

-- Headers as text, one "\nname:value" line per pair with the name lower-cased, and a final "\n",
-- so "\nstripe-signature:" finds a header by name and "\nx-github-event:push\n" by name and value.
CREATE FUNCTION hookscope_headers_text(headers jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT coalesce(string_agg(E'\n' || lower(h ->> 0) || ':' || (h ->> 1), '' ORDER BY n), '') || E'\n'
      FROM jsonb_array_elements(headers) WITH ORDINALITY AS a(h, n)
  $$;

-- CreateIndex: path (prefix and glob)
CREATE INDEX "captures_search_path_idx" ON "captures" USING gin ("endpoint_id", "path" gin_trgm_ops);
-- CreateIndex: header names and values
CREATE INDEX "captures_search_headers_idx" ON "captures" USING gin ("endpoint_id", hookscope_headers_text("headers") gin_trgm_ops);
-- CreateIndex: body text (first 8 KiB of text bodies)
CREATE INDEX "captures_search_body_idx" ON "captures" USING gin ("endpoint_id", hookscope_body_text("body") gin_trgm_ops);

-- Retention per endpoint (the instance's ceilings in env cap both), and when its owner last used it
-- (key-authenticated API use; recorded at most once a minute), for expiring unused endpoints.
ALTER TABLE "endpoints" ADD COLUMN "retention_max_captures" INTEGER NOT NULL DEFAULT 10000;
ALTER TABLE "endpoints" ADD COLUMN "retention_max_age_days" INTEGER NOT NULL DEFAULT 30;
ALTER TABLE "endpoints" ADD COLUMN "last_accessed_at" TIMESTAMPTZ(6);
