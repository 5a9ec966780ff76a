// POST /api/endpoints/:id/key - replace the management key: the new one is answered once (and set
// as this browser's key cookie); the old key, its dashboard links, other browsers' cookies and the
// streams opened with it (live events, smee) stop working. For a key that leaked: a smee URL in a
// log, a dashboard link sent to the wrong person.
import { replaceManagementKey, toEndpointDto } from "@/lib/server/db/endpoints";
import { keyCookieHeaders, requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { AppError } from "@/lib/shared/errors/app-error";
import { ZDashboardLink } from "@/lib/shared/validation/endpoints";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const key = await replaceManagementKey(endpoint.id, endpoint.keyHash);
  if (key === null) throw new AppError("CONFLICT", "The key was replaced at the same moment by another request: use the key it answered.");
  const url = `${toEndpointDto(endpoint).dashboardUrl}#key=${encodeURIComponent(key)}`;
  return json(ZDashboardLink.parse({ url, managementKey: key }), { headers: keyCookieHeaders(req, endpoint.id, key) });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
