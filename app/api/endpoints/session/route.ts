// POST /api/endpoints/session - add an endpoint to this browser by its management key alone
// (Authorization: Bearer <key>): sets the httpOnly key cookie and returns the endpoint the key
// opens. The home page's "Add an endpoint" uses it when the user pastes a bare key.
import { getEndpointByKey, toEndpointDto } from "@/lib/server/db/endpoints";
import { bearer, keyCookieHeaders, requireRoomForKeyCookie } from "@/lib/server/http/auth";
import { handle, json } from "@/lib/server/http/respond";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { AppError } from "@/lib/shared/errors/app-error";
import { ZEndpoint } from "@/lib/shared/validation/endpoints";

export const POST = handle(async (req: Request) => {
  // Only a Bearer key: a header a cross-site page cannot send without a CORS preflight we never grant.
  const key = bearer(req);
  if (!key) throw new AppError("UNAUTHORIZED", "Send the management key as Authorization: Bearer <key>.");
  const endpoint = await getEndpointByKey(key);
  if (!endpoint) {
    throw new AppError("NOT_FOUND", "No endpoint has this management key: it was deleted, or the key was cut short when it was copied.");
  }
  await requireRoomForKeyCookie(req, endpoint.id);
  return json(ZEndpoint.parse(toEndpointDto(endpoint)), {
    headers: keyCookieHeaders(req, endpoint.id, key),
  });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
