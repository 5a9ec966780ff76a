// POST /api/endpoints/:id/replay-runs/:runId/cancel - stop a running run (sends already made stay recorded)
import { cancelReplayRun } from "@/lib/server/db/replay-runs";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { requireReplayRunAccess } from "@/lib/server/http/replay-run-access";
import { handle, json } from "@/lib/server/http/respond";
import { abortReplayRun } from "@/lib/server/replay/runner";
import { ZReplayRun } from "@/lib/shared/validation/replay";

interface Ctx {
  params: Promise<{ id: string; runId: string }>;
}

export const POST = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, runId } = await requireReplayRunAccess(req, ctx.params);
  const run = await cancelReplayRun(endpointId, runId);
  abortReplayRun(runId);
  return json(ZReplayRun.parse(run));
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
