// POST   /api/endpoints/:id/session - trade the management key (Authorization: Bearer) for this
//          browser's httpOnly key cookie. A dashboard link carries the key in its #fragment (never
//          sent to servers or logs); the page posts it here, then strips it from the address bar.
// DELETE /api/endpoints/:id/session - this browser forgets the endpoint (its key cookie is
//          cleared); the endpoint and its captures stay. The home page's "Remove".
import { AppError } from "@/lib/shared/errors/app-error";
import { clearKeyCookieHeaders, keyCookieHeaders, requireEndpointAccess, requireRoomForKeyCookie } from "@/lib/server/http/auth";
import { handle, noContent } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const POST = handle(async (req: Request, { params }: Ctx) => {
  // Only a bearer key counts here: a cookie alone would just re-issue itself.
  const key = req.headers.get("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (!key) throw new AppError("UNAUTHORIZED", "Send the management key as Authorization: Bearer <key>.");
  const endpoint = await requireEndpointAccess(req, (await params).id);
  await requireRoomForKeyCookie(req, endpoint.id);
  return noContent({ headers: [...keyCookieHeaders(req, endpoint.id, key), ["Cache-Control", "no-store"]] });
});

export const DELETE = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  return noContent({ headers: [...clearKeyCookieHeaders(endpoint.id), ["Cache-Control", "no-store"]] });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH } = otherMethods(["POST", "DELETE"]);
