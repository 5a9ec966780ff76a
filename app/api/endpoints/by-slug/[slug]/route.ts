// GET /api/endpoints/by-slug/:slug - the endpoint behind a capture URL, for its management key (hookscope forward starts from a capture URL)
import { toEndpointDto } from "@/lib/db/endpoints";
import { requireEndpointAccessBySlug } from "@/lib/http/auth";
import { handle, json } from "@/lib/http/respond";
import { ZEndpoint } from "@/lib/validation/endpoints";

interface Ctx {
  params: Promise<{ slug: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccessBySlug(req, (await params).slug);
  return json(ZEndpoint.parse(toEndpointDto(endpoint)));
});
