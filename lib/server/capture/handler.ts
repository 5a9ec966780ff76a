// The capture fast path: /h/{slug}[/anything] on plain node:http. Streams the body with a hard
// cap, queues the row on the group-commit writer and answers only once the row is committed.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientAddress } from "@/lib/server/http/client-address";
import { withoutKeyCookies } from "@/lib/server/http/auth";
import { cachedEndpointForCapture, getEndpointForCapture, type CaptureEndpoint } from "@/lib/server/db/endpoints";
import { SLUG_PATTERN, uuidv7 } from "@/lib/server/db/keys";
import { RETRY_AFTER_SECONDS as RETRY_AFTER_BY_CODE, type TErrorCode } from "@/lib/shared/errors/app-error";
import { writeErrorEnvelope } from "@/lib/server/http/node-response";
import type { NewCapture } from "@/lib/server/db/capture-insert";
import { logJson } from "@/lib/server/observability/log";
import { countCapture, countRejection } from "@/lib/server/observability/metrics";
import { headerPairs } from "@/lib/shared/format/header";
import {
  configuredAnswer,
  INERT_ANSWER_HEADERS,
  isPreflight,
  ruleAnswerFailed,
  storedRequest,
  type AppliedRule,
  type ConfiguredAnswer,
} from "@/lib/shared/capture/answer";
import { eventKeyOf, matchRule, renderRule, type RuleRequest } from "@/lib/shared/capture/rules";
import { templateVars } from "@/lib/shared/capture/templates";
import { countRuleDelivery, recordHandshakeToken, recordRuleError } from "@/lib/server/db/response-rules";
import { handshakeSecret } from "@/lib/server/db/signing-secrets";
import { secretHandshakeOf, xToken, zoomToken } from "@/lib/shared/capture/handshakes";
import type { TAppliedFailure, TResponseRule } from "@/lib/shared/validation/response-rules";
import { compiledRulesFor } from "./rule-cache";
import type { BodyBudget, BudgetHolder } from "./body-budget";
import { BodyBuffer } from "./body-buffer";
import { CaptureDrain } from "./drain";
import { elapsedMicros, isoMicros, nowMicros } from "./clock";
import type { CaptureRateLimiter, RateLimitVerdict } from "./rate-limit";
import { parseCaptureTarget } from "./target";
import type { CaptureWriter } from "./writer";

export interface CaptureHandlerOptions {
  maxBodyBytes: number;
  /** Reverse-proxy hops trusted for X-Forwarded-For. */
  trustProxy: number;
  writer: CaptureWriter;
  logCaptures: boolean;
  /** Bytes of bodies read and not yet committed, across requests; past it reading pauses (backpressure). */
  bodyBudget?: BodyBudget;
  /** Per client address and per endpoint token buckets; refusals get 429 and are not stored. */
  rateLimit?: CaptureRateLimiter;
}

/** The 413's message, built only for a 413. */
function tooLarge(max: number): string {
  return `The body is larger than this server's limit of ${max} bytes (MAX_BODY_BYTES).`;
}

/** Seconds a provider should wait before retrying while the database is down. */
const RETRY_AFTER_SECONDS = 5;

type BodyResult = { kind: "ok"; body: Buffer } | { kind: "oversize"; seen: number } | { kind: "aborted" };

/**
 * Reads the body up to `max` bytes (`declared`: its Content-Length, within `max`). Its bytes
 * count against `budget` as they arrive: past it the request is paused (its socket is not read)
 * until committed bodies free room. The caller releases the holder once the body is no longer
 * held (committed or refused); on oversize and abort it is released here.
 */
