// Capture data functions. insertCaptureBatch is the group-commit write (plain SQL on the shared
// pool: one transaction, one multi-row INSERT, one NOTIFY); reads and deletes go through Prisma.
import "server-only";
import { AppError } from "@/lib/http/app-error";
import type { TCapture, TCaptureSummary, THeaderList } from "@/lib/validation/captures";
import { getPool, getPrisma } from "./client";

/** Channel carrying "endpoint X has captures up to seq N" once per committed batch. */
export const CAPTURE_CHANNEL = "hookscope_captures";

export interface NewCapture {
  id: string;
  endpointId: string;
  method: string;
  path: string;
  query: string | null;
  headers: THeaderList;
  body: Buffer;
  bodySize: number;
  declaredLength: number | null;
  contentType: string | null;
  remoteAddress: string;
  httpVersion: string;
  /** ISO 8601 with microseconds. */
  receivedAt: string;
  durationUs: number;
  responseStatus: number;
  oversize: boolean;
}

/** seq per capture id for rows written; ids whose endpoint vanished are absent. */
export type InsertResult = Map<string, number>;

const COLUMNS = [
  "id",
  "endpoint_id",
  "seq",
  "method",
  "path",
  "query",
  "headers",
  "body",
  "body_size",
  "declared_length",
  "content_type",
  "remote_address",
  "http_version",
  "received_at",
  "duration_us",
  "response_status",
  "oversize",
] as const;
const CASTS = [
  "::uuid",
  "::uuid",
  "::bigint",
  "",
  "",
  "",
  "::jsonb",
  "::bytea",
  "::int",
  "::bigint",
  "",
  "",
  "",
  "::timestamptz",
  "::int",
  "::int",
  "::boolean",
];

/** Most NOTIFY payload bytes Postgres takes is 8000; stay well under. */
const NOTIFY_PAYLOAD_MAX = 7000;

/**
 * Writes captures in one transaction: locks their endpoints in id order (so concurrent batches
 * and replicas cannot deadlock), hands out per-endpoint sequence numbers, inserts every row with
 * one statement and notifies listeners once. Returns when committed.
 */
export async function insertCaptureBatch(rows: NewCapture[]): Promise<InsertResult> {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.endpointId, (counts.get(r.endpointId) ?? 0) + 1);
  const endpointIds = [...counts.keys()].sort();

  const client = await getPool().connect();
  let broken = false;
  // The pool stops listening for "error" on a client while it is checked out. When the database
  // drops the connection mid-transaction, pg rejects the query and also emits "error"; unheard,
  // that is an uncaught exception in the server process.
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const { rows: seqRows } = await client.query<{ id: string; capture_seq: number }>(
      `WITH locked AS (
         SELECT id FROM endpoints WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE
       ), n AS (
         SELECT unnest($1::uuid[]) AS id, unnest($2::int[]) AS n
       )
       UPDATE endpoints e
          SET capture_seq = e.capture_seq + n.n,
              capture_count = e.capture_count + n.n,
              last_capture_at = now()
         FROM n, locked
        WHERE e.id = n.id AND locked.id = e.id
       RETURNING e.id, e.capture_seq`,
      [endpointIds, endpointIds.map((id) => counts.get(id)!)],
    );
    const next = new Map<string, number>();
    for (const s of seqRows) next.set(s.id, s.capture_seq - counts.get(s.id)! + 1);

    const result: InsertResult = new Map();
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const r of rows) {
      const seq = next.get(r.endpointId);
      if (seq === undefined) continue; // endpoint deleted since lookup
      next.set(r.endpointId, seq + 1);
      result.set(r.id, seq);
      const values = [
        r.id,
        r.endpointId,
        seq,
        r.method,
        r.path,
        r.query,
        JSON.stringify(r.headers),
        r.body,
        r.bodySize,
        r.declaredLength,
        r.contentType,
        r.remoteAddress,
        r.httpVersion,
        r.receivedAt,
        r.durationUs,
        r.responseStatus,
        r.oversize,
      ];
      const base = params.length;
      params.push(...values);
      tuples.push(`(${values.map((_, i) => `$${base + i + 1}${CASTS[i]}`).join(",")})`);
    }
    if (tuples.length > 0) {
      await client.query(`INSERT INTO captures (${COLUMNS.join(",")}) VALUES ${tuples.join(",")}`, params);
      for (const payload of notifyPayloads(seqRows)) {
        await client.query("SELECT pg_notify($1, $2)", [CAPTURE_CHANNEL, payload]);
      }
    }
    await client.query("COMMIT");
    return result;
  } catch (e) {
    broken = true;
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    // A broken client is destroyed on release and may still emit "error": keep it heard.
    if (!broken) client.off("error", onError);
    client.release(broken);
  }
}

