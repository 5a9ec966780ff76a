// GET  /api/endpoints/:id/replay-runs - the endpoint's replay runs, newest first
// POST /api/endpoints/:id/replay-runs - start a run: freeze the chosen captures and send them to the target in the background
import { createReplayRun, listReplayRuns } from "@/lib/server/db/replay-runs";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { otherMethods } from "@/lib/server/http/method-not-allowed";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { runnerId, startReplayRun } from "@/lib/server/replay/runner";
import { ZCreateReplayRunRequest, ZReplayRun, ZReplayRunList } from "@/lib/shared/validation/replay";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  return json(ZReplayRunList.parse({ items: await listReplayRuns(endpoint.id) }));
});

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const input = await parseJson(req, ZCreateReplayRunRequest);
  const run = await createReplayRun({ endpointId: endpoint.id, ...input, runner: runnerId() });
  startReplayRun(run);
  return json(ZReplayRun.parse(run), { status: 201 });
});

export const { OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