function readBody(
  req: IncomingMessage,
  max: number,
  declared: number | null,
  budget: BodyBudget | undefined,
): { holder: BudgetHolder | null; result: Promise<BodyResult> } {
  let finished = false;
  const holder =
    budget?.holder(() => {
      if (!finished) req.resume();
    }) ?? null;
  const result = new Promise<BodyResult>((resolve) => {
    const body = new BodyBuffer(declared);
    const finish = (r: BodyResult) => {
      if (finished) return;
      finished = true;
      req.off("data", onData);
      if (r.kind !== "ok") holder?.release();
      resolve(r);
    };
    const onData = (chunk: Buffer) => {
      if (body.length + chunk.length > max) {
        const seen = body.length + chunk.length;
        body.drop(); // drop what we held: memory stays bounded by the cap
        req.pause();
        finish({ kind: "oversize", seen });
        return;
      }
      body.push(chunk);
      if (holder && !holder.add(chunk.length)) req.pause();
    };
    // on, not once: finish runs once anyway, and once wraps every listener per request.
    req.on("data", onData);
    req.on("end", () => finish({ kind: "ok", body: body.body() }));
    req.on("error", () => finish({ kind: "aborted" }));
    req.on("close", () => finish({ kind: "aborted" }));
  });
  return { holder, result };
}

function hasBody(req: IncomingMessage): boolean {
  const cl = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (cl !== undefined && cl !== "0");
}

/** How long, and how many more bytes, an unwanted request body is read and thrown away. */
const DISCARD_MS = 5_000;
const DISCARD_BYTES = 32 * 1024 * 1024;

/**
 * Reads the rest of a body we answered without (413, 404, 503) and throws it away. Closing at
 * once instead would make the kernel reset the connection while the client is still sending,
 * and a reset discards our answer from the client's receive buffer: the provider would see
 * "connection reset" instead of the 413. Bounded in time and bytes, then the connection is cut.
 */
function discardRest(req: IncomingMessage): void {
  let seen = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, DISCARD_MS);
  timer.unref();
  req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DISCARD_BYTES) cut();
  });
  req.once("end", () => clearTimeout(timer));
  req.once("close", () => clearTimeout(timer));
  req.resume();
}

function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: TErrorCode,
  message: string,
  extra: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  if (!req.complete && hasBody(req)) discardRest(req);
  writeErrorEnvelope(res, status, code, message, {
    "Access-Control-Allow-Origin": "*",
    "Cache-Control": "no-store",
    ...Object.fromEntries(INERT_ANSWER_HEADERS),
    ...extra,
  });
}

/** The endpoint's configured answer (lib/shared/capture/answer.ts). */
function sendConfigured(res: ServerResponse, answer: ConfiguredAnswer): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(answer.status, answer.headers.flat());
  res.end(answer.body ?? undefined);
}

/**
 * True once this response owns the connection (at once, without a promise, unless pipelined
 * behind an unfinished response), false if the connection closes first.
 */
function turnToAnswer(req: IncomingMessage, res: ServerResponse): boolean | Promise<boolean> {
  if (res.socket) return !res.socket.destroyed;
  if (req.socket.destroyed) return false;
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off("socket", onSocket);
      req.socket.off("close", onClose);
      resolve(ok);
    };
    const onSocket = () => done(true);
    const onClose = () => done(false);
    res.once("socket", onSocket);
    req.socket.once("close", onClose);
  });
}

export interface CaptureHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /**
   * Starts shutdown: from now on captures are answered 503 SHUTTING_DOWN (Retry-After,
   * Connection: close) and not stored. Resolves once every stored capture has had its answer,
   * configured delay included.
   */
  close(): Promise<void>;
}

/** Returns the node:http listener for capture URLs. */
export function createCaptureHandler(opts: CaptureHandlerOptions): CaptureHandler {
  const drain = new CaptureDrain();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    drain.track(req.socket, res);
    void handleCapture(req, res, opts, drain).catch((e) => {
      logJson("error", "capture failed", { error: String(e instanceof Error ? e.stack : e) });
      sendError(req, res, 500, "INTERNAL", "Capture failed unexpectedly.");
    });
  };
  return Object.assign(handler, { close: () => drain.close() });
}

