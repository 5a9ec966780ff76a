// POST /api/endpoints/:id/forward-rules/:ruleId/retry-failed - queue every capture the rule gave up on again
import { retryFailedForwards } from "@/lib/server/db/forward-rules";
import { requireForwardRuleAccess } from "@/lib/server/http/forward-rule-access";
import { handle, json } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { ZRetryFailedResult } from "@/lib/shared/validation/forward-rules";

interface Ctx {
  params: Promise<{ id: string; ruleId: string }>;
}

export const POST = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, ruleId } = await requireForwardRuleAccess(req, ctx.params);
  return json(ZRetryFailedResult.parse(await retryFailedForwards(endpointId, ruleId)));
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
