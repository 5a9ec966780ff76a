// What GET /api/health reports: liveness, database reachability (503 while it is down) and the
// live streams of this process. Served by the Next route (app/api/health/route.ts) and, in a
// capture-only process (SERVER_ROLE=capture, no Next), by the router (serveHealth).
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getPool } from "@/lib/server/db/client";
import { liveListening, liveSubscriberCount } from "@/lib/server/live/registry";
import { API_HEADERS } from "@/lib/shared/http/csp";
import { allowHeader, methodNotAllowedMessage } from "./method-not-allowed";
import { JSON_CONTENT_TYPE, writeErrorEnvelope } from "./node-response";

export interface HealthReport {
  status: 200 | 503;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

export async function healthReport(): Promise<HealthReport> {
  const started = performance.now();
  // Open live (SSE) streams and whether the LISTEN connection is up (null until a live stream or the search indexer first used it).
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

/**
 * The report on node:http, for a process without Next, answered as the Next route answers: GET and
 * HEAD, OPTIONS 204 with Allow, anything else 405 with the envelope; the API's headers.
 */
export async function serveHealth(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const noStore = { ...API_HEADERS, "Cache-Control": "no-store" };
  const allow = allowHeader(["GET"]);
  if (req.method === "OPTIONS") {
    res.writeHead(204, { ...noStore, Allow: allow });
    return void res.end();
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    return writeErrorEnvelope(res, 405, "METHOD_NOT_ALLOWED", methodNotAllowedMessage(req.method ?? "", "/api/health", allow), {
      ...noStore,
      Allow: allow,
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