/** The answer to a capture that arrives (or finishes arriving) after shutdown began: not stored. */
function sendShuttingDown(req: IncomingMessage, res: ServerResponse): void {
  countRejection("shutting_down");
  sendError(req, res, 503, "SHUTTING_DOWN", "This server is shutting down; the request was not stored. Retry it.", {
    "Retry-After": String(RETRY_AFTER_BY_CODE.SHUTTING_DOWN),
    Connection: "close",
  });
}

async function handleCapture(req: IncomingMessage, res: ServerResponse, opts: CaptureHandlerOptions, drain: CaptureDrain): Promise<void> {
  const startHr = process.hrtime.bigint();
  const receivedAt = nowMicros();
  // Pipelined requests are handled in order. One queued behind a response that ends the
  // connection (the client sent "Connection: close", a discarded body was cut short) will never
  // be answered, so it is not stored either: a stored capture always got its answer.
  const turn = turnToAnswer(req, res);
  if (!(typeof turn === "boolean" ? turn : await turn)) return;
  // Before any lookup: a flood (of unknown slugs too) from one address costs no queries.
  const remoteAddress = clientAddress(req, opts.trustProxy);
  const byClient = opts.rateLimit?.takeClient(remoteAddress);
  if (byClient && !byClient.ok) return sendRateLimited(req, res, byClient);
  // A browser fetching a service worker script says so. A worker registered from a capture URL
  // would control every page under its scope on this host; no provider sends this header.
  if (req.headers["service-worker"] !== undefined) {
    return sendError(req, res, 403, "FORBIDDEN", "A capture URL cannot be registered as a service worker. This request was not stored.");
  }
  const target = parseCaptureTarget(req.url ?? "");
  if (!target || !SLUG_PATTERN.test(target.slug)) {
    countRejection("not_found");
    return sendError(req, res, 404, "NOT_FOUND", "No endpoint has this capture URL.");
  }

  let endpoint: CaptureEndpoint | null | undefined = cachedEndpointForCapture(target.slug);
  try {
    if (endpoint === undefined) endpoint = await getEndpointForCapture(target.slug);
  } catch {
    countRejection("database_unavailable");
    return sendError(req, res, 503, "DATABASE_UNAVAILABLE", "Storage is unavailable; retry later.", {
      "Retry-After": String(RETRY_AFTER_SECONDS),
    });
  }
  if (!endpoint) {
    countRejection("not_found");
    return sendError(req, res, 404, "NOT_FOUND", "No endpoint has this capture URL.");
  }
  const byEndpoint = opts.rateLimit?.takeEndpoint(endpoint.id);
  if (byEndpoint && !byEndpoint.ok) return sendRateLimited(req, res, byEndpoint);

  const clHeader = req.headers["content-length"];
  const declared = clHeader !== undefined && /^\d+$/.test(clHeader) ? Number(clHeader) : null;
  const row: NewCapture = {
    id: uuidv7(),
    endpointId: endpoint.id,
    method: req.method ?? "GET",
    path: target.path,
    query: target.query,
    headers: withoutKeyCookies(headerPairs(req.rawHeaders)),
    trailers: null,
    body: Buffer.alloc(0),
    bodySize: 0,
    // Past 2^53 − 1 a JavaScript number is not exact, and from about 2^63 the bigint column would
    // fail the whole group commit (node's parser takes lengths up to 2^64 − 1): such a length is
    // refused as over the cap all the same, and the row keeps it only in its headers, as sent.
    declaredLength: declared !== null && Number.isSafeInteger(declared) ? declared : null,
    contentType: req.headers["content-type"] ?? null,
    remoteAddress,
    httpVersion: req.httpVersion,
    receivedAt: isoMicros(receivedAt),
    durationUs: 0,
    responseStatus: endpoint.response.status,
    responseRev: endpoint.responseRev,
    oversize: false,
    eventKey: endpoint.eventKey,
    responseRule: null,
    responseFailure: null,
  };

  const max = opts.maxBodyBytes;
  if (declared !== null && declared > max) {
    // Refuse before reading a byte; keep a record so the user sees the provider tried.
    row.oversize = true;
    row.responseStatus = 413;
    row.responseRev = null;
    row.durationUs = elapsedMicros(startHr);
    if (!drain.admit(res)) return sendShuttingDown(req, res);
    const seq = await opts.writer.enqueue(row).catch(() => null);
    countRejection("oversize");
    log(opts, row, 413, startHr, seq);
    return sendError(req, res, 413, "PAYLOAD_TOO_LARGE", tooLarge(max));
  }

  const reading = readBody(req, max, declared, opts.bodyBudget);
  // The body's bytes stay counted until it is committed (or refused, or the client goes away).
  res.once("close", () => reading.holder?.release());
  const result = await reading.result;
  row.durationUs = elapsedMicros(startHr);
  if (result.kind === "aborted") {
    countRejection("aborted"); // the client went away mid-body: nothing was acknowledged
    return;
  }
  if (result.kind === "oversize") {
    row.oversize = true;
    row.bodySize = result.seen;
    row.responseStatus = 413;
    row.responseRev = null;
    if (!drain.admit(res)) return sendShuttingDown(req, res);
    const seq = await opts.writer.enqueue(row).catch(() => null);
    countRejection("oversize");
    log(opts, row, 413, startHr, seq);
    return sendError(req, res, 413, "PAYLOAD_TOO_LARGE", tooLarge(max));
  }
  row.body = result.body;
  row.bodySize = result.body.length;
  // node fills rawTrailers once the body has ended (chunked bodies only).
  if (req.rawTrailers.length > 0) row.trailers = headerPairs(req.rawTrailers);
  // Rules read the request as stored, so "Try against capture" answers as the live request was:
  // node's req.headers would drop a `__proto__` header and answer `constructor` with Object.
  const live = storedRequest(row.method, row.headers, row.query, result.body, row.path);
  // Rules are compiled once per settings revision; a preflight is always answered as one.
  const compiled = isPreflight(live) ? null : compiledRulesFor(endpoint.id, endpoint.responseRev, endpoint.rules);
  const matched = compiled ? matchRule(compiled, live) : null;
  let applied: AppliedRule | null = null;
  if (matched) {
    try {
      applied = { rule: matched.rule, failure: await decideFailure(endpoint.id, matched.rule, live) };
    } catch {
      countRejection("database_unavailable");
      return sendError(req, res, 503, "DATABASE_UNAVAILABLE", "Storage is unavailable; the request was not stored. Retry later.", {
        "Retry-After": String(RETRY_AFTER_SECONDS),
      });
    }
  }
  // Zoom's and X's handshakes are answered with an HMAC keyed by the endpoint's secret of that scheme, looked up only for them.
  let token: string | null = null;
  const secretHandshake = applied || !endpoint.response.handshakes || isPreflight(live) ? null : secretHandshakeOf(live);
  if (secretHandshake) {
    const secret = await handshakeSecret(endpoint.id, secretHandshake.kind).catch(() => null);
    if (secret !== null) {
      token = secretHandshake.kind === "zoom" ? zoomToken(secret, secretHandshake.challenge) : xToken(secret, secretHandshake.challenge);
    }
  }
  let answer = configuredAnswer(live, endpoint.response, row.id, applied, () => token);
  row.responseStatus = answer.status;
  row.responseRule = applied?.rule.id ?? null;
  row.responseFailure = applied?.failure ?? null;

  if (!drain.admit(res)) return sendShuttingDown(req, res);
  let seq: number | null;
  try {
    seq = await opts.writer.enqueue(row);
  } catch {
    reading.holder?.release();
    countRejection("database_unavailable");
    log(opts, row, 503, startHr);
    return sendError(req, res, 503, "DATABASE_UNAVAILABLE", "Storage is unavailable; the request was not stored. Retry later.", {
      "Retry-After": String(RETRY_AFTER_SECONDS),
    });
  }
  reading.holder?.release();
  if (seq === null) {
    countRejection("not_found"); // deleted while the request was in flight
    return sendError(req, res, 404, "NOT_FOUND", "No endpoint has this capture URL.");
  }
  if (token !== null && answer.handshake !== null) {
    await recordHandshakeToken(row.id, token).catch((e: unknown) => {
      logJson("error", "could not record a handshake token", { captureId: row.id, error: String(e) });
    });
  }
  // Templates read the capture's seq, known only now that it is stored (the status is never a template).
  if (matched?.templates && applied && !ruleAnswerFailed(applied)) {
    const rendered = renderRule(matched, templateVars(live, row.id, seq, `${row.receivedAt.slice(0, 23)}Z`));
    if (rendered.ok) {
      answer = configuredAnswer(live, endpoint.response, row.id, { ...applied, rule: rendered.rule });
    } else {
      // A template error or limit: the endpoint's own answer goes, and the capture says why.
      answer = configuredAnswer(live, endpoint.response, row.id, null);
      row.responseStatus = answer.status;
      await recordRuleError(row.id, answer.status, rendered.error).catch((e: unknown) => {
        logJson("error", "could not record a template error", { captureId: row.id, error: String(e) });
      });
    }
  }
  countCapture(row.bodySize);
  log(opts, row, row.responseStatus, startHr, seq);

  const delay = answer.delayMs;
  if (delay > 0) {
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, delay);
      res.once("close", () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
  // Failure on purpose: the request is stored (committed above), and the provider sees the connection drop.
  if (answer.close) return void req.socket.destroy();
  sendConfigured(res, answer);
}

/**
 * What a matched rule's failure on purpose does to this request. First-N counts the delivery in
 * Postgres (one atomic upsert, shared by replicas) before the capture is stored; rejects when the
 * database cannot be reached.
 */
async function decideFailure(endpointId: string, rule: TResponseRule, req: RuleRequest): Promise<TAppliedFailure | null> {
  const f = rule.failure;
  if (f === null) return null;
  switch (f.mode) {
    case "percentage":
      return { mode: "percentage", percent: f.percent, failed: Math.random() * 100 < f.percent };
    case "firstN": {
      const key = eventKeyOf(f.key, req);
      if (key === null) return { mode: "firstN", key: null, delivery: null, count: f.count, failed: false };
      const delivery = await countRuleDelivery(endpointId, rule.id, key);
      return { mode: "firstN", key, delivery, count: f.count, failed: delivery <= f.count };
    }
    case "slow":
      return { mode: "slow", delayMs: f.delayMs };
    case "close":
      return { mode: "close" };
  }
}

/**
 * 429 with Retry-After (whole seconds until a token is back). Not stored: recording every
 * refused request would be the very write load the limit exists to stop.
 */
function sendRateLimited(req: IncomingMessage, res: ServerResponse, v: Exclude<RateLimitVerdict, { ok: true }>): void {
  countRejection(v.scope === "client" ? "rate_limited_client" : "rate_limited_endpoint");
  const who = v.scope === "client" ? "from your address" : "to this endpoint";
  sendError(req, res, 429, "RATE_LIMITED", `Too many requests ${who}; retry in ${v.retryAfterSeconds} s. This request was not stored.`, {
    "Retry-After": String(v.retryAfterSeconds),
  });
}

/**
 * One JSON line per stored (or refused-but-recorded) capture when LOG_CAPTURES is on: ids, size
 * and timing, never the body or header values. `durationUs` is arrival to the last body byte (the
 * stored duration_us, at most MAX_DURATION_US; a pipelined request's includes its wait for the
 * answers ahead of it); `storedUs` is arrival to COMMIT (the answer follows, after any delay).
 */
function log(opts: CaptureHandlerOptions, row: NewCapture, status: number, startHr: bigint, seq?: number | null): void {
  if (!opts.logCaptures) return;
  logJson("info", "capture", {
    captureId: row.id,
    endpointId: row.endpointId,
    seq: seq ?? undefined,
    method: row.method,
    bytes: row.bodySize,
    status,
    durationUs: row.durationUs,
    storedUs: Number((process.hrtime.bigint() - startHr) / 1000n),
  });
}
