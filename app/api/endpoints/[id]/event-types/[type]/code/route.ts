// GET /api/endpoints/:id/event-types/:type/code?lang=typescript|zod|schema[&download=1] - generated
// code for one event type, as text
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, parseQuery } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { codeResponse } from "@/lib/server/schema/serve";
import { ZCodeQuery } from "@/lib/shared/validation/event-catalogue";

interface Ctx {
  params: Promise<{ id: string; type: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const p = await params;
  const endpoint = await requireEndpointAccess(req, p.id);
  const q = parseQuery(req, ZCodeQuery);
  return codeResponse(endpoint.id, decodeURIComponent(p.type), q.lang, q.download === "1", endpoint.slug);
});

export const { POST, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET"]);
