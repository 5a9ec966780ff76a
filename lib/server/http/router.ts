// Which handler answers a request on the one node:http listener: capture URLs (/h/…) take the
// fast path in lib/server/capture, /api/metrics and the CLI tarball are served here, a few requests Next would get
// wrong are refused with the envelope, and everything else goes to Next.js. A capture-only process
// (SERVER_ROLE=capture) has no Next: it answers /api/health here and refuses everything else.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { API_HEADERS } from "@/lib/shared/http/csp";
import { hostRole, isCaptureTarget, isHealthTarget } from "@/lib/server/capture/target";
import { isMetricsTarget, serveMetrics } from "@/lib/server/observability/metrics-route";
import { isCliPackageTarget, serveCliPackage } from "./cli-package-route";
import { serveHealth } from "./health";
import { writeErrorEnvelope } from "./node-response";
import { answerUnusableSharePage, sharePageToken } from "./share-page";
import { answerUnroutedMethod, isRoutedMethod } from "./unrouted-method";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface RouterOptions {
  /** The capture fast path (createCaptureHandler). */
  capture: Handler;
  /** Next's request handler; null in a capture-only process (SERVER_ROLE=capture). */
  next: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | null;
  /** Reverse-proxy hops trusted for X-Forwarded-*. */
  trustProxy: number;
  metricsToken: string | undefined;
  /** The capture host when captures have a host of their own (splitCaptureHost), else null. */
  captureHost: string | null;
  /** CAPTURE_BASE_URL and the dashboard's public base URL, named in the refusals of the split hosts. */
  captureBaseUrl: string | undefined;
  publicBaseUrl: string;
}

/** Headers a reverse proxy sets; only believed from TRUST_PROXY hops. */
const FORWARDED_HEADERS = ["x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-for", "forwarded"] as const;

/** Longest request target accepted; longer ones get 414 before any routing. */
const MAX_TARGET_LENGTH = 8000;

/** The listener's request handler. */
export function createRouter(o: RouterOptions): Handler {
  return (req, res) => {
    const url = req.url ?? "";
    if (url.length > MAX_TARGET_LENGTH) return refuse(res, 414, "BAD_REQUEST", "The request target is too long.");
    // With captures on their own host, each host serves only its own paths: the capture host never
    // serves the dashboard (whose cookies and pages would then share an origin with capture
    // answers), and the dashboard's host never answers /h/ with an endpoint's configured answer.
    if (o.captureHost !== null) {
      const role = hostRole(o.captureHost, req.headers, o.trustProxy);
      if (role === "capture" && !isCaptureTarget(url) && !isHealthTarget(url))
        return refuse(res, 404, "NOT_FOUND", `This host serves capture URLs (/h/<slug>) only; the dashboard is at ${o.publicBaseUrl}.`);
      if (role === "dashboard" && isCaptureTarget(url))
        return refuse(res, 404, "NOT_FOUND", `Capture URLs are served on ${o.captureBaseUrl}, not on this host.`);
    }
    if (isCaptureTarget(url)) return o.capture(req, res);
    if (isMetricsTarget(url)) return void serveMetrics(req, res, { token: o.metricsToken, trustProxy: o.trustProxy });
    // Absolute-form ("POST http://other.host/x") and other non-path targets are never followed.
    if (!url.startsWith("/")) return refuse(res, 400, "BAD_REQUEST", "Send requests with a path, not an absolute URL.");
    const next = o.next;
    if (next === null) {
      if (isHealthTarget(url)) return void serveHealth(req, res);
      return refuse(res, 404, "NOT_FOUND", `This server serves capture URLs (/h/<slug>) only; the dashboard is at ${o.publicBaseUrl}.`);
    }
    if (isCliPackageTarget(url)) return void serveCliPackage(req, res);
    // Next answers a path with a broken %-escape (/api/endpoints/%zz) with a bare 500; the mistake is the client's.
    if (!decodablePath(url))
      return refuse(
        res,
        400,
        "BAD_REQUEST",
        "The path has a malformed %-escape: each % must start two hex digits, and the bytes must spell valid UTF-8.",
      );
    // Next builds the request URL (and so its scheme and host) from X-Forwarded-*; from a client
    // that is not a trusted proxy those headers are lies, so Next never sees them.
    if (o.trustProxy === 0) for (const h of FORWARDED_HEADERS) delete req.headers[h];
    // A share link that opens nothing gets its reason and 404/410 here; Next cannot set that status.
    const shareToken = sharePageToken(req.method, url);
    if (shareToken !== null) {
      return void answerUnusableSharePage(req, res, shareToken).then((answered) => {
        if (!answered) void next(req, res);
      });
    }
    // Next answers a method token no route file can export (PROPFIND) with an empty 400 before any route code.
    if (url.startsWith("/api/") && !isRoutedMethod(req.method ?? "")) return answerUnroutedMethod(req, res);
    void next(req, res);
  };
}

/** Whether the target's path survives decodeURIComponent, as Next's router needs it to. */
function decodablePath(url: string): boolean {
  const q = url.indexOf("?");
  try {
    decodeURIComponent(q === -1 ? url : url.slice(0, q));
    return true;
  } catch {
    return false;
  }
}

function refuse(res: ServerResponse, status: number, code: "BAD_REQUEST" | "NOT_FOUND", message: string): void {
  writeErrorEnvelope(res, status, code, message, { ...API_HEADERS, Connection: "close" });
}
