// GET /api/endpoints/by-slug/:slug - the endpoint behind a capture URL, for its management key (hookscope forward starts from a capture URL)
import { toEndpointDto } from "@/lib/server/db/endpoints";
import { requireEndpointAccessBySlug } from "@/lib/server/http/auth";
import { handle, json } from "@/lib/server/http/respond";
import { ZEndpoint } from "@/lib/shared/validation/endpoints";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ slug: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccessBySlug(req, (await params).slug);
  return json(ZEndpoint.parse(toEndpointDto(endpoint)));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
