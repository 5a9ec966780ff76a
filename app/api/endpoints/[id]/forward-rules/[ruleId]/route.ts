// GET    /api/endpoints/:id/forward-rules/:ruleId - one forward rule with its outbox counts
// PATCH  /api/endpoints/:id/forward-rules/:ruleId - change target, filters, on/off, max attempts, redirects or re-signing
// DELETE /api/endpoints/:id/forward-rules/:ruleId - remove the rule and its queue (its deliveries stay, without the rule)
import { deleteForwardRule, getForwardRule, updateForwardRule } from "@/lib/server/db/forward-rules";
import { requireForwardRuleAccess } from "@/lib/server/http/forward-rule-access";
import { handle, json, noContent, parseJson } from "@/lib/server/http/respond";
import { ZForwardRule, ZUpdateForwardRuleRequest } from "@/lib/shared/validation/forward-rules";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string; ruleId: string }>;
}

export const GET = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, ruleId } = await requireForwardRuleAccess(req, ctx.params);
  return json(ZForwardRule.parse(await getForwardRule(endpointId, ruleId)));
});

export const PATCH = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, ruleId } = await requireForwardRuleAccess(req, ctx.params);
  const input = await parseJson(req, ZUpdateForwardRuleRequest);
  return json(ZForwardRule.parse(await updateForwardRule(endpointId, ruleId, input)));
});

export const DELETE = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, ruleId } = await requireForwardRuleAccess(req, ctx.params);
  await deleteForwardRule(endpointId, ruleId);
  return noContent();
});

export const { OPTIONS, POST, PUT } = otherMethods(["GET", "PATCH", "DELETE"]);
