// GET /api/metrics - Prometheus exposition text, served by server.ts before Next (it needs the
// socket's address). Access: with METRICS_TOKEN set, `Authorization: Bearer <token>` from
// anywhere; without it, only clients on loopback (the address after TRUST_PROXY hops), so a
// scraper or `curl` on the same host works and nothing else does.
import "server-only";
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import net from "node:net";
import { clientAddress } from "@/lib/server/http/client-address";
import { writeErrorEnvelope } from "@/lib/server/http/node-response";
import { logJson } from "./log";
import { renderMetrics } from "./metrics";

export const METRICS_PATH = "/api/metrics";

const NO_STORE = { "Cache-Control": "no-store" };

export function isMetricsTarget(url: string): boolean {
  return url === METRICS_PATH || url.startsWith(`${METRICS_PATH}?`);
}

function isLoopback(addr: string): boolean {
  if (addr === "::1") return true;
  return net.isIPv4(addr) && addr.startsWith("127.");
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? "");
  if (!m) return false;
  // Hashed first so the comparison is constant-time whatever the lengths.
  const a = crypto.createHash("sha256").update(m[1]!.trim()).digest();
  const b = crypto.createHash("sha256").update(token).digest();
  return crypto.timingSafeEqual(a, b);
}

export async function serveMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  opts: { token: string | undefined; trustProxy: number },
): Promise<void> {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return writeErrorEnvelope(res, 405, "METHOD_NOT_ALLOWED", "Use GET.", { ...NO_STORE, Allow: "GET, HEAD" });
  }
  if (opts.token) {
    if (!tokenMatches(req.headers.authorization, opts.token)) {
      return writeErrorEnvelope(res, 401, "UNAUTHORIZED", "Send Authorization: Bearer <METRICS_TOKEN>.", {
        ...NO_STORE,
        "WWW-Authenticate": "Bearer",
      });
    }
  } else if (!isLoopback(clientAddress(req, opts.trustProxy))) {
    return writeErrorEnvelope(
      res,
      403,
      "FORBIDDEN",
      "Metrics are served to loopback only; set METRICS_TOKEN to scrape from elsewhere.",
      NO_STORE,
    );
  }
  try {
    const { contentType, body } = await renderMetrics();
    res.writeHead(200, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), "Cache-Control": "no-store" });
    res.end(req.method === "HEAD" ? undefined : body);
  } catch (e) {
    logJson("error", "metrics failed", { error: String(e instanceof Error ? e.stack : e) });
    writeErrorEnvelope(res, 500, "INTERNAL", "Collecting metrics failed.", NO_STORE);
  }
}
