// GET /api/openapi.json - the OpenAPI 3.1 description of this API (public: documentation, no data)
import { publicBaseUrl } from "@/lib/server/env";
import { handle, json } from "@/lib/server/http/respond";
import { buildOpenApiDocument } from "@/lib/shared/openapi/document";

export const GET = handle(async () => json(buildOpenApiDocument(publicBaseUrl())));
