// GET    /api/endpoints/:id/captures?cursor=&limit=&q=&method=&path=…&exactPath= - newest first, summaries without bodies, filtered
// DELETE /api/endpoints/:id/captures - clear every capture of the endpoint
import { deleteCapturesByEndpointId, findCaptureSummaries } from "@/lib/server/db/captures";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, parseQuery } from "@/lib/server/http/respond";
import { ZCaptureFilter } from "@/lib/shared/search/params";
import { attachSignatureSummaries } from "@/lib/server/signatures/judge";
import { ZCaptureListQuery, ZCapturePage } from "@/lib/shared/validation/captures";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const q = parseQuery(req, ZCaptureListQuery);
  const filter = parseQuery(req, ZCaptureFilter);
  // One extra row tells whether an older page exists.
  const rows = await findCaptureSummaries(endpoint.id, { beforeSeq: q.cursor, limit: q.limit + 1, filter, exactPath: q.exactPath });
  const items = await attachSignatureSummaries(endpoint.id, rows.slice(0, q.limit));
  const nextCursor = rows.length > q.limit ? String(items[items.length - 1]!.seq) : null;
  return json(ZCapturePage.parse({ items, nextCursor }));
});

export const DELETE = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const deleted = await deleteCapturesByEndpointId(endpoint.id);
  return json({ deleted });
});

export const { OPTIONS, POST, PUT, PATCH } = otherMethods(["GET", "DELETE"]);
