// GET  /api/endpoints/:id/forward-rules - the endpoint's forward rules with outbox counts (re-sign secrets only as hints)
// POST /api/endpoints/:id/forward-rules - add a forward rule: every new matching capture is queued and delivered to its target
import { createForwardRule, listForwardRules } from "@/lib/server/db/forward-rules";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { ZCreateForwardRuleRequest, ZForwardRule, ZForwardRuleList } from "@/lib/shared/validation/forward-rules";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  return json(ZForwardRuleList.parse({ items: await listForwardRules(endpoint.id) }));
});

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const input = await parseJson(req, ZCreateForwardRuleRequest);
  return json(ZForwardRule.parse(await createForwardRule(endpoint.id, input)), { status: 201 });
});

export const { OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
