// POST /api/endpoints - create an endpoint (returns its management key once, sets the browser's key cookie; CREATE_ENDPOINT_TOKEN as Bearer when set);
//                       with an alias that exists and its key (X-Hookscope-Key), 200 with that endpoint, unchanged
// GET  /api/endpoints - list the endpoints this browser holds keys for (and expire its key cookies that open nothing)
import { createEndpoint, getEndpointByAlias, toEndpointDto, type EndpointRecord } from "@/lib/server/db/endpoints";
import { keyMatches } from "@/lib/server/db/keys";
import {
  bearer,
  clearKeyCookieHeaders,
  heldEndpoints,
  keyCookie,
  requireCreateFromOwnPages,
  requireCreateToken,
  requireRoomForKeyCookie,
} from "@/lib/server/http/auth";
import { env } from "@/lib/server/env";
import { AppError } from "@/lib/shared/errors/app-error";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { assertWithinCeilings } from "@/lib/server/retention/settings";
import { ZCreateEndpointRequest, ZCreateEndpointResponse, ZEndpointList } from "@/lib/shared/validation/endpoints";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

export const POST = handle(async (req: Request) => {
  requireCreateFromOwnPages(req);
  requireCreateToken(req);
  // An empty body is fine: every field has a default.
  const input = await parseJson(req, ZCreateEndpointRequest, { allowEmpty: true });
  assertWithinCeilings(input.retention);
  if (input.alias) {
    const existing = await getEndpointByAlias(input.alias);
    if (existing) return existingForKey(req, existing, input.alias);
  }
  await requireRoomForKeyCookie(req, null);
  try {
    const { endpoint, managementKey } = await createEndpoint(input);
    const body = ZCreateEndpointResponse.parse({ ...toEndpointDto(endpoint), managementKey });
    return json(body, { status: 201, headers: { "Set-Cookie": keyCookie(req, endpoint.id, managementKey) } });
  } catch (e) {
    // Two creates of one alias at once: the loser answers as if it had come second.
    const existing = e instanceof AppError && e.code === "ALIAS_TAKEN" && input.alias ? await getEndpointByAlias(input.alias) : null;
    if (existing) return existingForKey(req, existing, input.alias!);
    throw e;
  }
});

/**
 * The management key a create request presents for an existing alias: X-Hookscope-Key, or the
 * Bearer when it is not the instance's CREATE_ENDPOINT_TOKEN (then Bearer is spoken for).
 */
function presentedCreateKey(req: Request): string | null {
  return req.headers.get("x-hookscope-key")?.trim() || (env().CREATE_ENDPOINT_TOKEN === undefined ? bearer(req) : null);
}

/**
 * An alias that exists: with its endpoint's key, 200 and the endpoint as it is (the request's
 * other settings are not applied: PATCH changes them), so a CI job keeps one URL across runs;
 * with no key or another, 409.
 */
function existingForKey(req: Request, existing: EndpointRecord, alias: string): Response {
  const key = presentedCreateKey(req);
  if (!key || !keyMatches(key, existing.keyHash)) {
    throw new AppError(
      "ALIAS_TAKEN",
      `The alias "${alias}" is taken. To get that endpoint back, send its management key as X-Hookscope-Key; otherwise choose another alias.`,
    );
  }
  return json(ZCreateEndpointResponse.parse({ ...toEndpointDto(existing), managementKey: key }), { status: 200 });
}

export const GET = handle(async (req: Request) => {
  const { live, dead } = await heldEndpoints(req);
  // Cookies that open nothing (deleted endpoints, replaced keys) go: they only fill the browser's jar.
  return json(ZEndpointList.parse({ items: live.map(toEndpointDto) }), { headers: dead.flatMap(clearKeyCookieHeaders) });
});

export const { OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
