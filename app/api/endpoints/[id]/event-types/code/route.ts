// GET /api/endpoints/:id/event-types/code?lang=typescript|zod|schema[&download=1] - generated code
// for every event type of the endpoint, with a union discriminated by the event type (the schema
// bundle: every type's JSON Schema under $defs)
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, parseQuery } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { codeResponse } from "@/lib/server/schema/serve";
import { ZCodeQuery } from "@/lib/shared/validation/event-catalogue";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const q = parseQuery(req, ZCodeQuery);
  return codeResponse(endpoint.id, null, q.lang, q.download === "1", endpoint.slug);
});

export const { POST, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET"]);
