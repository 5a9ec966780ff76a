// POST /api/endpoints - create an endpoint (returns its management key once, sets the browser's key cookie; CREATE_ENDPOINT_TOKEN as Bearer when set)
// GET  /api/endpoints - list the endpoints this browser holds keys for
import { createEndpoint, listEndpointsByIds, toEndpointDto } from "@/lib/server/db/endpoints";
import { keyMatches } from "@/lib/server/db/keys";
import { cookieEndpointKeys, keyCookie, requireCreateToken } from "@/lib/server/http/auth";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { assertWithinCeilings } from "@/lib/server/retention/settings";
import { ZCreateEndpointRequest, ZCreateEndpointResponse, ZEndpointList } from "@/lib/shared/validation/endpoints";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

export const POST = handle(async (req: Request) => {
  requireCreateToken(req);
  // An empty body is fine: every field has a default.
  const input = await parseJson(req, ZCreateEndpointRequest, { allowEmpty: true });
  assertWithinCeilings(input.retention);
  const { endpoint, managementKey } = await createEndpoint(input);
  const body = ZCreateEndpointResponse.parse({ ...toEndpointDto(endpoint), managementKey });
  return json(body, { status: 201, headers: { "Set-Cookie": keyCookie(req, endpoint.id, managementKey) } });
});

export const GET = handle(async (req: Request) => {
  const keys = cookieEndpointKeys(req);
  const rows = await listEndpointsByIds([...keys.keys()]);
  const mine = rows.filter((r) => keyMatches(keys.get(r.id)!, r.keyHash));
  return json(ZEndpointList.parse({ items: mine.map(toEndpointDto) }));
});

export const { OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
