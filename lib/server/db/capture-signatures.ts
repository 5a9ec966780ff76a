// Stored signature verdicts and the capture data verification needs (exact headers and body
// bytes, arrival time). Verdicts are written with the endpoint's signing_rev and count only while
// it is unchanged; an upsert never replaces a verdict of a newer rev with an older one.
import "server-only";
import { ZSignatureScheme, ZSignatureStatus, type TSignatureSummary, type TSignatureVerdict } from "@/lib/shared/validation/signatures";
import type { THeaderList } from "@/lib/shared/validation/captures";
import type { CaptureRow } from "./capture-row";
import { getPrisma } from "./client";

export interface CaptureForVerification {
  id: string;
  endpointId: string;
  slug: string;
  /** Its chosen capture URL name, if any: a provider may have signed /h/<alias>. */
  alias: string | null;
  method: string;
  path: string;
  query: string | null;
  headers: THeaderList;
  /** Null when not loaded (headers-only read, or over the size allowed for this read). */
  body: Buffer | null;
  bodySize: number;
  oversize: boolean;
  /** Seconds since 1970, with microseconds. */
  receivedAt: number;
}

type Row = Pick<CaptureRow, "id" | "endpoint_id" | "method" | "path" | "query" | "headers" | "body_size" | "oversize"> & {
  slug: string;
  alias: string | null;
  body: Uint8Array | null;
  received_epoch: number;
};

function toCapture(r: Row): CaptureForVerification {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    slug: r.slug,
    alias: r.alias,
    method: r.method,
    path: r.path,
    query: r.query,
    headers: r.headers,
    body: r.body === null ? null : Buffer.from(r.body),
    bodySize: r.body_size,
    oversize: r.oversize,
    receivedAt: Number(r.received_epoch),
  };
}

export async function getCaptureForVerification(id: string): Promise<CaptureForVerification | null> {
  const rows = await getPrisma().$queryRaw<Row[]>`
    SELECT c.id::text, c.endpoint_id::text, e.slug, e.alias, c.method, c.path, c.query, c.headers, c.body, c.body_size, c.oversize,
           extract(epoch FROM c.received_at)::float8 AS received_epoch
      FROM captures c JOIN endpoints e ON e.id = c.endpoint_id
     WHERE c.id = ${id}::uuid`;
  return rows[0] ? toCapture(rows[0]) : null;
}

/**
 * Captures of one endpoint for verification; `withBodies` false reads headers only. Bodies are
 * read only for rows no bigger than `maxBodyBytes` (the rest come back with body null).
 */
export async function findCapturesForVerification(
  endpointId: string,
  ids: string[],
  opts: { withBodies: boolean; maxBodyBytes: number },
): Promise<CaptureForVerification[]> {
  if (ids.length === 0) return [];
  const max = opts.withBodies ? opts.maxBodyBytes : -1;
  const rows = await getPrisma().$queryRaw<Row[]>`
    SELECT c.id::text, c.endpoint_id::text, e.slug, e.alias, c.method, c.path, c.query, c.headers,
           CASE WHEN c.body_size <= ${max}::bigint THEN c.body END AS body, c.body_size, c.oversize,
           extract(epoch FROM c.received_at)::float8 AS received_epoch
      FROM captures c JOIN endpoints e ON e.id = c.endpoint_id
     WHERE c.endpoint_id = ${endpointId}::uuid AND c.id = ANY(${ids}::uuid[])`;
  return rows.map(toCapture);
}

/** Sizes of an endpoint's captures, to plan which bodies a read can afford. */
export async function findCaptureSizes(endpointId: string, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await getPrisma().$queryRaw<{ id: string; body_size: number }[]>`
    SELECT id::text, body_size FROM captures WHERE endpoint_id = ${endpointId}::uuid AND id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.body_size]));
}

interface SummaryRow {
  capture_id: string;
  status: string;
  scheme: string | null;
  secret_label: string | null;
}

/**
 * Stored summaries of the endpoint's captures computed at `rev` (older ones are stale and left out).
 * Ids of other endpoints' captures are left out too: a capture id is no secret (every capture
 * answer names it), and revs are small numbers any endpoint reaches.
 */
export async function findStoredSignatureSummaries(
  endpointId: string,
  ids: string[],
  rev: number,
): Promise<Map<string, TSignatureSummary>> {
  const out = new Map<string, TSignatureSummary>();
  if (ids.length === 0) return out;
  const rows = await getPrisma().$queryRaw<SummaryRow[]>`
    SELECT s.capture_id::text, s.status, s.scheme, s.secret_label
      FROM capture_signatures s JOIN captures c ON c.id = s.capture_id
     WHERE s.capture_id = ANY(${ids}::uuid[]) AND s.signing_rev = ${rev} AND c.endpoint_id = ${endpointId}::uuid`;
  for (const r of rows) {
    const status = ZSignatureStatus.safeParse(r.status);
    if (!status.success) continue;
    out.set(r.capture_id, { status: status.data, scheme: ZSignatureScheme.safeParse(r.scheme).data ?? null, secretLabel: r.secret_label });
  }
  return out;
}

/** Stores verdicts (one statement); a row already holding a newer rev is kept. */
export async function upsertCaptureSignatures(items: { captureId: string; rev: number; verdict: TSignatureVerdict }[]): Promise<void> {
  if (items.length === 0) return;
  const ids = items.map((i) => i.captureId);
  const revs = items.map((i) => i.rev);
  const statuses = items.map((i) => i.verdict.status);
  const schemes = items.map((i) => i.verdict.scheme);
  const labels = items.map((i) => i.verdict.secretLabel);
  const verdicts = items.map((i) => JSON.stringify(i.verdict));
  // Captures deleted meanwhile are skipped by the join instead of failing the foreign key.
  await getPrisma().$executeRaw`
    INSERT INTO capture_signatures (capture_id, signing_rev, status, scheme, secret_label, verdict, computed_at)
    SELECT v.capture_id, v.rev, v.status, v.scheme, v.label, v.verdict::jsonb, now()
      FROM unnest(${ids}::uuid[], ${revs}::int[], ${statuses}::text[], ${schemes}::text[], ${labels}::text[], ${verdicts}::text[])
           AS v(capture_id, rev, status, scheme, label, verdict)
      JOIN captures c ON c.id = v.capture_id
    ON CONFLICT (capture_id) DO UPDATE
       SET signing_rev = EXCLUDED.signing_rev, status = EXCLUDED.status, scheme = EXCLUDED.scheme,
           secret_label = EXCLUDED.secret_label, verdict = EXCLUDED.verdict, computed_at = EXCLUDED.computed_at
     WHERE capture_signatures.signing_rev <= EXCLUDED.signing_rev`;
}
