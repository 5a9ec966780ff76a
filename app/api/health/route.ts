// GET /api/health - liveness plus database reachability (503 when the database is down)
import { getPool } from "@/lib/server/db/client";
import { json } from "@/lib/server/http/respond";
import { liveListening, liveSubscriberCount } from "@/lib/server/live/registry";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

export async function GET(): Promise<Response> {
  const started = performance.now();
  // Open live (SSE) streams and whether the LISTEN connection is up (null until first used).
  const live = { liveSubscribers: liveSubscriberCount(), liveListening: liveListening() };
  try {
    await getPool().query("SELECT 1");
    return json({ status: "ok", database: "up", latencyMs: Math.round(performance.now() - started), ...live });
  } catch {
    return json({ status: "degraded", database: "down", ...live }, { status: 503, headers: { "Retry-After": "5" } });
  }
}

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
