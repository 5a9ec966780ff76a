// Capture reads and deletes: lists and single captures in raw SQL (rows as capture-row.ts
// declares them), the rest through Prisma. The write is capture-insert.ts.
import "server-only";
import { AppError } from "@/lib/shared/errors/app-error";
import { BODY_PREVIEW_BYTES, makeBodyPreview } from "@/lib/shared/format/body-preview";
import type { TSearchTerm } from "@/lib/shared/search/query";
import {
  MAX_EVENT_DELIVERIES,
  type TCapture,
  type TCaptureSummary,
  type TDriftChangeDto,
  type TEventDelivery,
  type THeaderList,
  ZDriftChange,
} from "@/lib/shared/validation/captures";
import {
  ANSWER_COLUMNS,
  ANSWER_JOIN,
  sentResponse,
  SUMMARY_COLUMNS,
  DELIVERY_JOIN,
  toSummary,
  type AnswerRow,
  type CaptureRow,
  type SummaryRow,
  RECEIVED_AT,
} from "./capture-row";
import { captureFilterSql } from "./capture-search";
import { getPool, getPrisma } from "./client";

/**
 * Newest first, `limit` summaries with seq below `beforeSeq` (the cursor) matching every search
 * term and, with `exactPath`, on exactly that path ("compare with previous").
 */
export async function findCaptureSummaries(
  endpointId: string,
  opts: { beforeSeq?: number; afterSeq?: number; limit: number; filter?: readonly TSearchTerm[]; exactPath?: string },
): Promise<TCaptureSummary[]> {
  const before = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
  const after = opts.afterSeq ?? 0;
  const path = opts.exactPath ?? null;
  const rows = await getPrisma().$queryRaw<SummaryRow[]>`
    SELECT ${SUMMARY_COLUMNS}
      FROM captures c ${DELIVERY_JOIN}
     WHERE endpoint_id = ${endpointId}::uuid AND seq < ${before} AND seq > ${after} ${captureFilterSql(opts.filter ?? [])}
       AND (${path}::text IS NULL OR path = ${path}::text)
     ORDER BY seq DESC
     LIMIT ${opts.limit}`;
  return rows.map(toSummary);
}

/** Oldest first, summaries with seq above `afterSeq`: what a reconnecting live client missed. */
export async function findCaptureSummariesAfter(endpointId: string, afterSeq: number, limit: number): Promise<TCaptureSummary[]> {
  const rows = await getPrisma().$queryRaw<SummaryRow[]>`
    SELECT ${SUMMARY_COLUMNS}
      FROM captures c ${DELIVERY_JOIN}
     WHERE endpoint_id = ${endpointId}::uuid AND seq > ${afterSeq}
     ORDER BY seq ASC
     LIMIT ${limit}`;
  return rows.map(toSummary);
}

/** The drift of those of `seqs` (an endpoint's captures) that have any, for the live stream's drift frames. */
export async function findCaptureDrift(
  endpointId: string,
  seqs: readonly number[],
): Promise<{ id: string; seq: number; drift: TDriftChangeDto[] }[]> {
  const rows = await getPrisma().$queryRaw<{ id: string; seq: bigint; drift: unknown }[]>`
    SELECT id::text, seq, drift FROM captures
     WHERE endpoint_id = ${endpointId}::uuid AND seq = ANY(${seqs.map(String)}::bigint[]) AND drift IS NOT NULL
     ORDER BY seq`;
  return rows.map((r) => ({ id: r.id, seq: Number(r.seq), drift: ZDriftChange.array().parse(r.drift) }));
}

/** Which endpoint a capture belongs to (for access checks), or null. */
export async function getCaptureEndpointId(id: string): Promise<string | null> {
  const row = await getPrisma().capture.findUnique({ where: { id }, select: { endpointId: true } });
  return row?.endpointId ?? null;
}

/**
 * One capture for the detail API: everything but the body, which comes as a preview of its first
 * BODY_PREVIEW_BYTES (only those are read from the table) with its size and the URL of the exact
 * bytes. With `deliveries`, also every stored delivery of its event key (the newest
 * MAX_EVENT_DELIVERIES, oldest first): ids of other captures, so not for one-capture share links.
 * `answerHeaders` changes the request headers the answer it was sent is rebuilt over (a share
 * link that hides secrets: a rule's template that echoed a header must not show it).
 */
