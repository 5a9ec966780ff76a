// Bulk reads for export: every capture of an endpoint (or the filtered set), oldest first, in
// pages bounded by row count and by body bytes, so 100,000 captures of any size stream in flat
// memory. Filters are the list API's search terms, as SQL from capture-search.ts.
// Pages are read through the pg pool, not Prisma's $queryRaw: Prisma hands bytea back as base64
// text and decodes it again into a copy, three allocations per body that the garbage collector
// lets pile up (bench:export, 100,000 captures: see docs/benchmarks.md).
import "server-only";
import type { TSearchTerm } from "@/lib/shared/search/query";
import type { TCapture } from "@/lib/shared/validation/captures";
import { captureFilterSql } from "./capture-search";
import { ANSWER_COLUMNS, ANSWER_JOIN, RECEIVED_AT, sentResponse, type AnswerRow, type CaptureRow } from "./capture-row";
import { Prisma } from "./generated/client";
import { getPool } from "./client";

/** One exported capture: the API's capture without its endpoint id, with the body's bytes. */
export type ExportRow = Omit<TCapture, "endpointId" | "body" | "bodySize" | "bodyTruncated" | "bodyUrl" | "signature"> & {
  body: Buffer;
};

/** Most rows in one page. */
export const EXPORT_PAGE_ROWS = 500;
/** Body bytes one page may hold past its first row (a single bigger body still makes its own page). */
export const EXPORT_PAGE_BYTES = 8 * 1024 * 1024;

/** What a page reads of each capture. */
type PageRow = Omit<CaptureRow, "endpoint_id" | "body"> & { body: Buffer };

function toExportRow(r: PageRow & AnswerRow): ExportRow {
  return {
    id: r.id,
    seq: Number(r.seq),
    method: r.method,
    path: r.path,
    query: r.query,
    headers: r.headers,
    trailers: r.trailers,
    body: r.body,
    size: r.body_size,
    declaredLength: r.declared_length === null ? null : Number(r.declared_length),
    contentType: r.content_type,
    remoteAddress: r.remote_address,
    httpVersion: r.http_version,
    receivedAt: r.received_at,
    durationUs: r.duration_us,
    responseStatus: r.response_status,
    response: sentResponse(r, r),
    oversize: r.oversize,
  };
}

/**
 * One page: matching rows with seq in (afterSeq, upToSeq], oldest first, at most `rows`, stopping
 * before the body bytes pass `bytes` (the first row always comes: nothing is before it). The
 * running sum reads only body_size, so bodies of rows that do not make the page are never loaded.
 */
export async function findExportPage(
  endpointId: string,
  opts: { afterSeq: number; upToSeq: number; filter?: readonly TSearchTerm[]; rows?: number; bytes?: number },
): Promise<ExportRow[]> {
  const sql = Prisma.sql`
    WITH page AS (
      SELECT seq FROM (
        SELECT seq, sum(body_size) OVER (ORDER BY seq) - body_size AS before
          FROM captures
         WHERE endpoint_id = ${endpointId}::uuid AND seq > ${opts.afterSeq} AND seq <= ${opts.upToSeq}
               ${captureFilterSql(opts.filter ?? [])}
         ORDER BY seq
         LIMIT ${opts.rows ?? EXPORT_PAGE_ROWS}
      ) p WHERE before < ${opts.bytes ?? EXPORT_PAGE_BYTES}
    )
    SELECT c.id::text, c.seq, c.method, c.path, c.query, c.headers, c.trailers, c.body, c.body_size, c.declared_length, c.content_type,
           c.remote_address, c.http_version, c.duration_us, c.response_status, c.oversize,
           ${RECEIVED_AT}, ${ANSWER_COLUMNS}
      FROM captures c ${ANSWER_JOIN}
     WHERE c.endpoint_id = ${endpointId}::uuid AND c.seq IN (SELECT seq FROM page)
     ORDER BY c.seq`;
  const { rows } = await getPool().query<PageRow & AnswerRow>(sql.text, sql.values);
  return rows.map(toExportRow);
}

/**
 * Pages of every capture committed when the export started (seq up to the endpoint's counter
 * then), oldest first. Captures arriving during the export are left for the next one, so a
 * download has a definite end. The next page is read only when the consumer asks for it.
 */
export async function* exportCapturePages(
  endpointId: string,
  upToSeq: number,
  filter: readonly TSearchTerm[] = [],
): AsyncGenerator<ExportRow[]> {
  let after = 0;
  for (;;) {
    const page = await findExportPage(endpointId, { afterSeq: after, upToSeq, filter });
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.seq;
  }
}
