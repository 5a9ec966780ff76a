-- The provider's event type of each capture ("payment_intent.succeeded", "push", "orders/create")
-- and which rule named it (stripe, github, …, generic): lib/shared/events/event-type.ts computes
-- both when captures are written (lib/server/db/capture-insert.ts). The index serves `type:` in
-- search: endpoint + exact type ordered by seq, and with text_pattern_ops also `type:invoice.*`
-- (a LIKE prefix).

-- AlterTable
ALTER TABLE "captures" ADD COLUMN "event_type" TEXT, ADD COLUMN "event_source" TEXT;

-- CreateIndex
CREATE INDEX "captures_endpoint_id_event_type_seq_idx" ON "captures" ("endpoint_id", "event_type" text_pattern_ops, "seq");

-- Backfill: the captures stored before this migration, by the same rules as
-- lib/shared/events/event-type.ts for headers and JSON bodies (Twilio's form rule is left out:
-- those rows stay without a type). test/search.test.ts runs this part on sample events of every
-- provider and compares it with the module.
CREATE FUNCTION pg_temp.hookscope_try_jsonb(b bytea) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN convert_from(b, 'UTF8')::jsonb;
EXCEPTION WHEN others THEN
  RETURN NULL;
END $$;

CREATE FUNCTION pg_temp.hookscope_event_string(v jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'string' THEN t END
    FROM (SELECT btrim(v #>> '{}', E' \t\n\r\f\u000b') AS t) s
   WHERE jsonb_typeof(v) = 'string' AND length(t) BETWEEN 1 AND 200 AND t !~ '[\x01-\x1f\x7f]'
$$;

WITH h AS (
  SELECT c.id,
         (SELECT btrim(e ->> 1) FROM jsonb_array_elements(c.headers) WITH ORDINALITY x(e, o)
           WHERE lower(e ->> 0) = 'x-github-event' ORDER BY o LIMIT 1) AS github,
         (SELECT btrim(e ->> 1) FROM jsonb_array_elements(c.headers) WITH ORDINALITY x(e, o)
           WHERE lower(e ->> 0) = 'x-shopify-topic' ORDER BY o LIMIT 1) AS topic,
         (SELECT e ->> 1 FROM jsonb_array_elements(c.headers) WITH ORDINALITY x(e, o)
           WHERE lower(e ->> 0) = 'content-type' ORDER BY o LIMIT 1) AS ct,
         (SELECT lower(btrim(e ->> 1)) FROM jsonb_array_elements(c.headers) WITH ORDINALITY x(e, o)
           WHERE lower(e ->> 0) = 'content-encoding' ORDER BY o LIMIT 1) AS ce,
         EXISTS (SELECT 1 FROM jsonb_array_elements(c.headers) e WHERE lower(e ->> 0) = 'stripe-signature') AS stripe,
         EXISTS (SELECT 1 FROM jsonb_array_elements(c.headers) e WHERE lower(e ->> 0) = 'x-slack-signature') AS slack,
         EXISTS (SELECT 1 FROM jsonb_array_elements(c.headers) e WHERE lower(e ->> 0) IN ('webhook-id', 'svix-id')) AS standard,
         c.body
    FROM captures c
   WHERE c.event_type IS NULL
), j AS (
  SELECT h.id, h.stripe, h.slack, h.standard,
         NULLIF(h.github, '') AS github, NULLIF(h.topic, '') AS topic,
         CASE WHEN octet_length(h.body) BETWEEN 1 AND 262144 AND coalesce(h.ce, '') IN ('', 'identity')
               AND (h.ct ILIKE '%json%' OR (h.ct IS NULL AND ltrim(encode(substring(h.body FROM 1 FOR 64), 'escape'), E' \t\n\r') LIKE '{%'))
              THEN pg_temp.hookscope_try_jsonb(h.body) END AS doc
    FROM h
), t AS (
  SELECT j.id, j.github, j.topic, j.stripe, j.slack, j.standard,
         CASE WHEN jsonb_typeof(j.doc) = 'object' THEN j.doc END AS doc,
         pg_temp.hookscope_event_string(j.doc -> 'type') AS type
    FROM j
), r AS (
  SELECT t.id,
    CASE
      WHEN t.github IS NOT NULL THEN
        ARRAY[coalesce(CASE WHEN length(t.github || '.' || pg_temp.hookscope_event_string(t.doc -> 'action')) <= 200
                            THEN t.github || '.' || pg_temp.hookscope_event_string(t.doc -> 'action') END, t.github), 'github']
      WHEN t.topic IS NOT NULL THEN ARRAY[t.topic, 'shopify']
      WHEN t.doc IS NULL THEN NULL
      WHEN (t.stripe OR t.doc -> 'object' = '"event"') AND t.type IS NOT NULL THEN ARRAY[t.type, 'stripe']
      WHEN (t.slack OR (t.type = 'event_callback' AND jsonb_typeof(t.doc -> 'event') = 'object'))
           AND coalesce(CASE WHEN t.type = 'event_callback' THEN pg_temp.hookscope_event_string(t.doc -> 'event' -> 'type') END, t.type) IS NOT NULL
        THEN ARRAY[coalesce(CASE WHEN t.type = 'event_callback' THEN pg_temp.hookscope_event_string(t.doc -> 'event' -> 'type') END, t.type), 'slack']
      WHEN t.standard AND t.type IS NOT NULL THEN ARRAY[t.type, 'standard']
      WHEN coalesce(t.type, pg_temp.hookscope_event_string(t.doc -> 'event'), pg_temp.hookscope_event_string(t.doc -> 'event_type'),
                    pg_temp.hookscope_event_string(t.doc -> 'eventType')) IS NOT NULL
        THEN ARRAY[coalesce(t.type, pg_temp.hookscope_event_string(t.doc -> 'event'), pg_temp.hookscope_event_string(t.doc -> 'event_type'),
                            pg_temp.hookscope_event_string(t.doc -> 'eventType')), 'generic']
    END AS found
    FROM t
)
UPDATE captures c SET event_type = r.found[1], event_source = r.found[2]
  FROM r
 WHERE c.id = r.id AND r.found IS NOT NULL;

DROP FUNCTION pg_temp.hookscope_event_string(jsonb);
DROP FUNCTION pg_temp.hookscope_try_jsonb(bytea);