export async function getCaptureById(
  id: string,
  opts: { deliveries?: boolean; answerHeaders?: (headers: THeaderList) => THeaderList } = {},
): Promise<TCapture | null> {
  const rows = await getPrisma().$queryRaw<
    (CaptureRow & AnswerRow & Pick<SummaryRow, "delivery_number" | "first_delivery_at"> & { content_encoding: null; stored_size: number })[]
  >`
    SELECT c.id::text, c.endpoint_id::text, c.seq, c.method, c.path, c.query, c.headers, c.trailers,
           substring(c.body FROM 1 FOR ${BODY_PREVIEW_BYTES}::int) AS body, octet_length(c.body) AS stored_size, c.body_size,
           c.declared_length, c.content_type, c.remote_address, c.http_version, c.duration_us, c.response_status,
           c.oversize, ${RECEIVED_AT}, ${ANSWER_COLUMNS}, c.event_type, c.event_source, NULL AS content_encoding,
           c.event_key, d.delivery_number, d.first_delivery_at, c.drift
      FROM captures c ${ANSWER_JOIN} ${DELIVERY_JOIN}
     WHERE c.id = ${id}::uuid`;
  const r = rows[0];
  if (!r) return null;
  const deliveries = opts.deliveries && r.event_key !== null ? await findEventDeliveries(r.endpoint_id, r.event_key) : undefined;
  const { truncated, ...body } = makeBodyPreview(r.body, r.stored_size);
  const encoding = r.headers
    .find(([n]) => n.toLowerCase() === "content-encoding")?.[1]
    .trim()
    .toLowerCase();
  return {
    ...toSummary(r),
    contentEncoding: encoding && encoding !== "identity" ? encoding : null,
    headers: r.headers,
    trailers: r.trailers,
    declaredLength: r.declared_length === null ? null : Number(r.declared_length),
    remoteAddress: r.remote_address,
    httpVersion: r.http_version,
    durationUs: r.duration_us,
    responseStatus: r.response_status,
    response: sentResponse(opts.answerHeaders ? { ...r, headers: opts.answerHeaders(r.headers) } : r, r),
    ...(deliveries ? { deliveries } : {}),
    body,
    bodySize: r.stored_size,
    bodyTruncated: truncated,
    bodyUrl: `/api/captures/${r.id}/body`,
  };
}

/** The stored deliveries of one event key (the newest MAX_EVENT_DELIVERIES), oldest first. */
export async function findEventDeliveries(endpointId: string, eventKey: string): Promise<TEventDelivery[]> {
  const rows = await getPrisma().$queryRaw<{ id: string; seq: bigint; received_at: string; response_status: number }[]>`
    SELECT * FROM (
      SELECT c.id::text, c.seq, ${RECEIVED_AT}, c.response_status
        FROM captures c
       WHERE c.endpoint_id = ${endpointId}::uuid AND c.event_key = ${eventKey}
       ORDER BY c.seq DESC
       LIMIT ${MAX_EVENT_DELIVERIES}
    ) newest ORDER BY seq`;
  return rows.map((r) => ({ id: r.id, seq: Number(r.seq), receivedAt: r.received_at, responseStatus: r.response_status }));
}

/** Bytes of a body read per query when it is sent out (lib/server/http/body-response.ts). */
export const BODY_CHUNK_BYTES = 1024 * 1024;

export interface CaptureBodyHead {
  id: string;
  /** The whole body's length. */
  size: number;
  /** Its first BODY_CHUNK_BYTES (all of it when smaller). */
  head: Buffer;
  contentType: string | null;
  seq: number;
  endpointId: string;
}

const BODY_HEAD = {
  name: "hookscope_capture_body_head",
  text: `SELECT octet_length(body) AS size, substring(body FROM 1 FOR $2) AS head, content_type, seq, endpoint_id::text AS endpoint_id
           FROM captures WHERE id = $1::uuid`,
};
const BODY_CHUNK = {
  name: "hookscope_capture_body_chunk",
  text: `SELECT substring(body FROM $2 FOR $3) AS chunk FROM captures WHERE id = $1::uuid`,
};

