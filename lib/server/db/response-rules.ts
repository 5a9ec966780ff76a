// Response rules data functions: the endpoint's ordered list (part of its response settings, so
// replacing it makes a new response revision), and first-N delivery counts for failure on purpose.
import "server-only";
import { randomBytes } from "node:crypto";
import { ZResponseRules, type TPutResponseRules, type TResponseRule, type TResponseRulesDto } from "@/lib/shared/validation/response-rules";
import { getPool, getPrisma } from "./client";
import { invalidateCaptureEndpoint } from "./endpoints";
import type { Endpoint } from "./generated/client";

/** The rules an endpoint row holds (validated when written; a row that no longer parses has none). */
export function rulesOf(row: Pick<Endpoint, "responseRules">): TResponseRule[] {
  return ZResponseRules.safeParse(row.responseRules).data ?? [];
}

export function toResponseRulesDto(row: Endpoint): TResponseRulesDto {
  return { rules: rulesOf(row), responseRev: row.responseRev };
}

const newRuleId = () => `r_${randomBytes(6).toString("base64url")}`;

/**
 * Replaces an endpoint's rules: bumps responseRev and keeps the settings with the new rules as
 * that revision, in one transaction (like updateEndpoint), so captures keep naming what answered them.
 */
export async function putResponseRules(id: string, input: TPutResponseRules): Promise<Endpoint> {
  const rules: TResponseRule[] = input.rules.map((r) => ({ ...r, id: r.id ?? newRuleId() }));
  const row = await getPrisma().$transaction(async (tx) => {
    const updated = await tx.endpoint.update({ where: { id }, data: { responseRules: rules, responseRev: { increment: 1 } } });
    await tx.endpointResponse.create({
      data: {
        endpointId: id,
        rev: updated.responseRev,
        status: updated.responseStatus,
        headers: updated.responseHeaders ?? [],
        body: updated.responseBody,
        contentType: updated.responseContentType,
        delayMs: updated.responseDelayMs,
        handshakes: updated.responseHandshakes,
        rules,
      },
    });
    return updated;
  });
  invalidateCaptureEndpoint(row.slug, row.alias);
  return row;
}

const COUNT_DELIVERY = {
  name: "hookscope_count_rule_delivery",
  text: `INSERT INTO rule_deliveries (endpoint_id, rule_id, event_key, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (endpoint_id, rule_id, event_key) DO UPDATE SET count = rule_deliveries.count + 1
         RETURNING count`,
};

/**
 * Counts one delivery of an event to a rule and returns which it is (1 = first). One atomic
 * upsert: concurrent deliveries of one event on any replica each get their own number.
 */
export async function countRuleDelivery(endpointId: string, ruleId: string, eventKey: string): Promise<number> {
  const { rows } = await getPool().query<{ count: number }>({ ...COUNT_DELIVERY, values: [endpointId, ruleId, eventKey] });
  return rows[0]!.count;
}

/** A stored capture as the rule matcher reads it, by its number within the endpoint; null when there is none. */
export async function getCaptureRequestBySeq(
  endpointId: string,
  seq: number,
): Promise<{
  id: string;
  method: string;
  path: string;
  query: string | null;
  headers: [string, string][];
  body: Uint8Array;
  receivedAt: Date;
} | null> {
  const row = await getPrisma().capture.findUnique({
    where: { endpointId_seq: { endpointId, seq: BigInt(seq) } },
    select: { id: true, method: true, path: true, query: true, headers: true, body: true, receivedAt: true },
  });
  if (!row) return null;
  return { ...row, headers: row.headers as [string, string][] };
}

const RECORD_RULE_ERROR = {
  name: "hookscope_record_rule_error",
  text: `UPDATE captures SET response_status = $2, response_error = $3 WHERE id = $1`,
};

/**
 * Records on a stored capture that its rule's answer could not be rendered (a template error or
 * limit) and that the endpoint's own answer, with `status`, was sent instead.
 */
export async function recordRuleError(captureId: string, status: number, error: string): Promise<void> {
  await getPool().query({ ...RECORD_RULE_ERROR, values: [captureId, status, error] });
}

const RECORD_HANDSHAKE_TOKEN = {
  name: "hookscope_record_handshake_token",
  text: `UPDATE captures SET handshake_token = $2 WHERE id = $1`,
};

/** Keeps the HMAC a Zoom or X handshake was answered with, so the capture detail shows what was sent. */
export async function recordHandshakeToken(captureId: string, token: string): Promise<void> {
  await getPool().query({ ...RECORD_HANDSHAKE_TOKEN, values: [captureId, token] });
}
