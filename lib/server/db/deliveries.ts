// Delivery data functions: one row per outgoing send of a capture (resend, forward attempt, CLI
// forward), listed newest first on the capture. Request bodies identical to the capture's are
// not copied (requestBody null); response bodies are stored up to the delivery cap.
import "server-only";
import type { TDelivery, TDeliveryKind, TDeliveryOutcome } from "@/lib/shared/validation/deliveries";
import { getPool, getPrisma } from "./client";
import type { Delivery, Prisma } from "./generated/client";
import { uuidv7 } from "./keys";

export interface NewDelivery {
  captureId: string;
  ruleId: string | null;
  kind: TDeliveryKind;
  attempt: number;
  outcome: TDeliveryOutcome;
  method: string;
  url: string;
  requestHeaders: [string, string][];
  requestBody: Buffer | null;
  requestBodySize: number;
  resignedScheme: string | null;
  responseStatus?: number | null;
  responseStatusText?: string | null;
  responseHeaders?: [string, string][] | null;
  responseBody?: Buffer | null;
  responseBodySize?: number | null;
  responseTruncated?: boolean;
  redirects?: { url: string; status: number }[];
  remoteAddress?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
  durationMs: number;
  firstByteMs?: number | null;
  /** The forward worker that sent it (host:pid). */
  sentBy?: string | null;
}

type Tx = Pick<Prisma.TransactionClient, "delivery">;

export function toCreateDeliveryData(d: NewDelivery): Prisma.DeliveryUncheckedCreateInput {
  return {
    id: uuidv7(),
    captureId: d.captureId,
    ruleId: d.ruleId,
    kind: d.kind,
    attempt: d.attempt,
    final: d.outcome !== "retrying",
    outcome: d.outcome,
    method: d.method,
    url: d.url,
    requestHeaders: d.requestHeaders,
    requestBody: d.requestBody === null ? null : new Uint8Array(d.requestBody),
    requestBodySize: d.requestBodySize,
    resignedScheme: d.resignedScheme,
    responseStatus: d.responseStatus ?? null,
    responseStatusText: d.responseStatusText ?? null,
    responseHeaders: d.responseHeaders ?? undefined,
    responseBody: d.responseBody ? new Uint8Array(d.responseBody) : null,
    responseBodySize: d.responseBodySize ?? null,
    responseTruncated: d.responseTruncated ?? false,
    redirects: d.redirects ?? [],
    remoteAddress: d.remoteAddress ?? null,
    errorCode: d.errorCode ?? null,
    errorMessage: d.errorMessage ?? null,
    durationMs: d.durationMs,
    firstByteMs: d.firstByteMs ?? null,
    sentBy: d.sentBy ?? null,
  };
}

/** Stores one delivery (in `tx` when given) and returns it as the API shows it. */
export async function insertDelivery(d: NewDelivery, tx: Tx = getPrisma()): Promise<TDelivery> {
  const row = await tx.delivery.create({ data: toCreateDeliveryData(d) });
  return toDeliveryDto(row);
}

/**
 * Records a forward attempt and settles its outbox row in one statement (one round trip, one
 * implicit transaction): the worker's per-delivery cost is mostly this write, so it skips
 * Prisma's transaction machinery. The row changes only while the worker still holds its lease
 * (leased_by and attempts match); the delivery is recorded either way, because it happened.
 */
const SETTLE_FORWARD = {
  name: "hookscope_settle_forward",
  text: `WITH d AS (
      INSERT INTO deliveries (id, capture_id, rule_id, kind, attempt, final, outcome, method, url, request_headers, request_body,
                              request_body_size, resigned_scheme, response_status, response_status_text, response_headers,
                              response_body, response_body_size, response_truncated, redirects, remote_address, error_code,
                              error_message, duration_ms, first_byte_ms, sent_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11, $12, $13, $14, $15, $16::jsonb, $17, $18, $19, $20::jsonb, $21, $22,
              $23, $24, $25, $26)
    )
    UPDATE forward_outbox
       SET state = $29, next_attempt_at = coalesce($30::timestamptz, next_attempt_at), lease_until = NULL, leased_by = NULL,
           last_error = $31, updated_at = now()
     WHERE id = $27::bigint AND leased_by = $26 AND attempts = $28 AND state = 'pending'`,
};