/**
 * A capture's body length and first chunk, without the rest: a body is sent out a chunk per query
 * (readCaptureBodyChunk) as the client reads it, so a 10 MiB download, or many slow ones, never
 * holds the whole body in the server.
 */
export async function getCaptureBodyHead(id: string): Promise<CaptureBodyHead | null> {
  const { rows } = await getPool().query<{ size: number; head: Buffer; content_type: string | null; seq: string; endpoint_id: string }>({
    ...BODY_HEAD,
    values: [id, BODY_CHUNK_BYTES],
  });
  const r = rows[0];
  return r ? { id, size: r.size, head: r.head, contentType: r.content_type, seq: Number(r.seq), endpointId: r.endpoint_id } : null;
}

/** Up to `length` bytes of a capture's body from byte `offset` (0-based); null when the capture is gone. */
export async function readCaptureBodyChunk(id: string, offset: number, length: number): Promise<Buffer | null> {
  const { rows } = await getPool().query<{ chunk: Buffer }>({ ...BODY_CHUNK, values: [id, offset + 1, length] });
  return rows[0]?.chunk ?? null;
}

/** Deletes one capture and keeps the endpoint's count right (the endpoint row lock orders it with inserts). */
export async function deleteCaptureById(id: string): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const found = await tx.capture.findUnique({ where: { id }, select: { endpointId: true } });
    if (!found) throw new AppError("NOT_FOUND", "No such capture.");
    await tx.$queryRaw`SELECT id FROM endpoints WHERE id = ${found.endpointId}::uuid FOR UPDATE`;
    const { count } = await tx.capture.deleteMany({ where: { id } });
    if (count) await tx.endpoint.update({ where: { id: found.endpointId }, data: { captureCount: { decrement: count } } });
  });
}

/** Removes every capture of an endpoint. Sequence numbers keep counting up. Returns how many. */
export async function deleteCapturesByEndpointId(endpointId: string): Promise<number> {
  return getPrisma().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM endpoints WHERE id = ${endpointId}::uuid FOR UPDATE`;
    const { count } = await tx.capture.deleteMany({ where: { endpointId } });
    await tx.endpoint.update({ where: { id: endpointId }, data: { captureCount: 0 } });
    return count;
  });
}

/** The id of the oldest capture with seq above `afterSeq` matching `filter`, or null: what a waiting client gets next. */
export async function findFirstCaptureIdAfter(
  endpointId: string,
  afterSeq: number,
  filter: readonly TSearchTerm[] = [],
): Promise<string | null> {
  const rows = await getPrisma().$queryRaw<{ id: string }[]>`
    SELECT id::text FROM captures
     WHERE endpoint_id = ${endpointId}::uuid AND seq > ${afterSeq} ${captureFilterSql(filter)}
     ORDER BY seq ASC
     LIMIT 1`;
  return rows[0]?.id ?? null;
}

/** What a send needs from a capture: method, path, query, headers and the exact body bytes. */
export interface CaptureForSend {
  id: string;
  endpointId: string;
  seq: number;
  method: string;
  path: string;
  query: string | null;
  headers: THeaderList;
  body: Buffer;
  oversize: boolean;
}

export async function getCaptureForSend(id: string): Promise<CaptureForSend | null> {
  const row = await getPrisma().capture.findUnique({
    where: { id },
    select: { id: true, endpointId: true, seq: true, method: true, path: true, query: true, headers: true, body: true, oversize: true },
  });
  if (!row) return null;
  return { ...row, seq: Number(row.seq), headers: row.headers as THeaderList, body: Buffer.from(row.body) };
}

/** One capture's summary (as lists carry it), or null. */
export async function getCaptureSummaryById(id: string): Promise<TCaptureSummary | null> {
  const rows = await getPrisma().$queryRaw<SummaryRow[]>`
    SELECT ${SUMMARY_COLUMNS} FROM captures c ${DELIVERY_JOIN} WHERE c.id = ${id}::uuid`;
  return rows[0] ? toSummary(rows[0]) : null;
}
