-- Management-key cookies (hsk_…) are no longer stored with a captured request: a browser sent its
-- whole-site key cookies to any capture URL it visited, and the capture's owner could read them
-- (lib/server/http/auth.ts withoutKeyCookies, which capture now applies). This removes the ones
-- stored before (hsk_<endpoint id>=… pairs) from captures' headers and from the requests sent on
-- from them (deliveries, replay sends). Other cookies stay as they were; a Cookie header left
-- empty goes.
CREATE FUNCTION hookscope_without_key_cookies(pairs jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT COALESCE(jsonb_agg(CASE WHEN k.dropped > 0 THEN jsonb_build_array(e.p -> 0, ltrim(k.kept, E' \t')) ELSE e.p END ORDER BY e.i), '[]'::jsonb)
  FROM jsonb_array_elements(pairs) WITH ORDINALITY AS e(p, i)
  CROSS JOIN LATERAL (
    SELECT string_agg(s.part, ';' ORDER BY s.j) FILTER (WHERE s.part !~* '^\s*hsk_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}=') AS kept,
           count(*) FILTER (WHERE s.part ~* '^\s*hsk_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}=') AS dropped
    FROM regexp_split_to_table(CASE WHEN lower(e.p ->> 0) = 'cookie' THEN e.p ->> 1 ELSE '' END, ';') WITH ORDINALITY AS s(part, j)
  ) k
  WHERE NOT (k.dropped > 0 AND btrim(COALESCE(k.kept, ''), E' \t') = '')
$$;

UPDATE "captures" SET "headers" = hookscope_without_key_cookies("headers") WHERE "headers"::text LIKE '%hsk\_%';
UPDATE "deliveries" SET "request_headers" = hookscope_without_key_cookies("request_headers") WHERE "request_headers"::text LIKE '%hsk\_%';
UPDATE "replay_sends" SET "request_headers" = hookscope_without_key_cookies("request_headers") WHERE "request_headers"::text LIKE '%hsk\_%';

DROP FUNCTION hookscope_without_key_cookies(jsonb);
