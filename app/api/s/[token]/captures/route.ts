// GET /api/s/:token/captures?cursor=&limit= - the shared captures, newest first (summaries, the
// list API's page shape): the endpoint's captures, or just the one capture of a capture link.
// POST/PUT/PATCH/DELETE - refused (405): a share link cannot clear or add anything.
import { findCaptureSummaries, getCaptureSummaryById } from "@/lib/server/db/captures";
import { readOnlyShareHandler, requireShareAccess } from "@/lib/server/http/share-access";
import { handle, json, parseQuery } from "@/lib/server/http/respond";
import { ZCaptureListQuery, ZCapturePage } from "@/lib/shared/validation/captures";

interface Ctx {
  params: Promise<{ token: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { link, endpoint } = await requireShareAccess((await params).token);
  const q = parseQuery(req, ZCaptureListQuery);
  if (link.captureId) {
    const one = q.cursor === undefined ? await getCaptureSummaryById(link.captureId) : null;
    return json(ZCapturePage.parse({ items: one ? [one] : [], nextCursor: null }));
  }
  // One extra row tells whether an older page exists.
  const rows = await findCaptureSummaries(endpoint.id, { beforeSeq: q.cursor, limit: q.limit + 1 });
  const items = rows.slice(0, q.limit);
  const nextCursor = rows.length > q.limit ? String(items[items.length - 1]!.seq) : null;
  return json(ZCapturePage.parse({ items, nextCursor }));
});

const refuse = readOnlyShareHandler();
export const POST = refuse;
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
