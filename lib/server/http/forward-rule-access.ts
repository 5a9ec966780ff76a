// The endpoint and forward rule a /api/endpoints/:id/forward-rules/:ruleId… request names, after
// the endpoint's key was checked. A rule id that is not a UUID is simply not found.
import "server-only";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireEndpointAccess } from "./auth";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function requireForwardRuleAccess(
  req: Request,
  params: Promise<{ id: string; ruleId: string }>,
): Promise<{ endpointId: string; ruleId: string }> {
  const { id, ruleId } = await params;
  const endpoint = await requireEndpointAccess(req, id);
  if (!UUID.test(ruleId)) throw new AppError("NOT_FOUND", "No such forward rule.");
  return { endpointId: endpoint.id, ruleId: ruleId.toLowerCase() };
}
