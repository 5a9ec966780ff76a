// Forward rule data functions. A rule's re-sign secret is encrypted like signing secrets (bound
// to the rule's id) and decrypted only by the worker that signs with it; DTOs carry a hint.
// The capture write reads enabled rules itself (lib/server/db/captures.ts), in the same statement.
import "server-only";
import type { z } from "zod";
import { env } from "@/lib/server/env";
import { AppError } from "@/lib/shared/errors/app-error";
import { decryptSecret, encryptSecret, secretHint, SecretsKeyError } from "@/lib/server/secrets/secret-box";
import {
  MAX_FORWARD_RULES_PER_ENDPOINT,
  type TForwardRule,
  type ZCreateForwardRuleRequest,
  type ZUpdateForwardRuleRequest,
} from "@/lib/shared/validation/forward-rules";
import { ZSchemeOptions, ZSecretScheme, type TSchemeOptions, type TSecretScheme } from "@/lib/shared/validation/signatures";
import { getPool, getPrisma } from "./client";
import { FORWARD_CHANNEL } from "./capture-insert";
import type { ForwardRule, Prisma } from "./generated/client";
import { uuidv7 } from "./keys";

function aad(endpointId: string, ruleId: string): string {
  return `hookscope:forward-rule:${endpointId}:${ruleId}`;
}

const NOT_FOUND = () => new AppError("NOT_FOUND", "No such forward rule.");

type Counts = TForwardRule["counts"];

