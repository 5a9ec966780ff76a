// DELETE /api/endpoints/:id/shares/:shareId - revoke a share link at once (it stays listed as
// revoked; its token then gets 410). Answers the link as it now is.
import { revokeShareLink } from "@/lib/server/db/share-links";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json } from "@/lib/server/http/respond";
import { ZShareLink } from "@/lib/shared/validation/shares";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string; shareId: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const DELETE = handle(async (req: Request, { params }: Ctx) => {
  const { id, shareId } = await params;
  const endpoint = await requireEndpointAccess(req, id);
  if (!UUID.test(shareId)) throw new AppError("NOT_FOUND", "No such share link.");
  return json(ZShareLink.parse(await revokeShareLink(endpoint.id, shareId.toLowerCase())));
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH } = otherMethods(["DELETE"]);
