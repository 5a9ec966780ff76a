// The endpoint and replay run a /api/endpoints/:id/replay-runs/:runId… request names, after the
// endpoint's key was checked. A run id that is not a UUID is simply not found.
import "server-only";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireEndpointAccess } from "./auth";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function requireReplayRunAccess(
  req: Request,
  params: Promise<{ id: string; runId: string }>,
): Promise<{ endpointId: string; runId: string }> {
  const { id, runId } = await params;
  const endpoint = await requireEndpointAccess(req, id);
  if (!UUID.test(runId)) throw new AppError("NOT_FOUND", "No such replay run.");
  return { endpointId: endpoint.id, runId: runId.toLowerCase() };
}
