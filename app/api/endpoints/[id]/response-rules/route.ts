// GET    /api/endpoints/:id/response-rules - the endpoint's response rules, in order, and their revision
// PUT    /api/endpoints/:id/response-rules - replace the whole list (a new response revision)
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { putResponseRules, toResponseRulesDto } from "@/lib/server/db/response-rules";
import { ZPutResponseRulesRequest, ZResponseRulesDto } from "@/lib/shared/validation/response-rules";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  return json(ZResponseRulesDto.parse(toResponseRulesDto(endpoint)));
});

export const PUT = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const input = await parseJson(req, ZPutResponseRulesRequest);
  const updated = await putResponseRules(endpoint.id, input);
  return json(ZResponseRulesDto.parse(toResponseRulesDto(updated)));
});

export const { OPTIONS, POST, PATCH, DELETE } = otherMethods(["GET", "PUT"]);
