// GET    /api/endpoints/:id - one endpoint with its response settings
// PATCH  /api/endpoints/:id - rename, set or remove its alias, change the response capture answers with, or its retention
// DELETE /api/endpoints/:id - delete the endpoint and all its captures
import { deleteEndpointById, toEndpointDto, updateEndpoint } from "@/lib/server/db/endpoints";
import { clearKeyCookieHeaders, requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, noContent, parseJson } from "@/lib/server/http/respond";
import { assertWithinCeilings } from "@/lib/server/retention/settings";
import { ZEndpoint, ZUpdateEndpointRequest } from "@/lib/shared/validation/endpoints";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  return json(ZEndpoint.parse(toEndpointDto(endpoint)));
});

export const PATCH = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const input = await parseJson(req, ZUpdateEndpointRequest);
  assertWithinCeilings(input.retention);
  const updated = await updateEndpoint(endpoint.id, input);
  return json(ZEndpoint.parse(toEndpointDto(updated)));
});

export const DELETE = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  await deleteEndpointById(endpoint.id);
  return noContent({ headers: clearKeyCookieHeaders(endpoint.id) });
});

export const { OPTIONS, POST, PUT } = otherMethods(["GET", "PATCH", "DELETE"]);
