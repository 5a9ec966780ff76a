// POST /api/endpoints/:id/dashboard-link - the full-access dashboard link (the key in its
// #fragment) and the key itself, from the key this request carries: the browser's httpOnly
// cookie or a Bearer key. Any tab of a browser that holds the cookie can offer the link. A POST,
// so a cookie-authenticated call must come from our own pages (requireEndpointAccess refuses
// cross-site ones), and no-store (as every JSON answer), so no cache keeps the key.
import { presentedKey, requireEndpointAccess } from "@/lib/server/http/auth";
import { toEndpointDto } from "@/lib/server/db/endpoints";
import { handle, json } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { ZDashboardLink } from "@/lib/shared/validation/endpoints";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  // requireEndpointAccess just matched this key against the stored hash.
  const key = presentedKey(req, endpoint.id)!;
  const url = `${toEndpointDto(endpoint).dashboardUrl}#key=${encodeURIComponent(key)}`;
  return json(ZDashboardLink.parse({ url, managementKey: key }));
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
