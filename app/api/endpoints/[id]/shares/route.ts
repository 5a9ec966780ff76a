// GET  /api/endpoints/:id/shares - the endpoint's share links, newest first: state, creation,
//      expiry and last use; never the token
// POST /api/endpoints/:id/shares - create a read-only link to the endpoint or one capture
//      ({ captureId?, expiresIn: 1h|1d|7d|never (default 7d), includeSecrets (default false) });
//      201 with the token and its URL: the only time either is sent
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { createShareLink, listShareLinksByEndpointId } from "@/lib/server/db/share-links";
import { ZCreatedShareLink, ZCreateShareRequest, ZShareLinkList } from "@/lib/shared/validation/shares";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  return json(ZShareLinkList.parse({ items: await listShareLinksByEndpointId(endpoint.id) }));
});

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const input = await parseJson(req, ZCreateShareRequest, { allowEmpty: true });
  return json(ZCreatedShareLink.parse(await createShareLink(endpoint.id, input)), { status: 201 });
});

export const { OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
