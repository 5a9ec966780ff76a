// A captures row as raw SQL reads it, and the pieces every such read shares: the arrival time as
// text, the summary lists carry, and the answer the capture was sent (its response revision).
import "server-only";
import type { TEventSource } from "@/lib/shared/events/event-type";
import { configuredAnswer, ruleAnswerFailed, storedRequest, type AppliedRule } from "@/lib/shared/capture/answer";
import { renderRuleOnce } from "@/lib/shared/capture/rules";
import { REPLAY_RENDER_MS, templateVars } from "@/lib/shared/capture/templates";
import { ZAppliedFailure, ZResponseRules } from "@/lib/shared/validation/response-rules";
import { ZDriftChange, type TCaptureSummary, type THeaderList, type TSentResponse } from "@/lib/shared/validation/captures";
import { ZResponseHeaders } from "@/lib/shared/validation/endpoints";
import { Prisma } from "./generated/client";

/** The columns of `captures` (ids cast to text, received_at as RECEIVED_AT formats it); reads Pick what they select. */
export interface CaptureRow {
  id: string;
  endpoint_id: string;
  seq: bigint | number;
  method: string;
  path: string;
  query: string | null;
  headers: THeaderList;
  trailers: THeaderList | null;
  body: Uint8Array;
  body_size: number;
  declared_length: bigint | number | null;
  content_type: string | null;
  remote_address: string;
  http_version: string;
  /** ISO 8601 with microseconds, UTC. */
  received_at: string;
  duration_us: number;
  response_status: number;
  oversize: boolean;
  event_type: string | null;
  event_source: string | null;
  event_key: string | null;
  /** TDriftChange[] from the schema worker, or null. */
  drift: unknown;
}

/**
 * `received_at` (of captures as `c`) as ISO 8601 text with microseconds: a JS Date would drop them.
 * Selects the column under its own name.
 */
export const RECEIVED_AT = Prisma.sql`to_char(c.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS received_at`;

/** What a list shows of a capture. */
export type SummaryRow = Pick<
  CaptureRow,
  | "id"
  | "endpoint_id"
  | "seq"
  | "method"
  | "path"
  | "query"
  | "body_size"
  | "content_type"
  | "received_at"
  | "oversize"
  | "event_type"
  | "event_source"
  | "event_key"
  | "drift"
> & {
  /** Content-Encoding of the request (lower-cased; identity left out), so a row can say the body is compressed. */
  content_encoding: string | null;
  /** Which delivery of its event key this is (1 = the first stored), null without a key. */
  delivery_number: bigint | number | null;
  /** received_at of the first stored delivery of the key (as RECEIVED_AT formats it), null without a key. */
  first_delivery_at: string | null;
};

/** The columns of SummaryRow, from captures as `c`. */
export const SUMMARY_COLUMNS = Prisma.sql`c.id::text, c.endpoint_id::text, c.seq, c.method, c.path, c.query, c.body_size,
  c.content_type, c.oversize, ${RECEIVED_AT}, c.event_type, c.event_source,
  (SELECT NULLIF(lower(btrim(h ->> 1)), 'identity') FROM jsonb_array_elements(c.headers) h
    WHERE lower(h ->> 0) = 'content-encoding' LIMIT 1) AS content_encoding,
  c.event_key, d.delivery_number, d.first_delivery_at, c.drift`;

/**
 * The delivery number and first delivery of each capture's event key, as `d`: join it after
 * `FROM captures c` wherever SUMMARY_COLUMNS is read. Derived at read time (nothing to keep in
 * step when captures are deleted) through the partial index (endpoint_id, event_key, seq): two
 * probes per row that has a key, none for rows without.
 */
export const DELIVERY_JOIN = Prisma.sql`LEFT JOIN LATERAL (
    SELECT (SELECT count(*) FROM captures k WHERE k.endpoint_id = c.endpoint_id AND k.event_key = c.event_key AND k.seq <= c.seq) AS delivery_number,
           (SELECT to_char(f.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM captures f
             WHERE f.endpoint_id = c.endpoint_id AND f.event_key = c.event_key ORDER BY f.seq LIMIT 1) AS first_delivery_at
     WHERE c.event_key IS NOT NULL
  ) d ON true`;

