// What GET /api/health reports: liveness, database reachability (503 while it is down) and the
// live streams of this process. Served by the Next route (app/api/health/route.ts) and, in a
// capture-only process (SERVER_ROLE=capture, no Next), by the router (serveHealth).
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getPool } from "@/lib/server/db/client";
import { liveListening, liveSubscriberCount } from "@/lib/server/live/registry";
import { JSON_CONTENT_TYPE, writeErrorEnvelope } from "./node-response";

export interface HealthReport {
  status: 200 | 503;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export async function healthReport(): Promise<HealthReport> {
  const started = performance.now();
  // Open live (SSE) streams and whether the LISTEN connection is up (null until first used).
  const live = { liveSubscribers: liveSubscriberCount(), liveListening: liveListening() };
  try {
    await getPool().query("SELECT 1");
    return {
      status: 200,
      body: { status: "ok", database: "up", latencyMs: Math.round(performance.now() - started), ...live },
      headers: {},
    };
  } catch {
    return { status: 503, body: { status: "degraded", database: "down", ...live }, headers: { "Retry-After": "5" } };
  }
}

/** The report on node:http (GET and HEAD; anything else 405), for a process without Next. */
export async function serveHealth(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const noStore = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  if (req.method !== "GET" && req.method !== "HEAD") {
    return writeErrorEnvelope(res, 405, "METHOD_NOT_ALLOWED", `/api/health does not answer ${req.method}; it answers GET, HEAD.`, {
      ...noStore,
      Allow: "GET, HEAD",
    });
  }
  const report = await healthReport();
  const body = JSON.stringify(report.body);
  res.writeHead(report.status, {
    "Content-Type": JSON_CONTENT_TYPE,
    "Content-Length": String(Buffer.byteLength(body)),
    ...noStore,
    ...report.headers,
  });
  res.end(body);
}
