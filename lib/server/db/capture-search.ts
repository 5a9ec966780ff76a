// Search terms (lib/shared/search/query.ts) as a SQL condition on `captures`. Each term is written the
// way one of the trigram GIN indexes of migration *_search_retention can serve (always next to
// `endpoint_id = …`, which those indexes lead with): path LIKE on (endpoint_id, path), header
// terms on (endpoint_id, lower(headers::text)), body text on
// (endpoint_id, hookscope_body_text(body)). The rest (method, type, size, time) filter the rows
// those produce or ride the (endpoint_id, seq) index; `type:` (the event type) rides
// (endpoint_id, event_type text_pattern_ops, seq) of migration *_capture_event_type.
//
// The trigram indexes hold only rows the search indexer has done (search_indexed, migration
// *_search_index_deferred): the terms they serve are asked twice, of indexed rows (through them)
// and of the rows still pending (through the small (endpoint_id, seq) index of those, checked row
// by row), so a capture is found from the moment it is stored.
import "server-only";
import { globToLike, likeEscape, pgEscapeEncode, type TSearchTerm } from "@/lib/shared/search/query";
import { Prisma } from "./generated/client";

/** Header values are stored as the latin1 reading of their bytes (lib/server/capture): search them the same way. */
const asStoredHeader = (s: string) => Buffer.from(s, "utf8").toString("latin1");

/** A string as jsonb's text output writes it (quoted; ", \ and control characters escaped the same way). */
const jsonString = (s: string) => JSON.stringify(s);

function termSql(t: TSearchTerm): Prisma.Sql {
  switch (t.kind) {
    case "method":
      return Prisma.sql`method = ANY(${t.methods}::text[])`;
    case "path":
      return Prisma.sql`path LIKE ${t.glob ? globToLike(t.pattern) : `${likeEscape(t.pattern)}%`}`;
    case "header": {
      // lower(headers::text) is the jsonb text form, [["Name", "value"], …], lower-cased: a pair
      // reads `["name", "value"]`, and quotes inside names and values are escaped, so these
      // patterns match whole pairs only.
      const name = likeEscape(jsonString(t.name));
      if (t.value === null) return Prisma.sql`lower(headers::text) LIKE ${`%[${name}, "%`}`;
      const stored = asStoredHeader(t.value);
      const value = jsonString(stored.toLowerCase()).slice(1, -1);
      if (!/[*?]/.test(t.value)) return Prisma.sql`lower(headers::text) LIKE ${`%[${name}, "${likeEscape(value)}"]%`}`;
      // A glob's % could run across pairs: the text match finds candidates through the index,
      // then each is checked pair by pair.
      return Prisma.sql`(lower(headers::text) LIKE ${`%[${name}, "${globToLike(value)}"]%`}
        AND EXISTS (SELECT 1 FROM jsonb_array_elements(headers) h WHERE lower(h ->> 0) = ${t.name} AND h ->> 1 ILIKE ${globToLike(stored)}))`;
    }
    case "type":
      // (endpoint_id, event_type text_pattern_ops, seq) serves both: equality, and a glob's literal prefix.
      return t.glob ? Prisma.sql`event_type LIKE ${t.pattern.split("*").map(likeEscape).join("%")}` : Prisma.sql`event_type = ${t.pattern}`;
    case "event":
      // The partial index (endpoint_id, event_key, seq) serves it.
      return Prisma.sql`event_key = ${t.key}`;
    case "drift":
      return t.drift ? Prisma.sql`drift IS NOT NULL` : Prisma.sql`drift IS NULL`;
    case "content":
      return Prisma.sql`content_type ILIKE ${`%${likeEscape(t.type)}%`}`;
    case "size": {
      const parts: Prisma.Sql[] = [];
      if (t.min !== null) parts.push(Prisma.sql`body_size >= ${t.min}`);
      if (t.max !== null) parts.push(Prisma.sql`body_size <= ${t.max}`);
      return Prisma.join(parts, " AND ");
    }
    case "after":
      return Prisma.sql`received_at >= ${t.at}::timestamptz`;
    case "before":
      return Prisma.sql`received_at < ${t.at}::timestamptz`;
    case "text":
      return Prisma.sql`hookscope_body_text(body) ILIKE ${`%${likeEscape(pgEscapeEncode(t.text))}%`}`;
  }
}

/**
 * `AND <every term>` for a WHERE clause that already has `endpoint_id = …`, or nothing for no
 * terms. For other routes that filter captures (export, wait): use it after that condition.
 */
export function captureFilterSql(terms: readonly TSearchTerm[]): Prisma.Sql {
  if (terms.length === 0) return Prisma.empty;
  const trigram = terms.filter(servedByTrigrams).map(termSql);
  const parts = terms.filter((t) => !servedByTrigrams(t)).map(termSql);
  if (trigram.length > 0) {
    // Each arm implies one partial index's predicate, so the planner can take a bitmap of both
    // (or walk (endpoint_id, seq) newest first and stop at a page, as for any filter).
    const all = Prisma.join(trigram, " AND ");
    parts.push(Prisma.sql`((search_indexed AND ${all}) OR (NOT search_indexed AND ${all}))`);
  }
  return Prisma.sql`AND ${Prisma.join(parts, " AND ")}`;
}

/** Terms a trigram index serves (path, header, body text). */
const servedByTrigrams = (t: TSearchTerm) => t.kind === "path" || t.kind === "header" || t.kind === "text";