/** `{"e":[[endpointId, lastSeq], …]}`, split so no payload passes NOTIFY's size limit. */
function notifyPayloads(seqRows: { id: string; capture_seq: number }[]): string[] {
  const out: string[] = [];
  let batch: [string, number][] = [];
  let size = 0;
  for (const s of seqRows) {
    const entry: [string, number] = [s.id, s.capture_seq];
    const add = JSON.stringify(entry).length + 1;
    if (size + add > NOTIFY_PAYLOAD_MAX && batch.length) {
      out.push(JSON.stringify({ e: batch }));
      batch = [];
      size = 0;
    }
    batch.push(entry);
    size += add;
  }
  if (batch.length) out.push(JSON.stringify({ e: batch }));
  return out;
}

// --- reads ------------------------------------------------------------------------------

interface SummaryRow {
  id: string;
  endpoint_id: string;
  seq: bigint | number;
  method: string;
  path: string;
  query: string | null;
  body_size: number;
  content_type: string | null;
  received_at: string;
  oversize: boolean;
}

interface FullRow extends SummaryRow {
  headers: THeaderList;
  body: Uint8Array;
  declared_length: bigint | number | null;
  remote_address: string;
  http_version: string;
  duration_us: number;
  response_status: number;
}

function toSummary(r: SummaryRow): TCaptureSummary {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    seq: Number(r.seq),
    method: r.method,
    path: r.path,
    query: r.query,
    size: r.body_size,
    contentType: r.content_type,
    receivedAt: r.received_at,
    oversize: r.oversize,
  };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

// received_at is formatted in SQL: a JS Date would drop its microseconds.

/** Newest first, `limit` summaries with seq below `beforeSeq` (the cursor). */
export async function findCaptureSummaries(
  endpointId: string,
  opts: { beforeSeq?: number; afterSeq?: number; limit: number },
): Promise<TCaptureSummary[]> {
  const before = opts.beforeSeq ?? Number.MAX_SAFE_INTEGER;
  const after = opts.afterSeq ?? 0;
  const rows = await getPrisma().$queryRaw<SummaryRow[]>`
    SELECT id::text, endpoint_id::text, seq, method, path, query, body_size, content_type, oversize,
           to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at
      FROM captures
     WHERE endpoint_id = ${endpointId}::uuid AND seq < ${before} AND seq > ${after}
     ORDER BY seq DESC
     LIMIT ${opts.limit}`;
  return rows.map(toSummary);
}

/** Oldest first, summaries with seq above `afterSeq`: what a reconnecting live client missed. */
export async function findCaptureSummariesAfter(endpointId: string, afterSeq: number, limit: number): Promise<TCaptureSummary[]> {
  const rows = await getPrisma().$queryRaw<SummaryRow[]>`
    SELECT id::text, endpoint_id::text, seq, method, path, query, body_size, content_type, oversize,
           to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at
      FROM captures
     WHERE endpoint_id = ${endpointId}::uuid AND seq > ${afterSeq}
     ORDER BY seq ASC
     LIMIT ${limit}`;
  return rows.map(toSummary);
}

/** Which endpoint a capture belongs to (for access checks), or null. */
export async function getCaptureEndpointId(id: string): Promise<string | null> {
  const row = await getPrisma().capture.findUnique({ where: { id }, select: { endpointId: true } });
  return row?.endpointId ?? null;
}

export async function getCaptureById(id: string): Promise<TCapture | null> {
  const rows = await getPrisma().$queryRaw<FullRow[]>`
    SELECT id::text, endpoint_id::text, seq, method, path, query, headers, body, body_size, declared_length,
           content_type, remote_address, http_version, duration_us, response_status, oversize,
           to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at
      FROM captures WHERE id = ${id}::uuid`;
  const r = rows[0];
  if (!r) return null;
  const body = Buffer.from(r.body);
  return {
    ...toSummary(r),
    headers: r.headers,
    declaredLength: r.declared_length === null ? null : Number(r.declared_length),
    remoteAddress: r.remote_address,
    httpVersion: r.http_version,
    durationUs: r.duration_us,
    responseStatus: r.response_status,
    body: { base64: body.toString("base64"), text: decodeUtf8(body) },
  };
}

export async function getCaptureBodyById(id: string): Promise<{ body: Buffer; contentType: string | null; seq: number } | null> {
  const row = await getPrisma().capture.findUnique({ where: { id }, select: { body: true, contentType: true, seq: true } });
  return row ? { body: Buffer.from(row.body), contentType: row.contentType, seq: Number(row.seq) } : null;
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
