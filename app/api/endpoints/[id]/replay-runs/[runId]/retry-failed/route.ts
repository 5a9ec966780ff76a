// POST /api/endpoints/:id/replay-runs/:runId/retry-failed - a new run over the sends that did not pass (failed, or never sent)
import { createRetryRun } from "@/lib/server/db/replay-runs";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { requireReplayRunAccess } from "@/lib/server/http/replay-run-access";
import { handle, json } from "@/lib/server/http/respond";
import { runnerId, startReplayRun } from "@/lib/server/replay/runner";
import { ZReplayRun } from "@/lib/shared/validation/replay";

interface Ctx {
  params: Promise<{ id: string; runId: string }>;
}

export const POST = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, runId } = await requireReplayRunAccess(req, ctx.params);
  const run = await createRetryRun(endpointId, runId, runnerId());
  startReplayRun(run);
  return json(ZReplayRun.parse(run), { status: 201 });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
