// GET /api/endpoints/:id/event-types - the event catalogue: captures by event type (count, first
// and last seen, the newest as a sample), the rest by method and path
import { readEventCatalogue } from "@/lib/server/db/event-catalogue";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { ZEventCatalogue } from "@/lib/shared/validation/event-catalogue";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  return json(ZEventCatalogue.parse(await readEventCatalogue(endpoint.id)));
});

export const { POST, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET"]);
