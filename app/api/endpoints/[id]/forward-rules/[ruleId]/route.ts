// GET    /api/endpoints/:id/forward-rules/:ruleId - one forward rule with its outbox counts
// PATCH  /api/endpoints/:id/forward-rules/:ruleId - change target, filters, on/off, max attempts, redirects or re-signing
// DELETE /api/endpoints/:id/forward-rules/:ruleId - remove the rule and its queue (its deliveries stay, without the rule)
import { deleteForwardRule, getForwardRule, updateForwardRule } from "@/lib/server/db/forward-rules";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, noContent, parseJson } from "@/lib/server/http/respond";
import { ZForwardRule, ZUpdateForwardRuleRequest } from "@/lib/shared/validation/forward-rules";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string; ruleId: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function target(req: Request, ctx: Ctx): Promise<{ endpointId: string; ruleId: string }> {
  const { id, ruleId } = await ctx.params;
  const endpoint = await requireEndpointAccess(req, id);
  if (!UUID.test(ruleId)) throw new AppError("NOT_FOUND", "No such forward rule.");
  return { endpointId: endpoint.id, ruleId: ruleId.toLowerCase() };
}

export const GET = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, ruleId } = await target(req, ctx);
  return json(ZForwardRule.parse(await getForwardRule(endpointId, ruleId)));
});

export const PATCH = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, ruleId } = await target(req, ctx);
  const input = await parseJson(req, ZUpdateForwardRuleRequest);
  return json(ZForwardRule.parse(await updateForwardRule(endpointId, ruleId, input)));
});

export const DELETE = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, ruleId } = await target(req, ctx);
  await deleteForwardRule(endpointId, ruleId);
  return noContent();
});

export const { OPTIONS, POST, PUT } = otherMethods(["GET", "PATCH", "DELETE"]);
