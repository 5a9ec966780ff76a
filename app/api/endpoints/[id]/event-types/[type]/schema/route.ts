// GET /api/endpoints/:id/event-types/:type/schema - the JSON Schema (draft 2020-12) inferred from
// the type's captures, with how many were merged
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { eventSchemaOf } from "@/lib/server/schema/serve";
import { ZEventSchemaResponse } from "@/lib/shared/validation/event-catalogue";

interface Ctx {
  params: Promise<{ id: string; type: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const p = await params;
  const endpoint = await requireEndpointAccess(req, p.id);
  return json(ZEventSchemaResponse.parse(await eventSchemaOf(endpoint.id, decodeURIComponent(p.type))));
});

export const { POST, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET"]);