export function toForwardRuleDto(row: ForwardRule, counts: Counts = { pending: 0, delivered: 0, failed: 0 }): TForwardRule {
  return {
    id: row.id,
    endpointId: row.endpointId,
    targetUrl: row.targetUrl,
    method: row.method,
    pathPrefix: row.pathPrefix,
    enabled: row.enabled,
    maxAttempts: row.maxAttempts,
    effectiveMaxAttempts: row.maxAttempts ?? env().FORWARD_MAX_ATTEMPTS,
    followRedirects: row.followRedirects,
    resign:
      row.resignScheme && row.resignHint
        ? {
            scheme: ZSecretScheme.safeParse(row.resignScheme).data ?? "auto",
            hint: row.resignHint,
            options: ZSchemeOptions.safeParse(row.resignOptions ?? {}).data ?? {},
          }
        : null,
    counts,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function countsByRule(ruleIds: string[]): Promise<Map<string, Counts>> {
  const out = new Map<string, Counts>();
  if (ruleIds.length === 0) return out;
  const rows = await getPrisma().forwardOutbox.groupBy({
    by: ["ruleId", "state"],
    where: { ruleId: { in: ruleIds } },
    _count: { _all: true },
  });
  for (const r of rows) {
    const c = out.get(r.ruleId) ?? { pending: 0, delivered: 0, failed: 0 };
    if (r.state === "pending" || r.state === "delivered" || r.state === "failed") c[r.state] = r._count._all;
    out.set(r.ruleId, c);
  }
  return out;
}

export async function listForwardRules(endpointId: string): Promise<TForwardRule[]> {
  const rows = await getPrisma().forwardRule.findMany({ where: { endpointId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  const counts = await countsByRule(rows.map((r) => r.id));
  return rows.map((r) => toForwardRuleDto(r, counts.get(r.id)));
}

export async function getForwardRule(endpointId: string, ruleId: string): Promise<TForwardRule> {
  const row = await getPrisma().forwardRule.findFirst({ where: { id: ruleId, endpointId } });
  if (!row) throw NOT_FOUND();
  return toForwardRuleDto(row, (await countsByRule([row.id])).get(row.id));
}

type ResignInput = { scheme: TSecretScheme; secret: string; options?: TSchemeOptions } | null;

function resignColumns(endpointId: string, ruleId: string, resign: ResignInput) {
  if (!resign) return { resignScheme: null, resignOptions: undefined, resignSecretEnc: null, resignHint: null } as const;
  return {
    resignScheme: resign.scheme,
    resignOptions: (resign.options ?? {}) as Prisma.InputJsonValue,
    resignSecretEnc: encryptSecret(resign.secret, aad(endpointId, ruleId)),
    resignHint: secretHint(resign.secret),
  };
}

export async function createForwardRule(endpointId: string, input: z.output<typeof ZCreateForwardRuleRequest>): Promise<TForwardRule> {
  const id = uuidv7();
  const row = await getPrisma().$transaction(async (tx) => {
    // The endpoint row lock orders concurrent creates, so the limit holds.
    await tx.$queryRaw`SELECT id FROM endpoints WHERE id = ${endpointId}::uuid FOR UPDATE`;
    const count = await tx.forwardRule.count({ where: { endpointId } });
    if (count >= MAX_FORWARD_RULES_PER_ENDPOINT)
      throw new AppError("CONFLICT", `An endpoint holds at most ${MAX_FORWARD_RULES_PER_ENDPOINT} forward rules.`);
    return tx.forwardRule.create({
      data: {
        id,
        endpointId,
        targetUrl: input.targetUrl,
        method: input.method,
        pathPrefix: input.pathPrefix,
        enabled: input.enabled,
        maxAttempts: input.maxAttempts,
        followRedirects: input.followRedirects,
        ...resignColumns(endpointId, id, input.resign),
      },
    });
  });
  return toForwardRuleDto(row);
}

export async function updateForwardRule(
  endpointId: string,
  ruleId: string,
  input: z.output<typeof ZUpdateForwardRuleRequest>,
): Promise<TForwardRule> {
  const data: Prisma.ForwardRuleUpdateManyMutationInput = {
    targetUrl: input.targetUrl,
    method: input.method,
    pathPrefix: input.pathPrefix,
    enabled: input.enabled,
    maxAttempts: input.maxAttempts,
    followRedirects: input.followRedirects,
  };
  if (input.resign !== undefined) {
    const cols = resignColumns(endpointId, ruleId, input.resign);
    Object.assign(data, cols, cols.resignOptions === undefined ? { resignOptions: { set: null } } : {});
  }
  const { count } = await getPrisma().forwardRule.updateMany({ where: { id: ruleId, endpointId }, data });
  if (!count) throw NOT_FOUND();
  return getForwardRule(endpointId, ruleId);
}

export async function deleteForwardRule(endpointId: string, ruleId: string): Promise<void> {
  const { count } = await getPrisma().forwardRule.deleteMany({ where: { id: ruleId, endpointId } });
  if (!count) throw NOT_FOUND();
}

/**
 * Bulk retry: every capture this rule gave up on is queued again with a fresh round of attempts
 * (its failed deliveries stay in the history), and the workers are woken. A disabled rule's rows
 * wait, queued, until it is switched on. Returns how many were queued and whether the rule is on.
 */
export async function retryFailedForwards(endpointId: string, ruleId: string): Promise<{ requeued: number; enabled: boolean }> {
  const { rows } = await getPool().query<{ enabled: boolean; requeued: number }>({
    name: "hookscope_retry_failed_forwards",
    text: `WITH rule AS (SELECT id, enabled FROM forward_rules WHERE id = $1::uuid AND endpoint_id = $2::uuid),
           requeued AS (
             UPDATE forward_outbox o
                SET state = 'pending', attempts = 0, next_attempt_at = now(), lease_until = NULL, leased_by = NULL,
                    last_error = NULL, updated_at = now()
              WHERE o.rule_id = (SELECT id FROM rule) AND o.state = 'failed'
             RETURNING 1)
         SELECT rule.enabled, (SELECT count(*) FROM requeued)::int AS requeued,
                pg_notify($3, '') AS woke
           FROM rule`,
    values: [ruleId, endpointId, FORWARD_CHANNEL],
  });
  const row = rows[0];
  if (!row) throw NOT_FOUND();
  return { requeued: row.requeued, enabled: row.enabled };
}

/** A rule's re-sign secret in clear, for the worker; null when the rule does not re-sign. */
export function decryptRuleResign(rule: {
  id: string;
  endpointId: string;
  resignScheme: string | null;
  resignSecretEnc: string | null;
  resignOptions: unknown;
}): { scheme: TSecretScheme; secret: string; options: TSchemeOptions } | null {
  if (!rule.resignScheme || !rule.resignSecretEnc) return null;
  try {
    return {
      scheme: ZSecretScheme.safeParse(rule.resignScheme).data ?? "auto",
      secret: decryptSecret(rule.resignSecretEnc, aad(rule.endpointId, rule.id)),
      options: ZSchemeOptions.safeParse(rule.resignOptions ?? {}).data ?? {},
    };
  } catch (e) {
    if (e instanceof SecretsKeyError) throw new AppError("CONFLICT", `The rule's re-sign secret cannot be decrypted: ${e.message}`);
    throw e;
  }
}
