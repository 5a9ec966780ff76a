// GET /api/endpoints/:id/replay-runs/:runId - a run with a page of its sends (failures first; ?offset, ?limit, ?only=failed)
import { getReplayRun, listReplaySends } from "@/lib/server/db/replay-runs";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { requireReplayRunAccess } from "@/lib/server/http/replay-run-access";
import { handle, json, parseQuery } from "@/lib/server/http/respond";
import { ZReplayRunDetail, ZReplaySendsQuery } from "@/lib/shared/validation/replay";

interface Ctx {
  params: Promise<{ id: string; runId: string }>;
}

export const GET = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, runId } = await requireReplayRunAccess(req, ctx.params);
  const q = parseQuery(req, ZReplaySendsQuery);
  const run = await getReplayRun(endpointId, runId);
  return json(ZReplayRunDetail.parse({ run, ...(await listReplaySends(runId, q)) }));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