export interface OutboxSettlement {
  outboxId: string;
  attempts: number;
  state: "pending" | "delivered" | "failed";
  /** For a retry: when it is due. */
  nextAttemptAt: Date | null;
  lastError: string | null;
}

export async function settleForwardAttempt(d: NewDelivery & { sentBy: string }, o: OutboxSettlement): Promise<void> {
  await getPool().query({
    ...SETTLE_FORWARD,
    values: [
      uuidv7(),
      d.captureId,
      d.ruleId,
      d.kind,
      d.attempt,
      d.outcome !== "retrying",
      d.outcome,
      d.method,
      d.url,
      JSON.stringify(d.requestHeaders),
      d.requestBody,
      d.requestBodySize,
      d.resignedScheme,
      d.responseStatus ?? null,
      d.responseStatusText ?? null,
      d.responseHeaders ? JSON.stringify(d.responseHeaders) : null,
      d.responseBody ?? null,
      d.responseBodySize ?? null,
      d.responseTruncated ?? false,
      JSON.stringify(d.redirects ?? []),
      d.remoteAddress ?? null,
      d.errorCode ?? null,
      d.errorMessage ?? null,
      d.durationMs,
      d.firstByteMs ?? null,
      d.sentBy,
      o.outboxId,
      o.attempts,
      o.state,
      o.nextAttemptAt,
      o.lastError,
    ],
  });
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

function pairs(v: unknown): [string, string][] {
  return Array.isArray(v) ? (v as [string, string][]) : [];
}

export function toDeliveryDto(r: Delivery): TDelivery {
  const reqBody = r.requestBody ? Buffer.from(r.requestBody) : null;
  const resBody = r.responseBody ? Buffer.from(r.responseBody) : Buffer.alloc(0);
  return {
    id: r.id,
    captureId: r.captureId,
    ruleId: r.ruleId,
    kind: r.kind as TDeliveryKind,
    attempt: r.attempt,
    outcome: r.outcome as TDeliveryOutcome,
    request: {
      method: r.method,
      url: r.url,
      headers: pairs(r.requestHeaders),
      body: {
        size: r.requestBodySize,
        base64: reqBody ? reqBody.toString("base64") : null,
        text: reqBody ? decode(reqBody) : null,
        sameAsCapture: reqBody === null,
        truncated: false,
      },
      resignedScheme: r.resignedScheme,
    },
    response:
      r.responseStatus === null
        ? null
        : {
            status: r.responseStatus,
            statusText: r.responseStatusText ?? "",
            headers: pairs(r.responseHeaders),
            body: {
              size: r.responseBodySize ?? resBody.length,
              base64: resBody.toString("base64"),
              text: decode(resBody),
              sameAsCapture: false,
              truncated: r.responseTruncated,
            },
            remoteAddress: r.remoteAddress,
          },
    redirects: Array.isArray(r.redirects) ? (r.redirects as { url: string; status: number }[]) : [],
    error: r.errorCode ? { code: r.errorCode, message: r.errorMessage ?? "" } : null,
    durationMs: r.durationMs,
    firstByteMs: r.firstByteMs,
    createdAt: r.createdAt.toISOString(),
  };
}

/** A capture's deliveries, newest first; `cursor` is the id of the last one on the previous page. */
export async function findDeliveriesByCaptureId(
  captureId: string,
  opts: { cursor?: string; limit: number },
): Promise<{ items: TDelivery[]; nextCursor: string | null }> {
  let where: Prisma.DeliveryWhereInput = { captureId };
  if (opts.cursor) {
    const at = await getPrisma().delivery.findFirst({ where: { id: opts.cursor, captureId }, select: { createdAt: true } });
    if (at) where = { captureId, OR: [{ createdAt: { lt: at.createdAt } }, { createdAt: at.createdAt, id: { lt: opts.cursor } }] };
  }
  const rows = await getPrisma().delivery.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
  });
  const more = rows.length > opts.limit;
  const page = rows.slice(0, opts.limit);
  return { items: page.map(toDeliveryDto), nextCursor: more ? page[page.length - 1]!.id : null };
}
