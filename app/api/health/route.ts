// GET /api/health - liveness plus database reachability (503 when the database is down)
import { getPool } from "@/lib/db/client";
import { json } from "@/lib/http/respond";

export async function GET(): Promise<Response> {
  const started = performance.now();
  try {
    await getPool().query("SELECT 1");
    return json({ status: "ok", database: "up", latencyMs: Math.round(performance.now() - started) });
  } catch {
    return json({ status: "degraded", database: "down" }, { status: 503, headers: { "Retry-After": "5" } });
  }
}
