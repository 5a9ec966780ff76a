// GET /api/openapi.json - the OpenAPI 3.1 description of this API (public: documentation, no data)
import { publicBaseUrl } from "@/lib/server/env";
import { handle, json } from "@/lib/server/http/respond";
import { buildOpenApiDocument } from "@/lib/shared/openapi/document";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

export const GET = handle(async () => json(buildOpenApiDocument(publicBaseUrl())));

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
