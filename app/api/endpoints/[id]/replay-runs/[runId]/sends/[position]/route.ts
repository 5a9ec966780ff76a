// GET /api/endpoints/:id/replay-runs/:runId/sends/:position - one send: what went out and what came back
import { getReplayRun, getReplaySend } from "@/lib/server/db/replay-runs";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { requireReplayRunAccess } from "@/lib/server/http/replay-run-access";
import { handle, json } from "@/lib/server/http/respond";
import { AppError } from "@/lib/shared/errors/app-error";
import { ZReplaySend } from "@/lib/shared/validation/replay";

interface Ctx {
  params: Promise<{ id: string; runId: string; position: string }>;
}

export const GET = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, runId } = await requireReplayRunAccess(req, ctx.params);
  const raw = (await ctx.params).position;
  if (!/^\d{1,6}$/.test(raw)) throw new AppError("NOT_FOUND", "No such send in this run.");
  await getReplayRun(endpointId, runId);
  return json(ZReplaySend.parse(await getReplaySend(runId, Number(raw))));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