export function toSummary(r: SummaryRow): TCaptureSummary {
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
    eventType: r.event_type,
    eventSource: (r.event_source as TEventSource | null) ?? null,
    contentEncoding: r.content_encoding || null,
    eventKey: r.event_key,
    deliveryNumber: r.delivery_number === null ? null : Number(r.delivery_number),
    firstDeliveryAt: r.first_delivery_at,
    drift: Array.isArray(r.drift) && r.drift.length > 0 ? ZDriftChange.array().parse(r.drift) : null,
  };
}

/** The settings revision that answered a capture (LEFT JOIN endpoint_responses: all null when none is recorded). */
export interface AnswerRow {
  answer_status: number | null;
  answer_headers: unknown;
  answer_body: string | null;
  answer_content_type: string | null;
  answer_delay_ms: number | null;
  answer_handshakes: boolean | null;
  /** The revision's response rules, the id of the one that answered (captures.response_rule) and what its failure did. */
  answer_rules: unknown;
  answer_rule: string | null;
  answer_failure: unknown;
  /** captures.response_error: why the rule's answer was not sent (the endpoint's own went). */
  answer_error: string | null;
  /** captures.handshake_token: the HMAC a Zoom or X handshake was answered with. */
  answer_token: string | null;
}

/** The columns of AnswerRow, read through ANSWER_JOIN. */
export const ANSWER_COLUMNS = Prisma.sql`r.status AS answer_status, r.headers AS answer_headers, r.body AS answer_body,
  r.content_type AS answer_content_type, r.delay_ms AS answer_delay_ms, r.handshakes AS answer_handshakes,
  r.rules AS answer_rules, c.response_rule AS answer_rule, c.response_failure AS answer_failure,
  c.response_error AS answer_error, c.handshake_token AS answer_token`;

/** Joins each capture (as `c`) to the response revision that answered it (as `r`). */
export const ANSWER_JOIN = Prisma.sql`LEFT JOIN endpoint_responses r ON r.endpoint_id = c.endpoint_id AND r.rev = c.response_rev`;

/** The answer a capture was sent, rebuilt from its request and the revision that answered it (lib/shared/capture/answer.ts). */
export function sentResponse(
  capture: {
    id: string;
    seq: bigint | number;
    received_at: string;
    method: string;
    path: string;
    headers: THeaderList;
    query: string | null;
    body: Uint8Array | null;
  },
  r: AnswerRow,
): TSentResponse | null {
  if (r.answer_status === null || r.answer_delay_ms === null) return null;
  const settings = {
    status: r.answer_status,
    headers: ZResponseHeaders.safeParse(r.answer_headers).data ?? [],
    body: r.answer_body,
    contentType: r.answer_content_type,
    delayMs: r.answer_delay_ms,
    handshakes: r.answer_handshakes ?? true,
  };
  const applied = appliedRule(r);
  const request = storedRequest(capture.method, capture.headers, capture.query, capture.body, capture.path);
  // The rule's templates rendered again over the stored request: the same variables give the same text.
  let sent: AppliedRule | null = r.answer_error === null ? applied : null;
  let error = r.answer_error;
  if (sent && !ruleAnswerFailed(sent)) {
    const vars = templateVars(request, capture.id, Number(capture.seq), capture.received_at);
    const rendered = renderRuleOnce(sent.rule, vars, REPLAY_RENDER_MS);
    if (rendered.ok) sent = { ...sent, rule: rendered.rule };
    else [sent, error] = [null, `It rendered when sent, but not again here (${rendered.error}); shown without the rule's answer`];
  }
  const answer = configuredAnswer(request, settings, capture.id, sent, () => r.answer_token);
  return {
    status: answer.status,
    headers: answer.headers,
    body: answer.body?.toString("utf8") ?? null,
    delayMs: answer.delayMs,
    handshake: answer.handshake,
    rule: applied ? { id: applied.rule.id, name: applied.rule.name, index: applied.index } : null,
    failure: applied?.failure ?? null,
    closed: answer.close,
    error,
  };
}

/** The rule that answered, found by id in its revision (and its place in that revision's list). */
function appliedRule(r: AnswerRow): (AppliedRule & { index: number }) | null {
  if (r.answer_rule === null) return null;
  const rules = ZResponseRules.safeParse(r.answer_rules).data ?? [];
  const index = rules.findIndex((x) => x.id === r.answer_rule);
  if (index === -1) return null;
  return { rule: rules[index]!, index, failure: ZAppliedFailure.safeParse(r.answer_failure).data ?? null };
}
