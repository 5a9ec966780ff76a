// GET /api/endpoints/:id/replay-runs/compare?a=<run>&b=<run> - per capture in both runs, what the target answered differently (regressions first)
import { compareReplayRuns } from "@/lib/server/db/replay-runs";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { handle, json, parseQuery } from "@/lib/server/http/respond";
import { ZCompareRunsQuery, ZRunComparison } from "@/lib/shared/validation/replay";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const q = parseQuery(req, ZCompareRunsQuery);
  return json(ZRunComparison.parse(await compareReplayRuns(endpoint.id, q.a, q.b, q.limit)));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
