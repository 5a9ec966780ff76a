// GET /api/endpoints/:id/signatures?ids=a,b,c - verdict summaries for badges of captures the list
// did not judge yet (live rows, big bodies); ids of other endpoints are left out
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, parseQuery } from "@/lib/server/http/respond";
import { BATCH_BUDGET, findSignatureSummaries } from "@/lib/server/signatures/judge";
import { ZSignatureBatch, ZSignatureBatchQuery } from "@/lib/shared/validation/signatures";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const { ids } = parseQuery(req, ZSignatureBatchQuery);
  const found = await findSignatureSummaries(
    endpoint.id,
    ids.map((i) => i.toLowerCase()),
    { perRow: Number.MAX_SAFE_INTEGER, total: BATCH_BUDGET },
  );
  return json(ZSignatureBatch.parse({ items: Object.fromEntries(found) }));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
