// Response helpers for /api route handlers: one JSON shape for data, one envelope for errors.
import "server-only";
import { z } from "zod";
import { isDatabaseUnavailable } from "@/lib/server/db/unavailable";
import { logJson } from "@/lib/server/observability/log";
import { AppError, errorBody, RETRY_AFTER_SECONDS } from "@/lib/shared/errors/app-error";

const NO_STORE = { "Cache-Control": "no-store" };

export function json<T>(data: T, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(NO_STORE)) if (!headers.has(k)) headers.set(k, v);
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(data), { ...init, headers });
}

export function noContent(init: ResponseInit = {}): Response {
  return new Response(null, { ...init, status: 204 });
}

/** Turns anything thrown in a handler into the error envelope; unknown errors are logged, not shown. */
export function errorResponse(e: unknown): Response {
  if (e instanceof AppError) {
    const headers: Record<string, string> = {};
    // After a 413 the rest of the body may still be on its way: do not reuse the connection.
    if (e.code === "PAYLOAD_TOO_LARGE") headers.Connection = "close";
    const retryAfter = RETRY_AFTER_SECONDS[e.code];
    if (retryAfter !== undefined) headers["Retry-After"] = String(retryAfter);
    return json(errorBody(e.code, e.message, e.details), { status: e.status, headers });
  }
  if (isDatabaseUnavailable(e)) {
    return json(errorBody("DATABASE_UNAVAILABLE", "The database is unavailable; try again shortly."), {
      status: 503,
      headers: { "Retry-After": String(RETRY_AFTER_SECONDS.DATABASE_UNAVAILABLE) },
    });
  }
  logJson("error", "unhandled API error", { error: String(e instanceof Error ? e.stack : e) });
  return json(errorBody("INTERNAL", "Something went wrong on our side."), { status: 500 });
}

/** Wraps a route handler so every failure becomes the error envelope. */
export function handle<A extends unknown[]>(fn: (...args: A) => Promise<Response>): (...args: A) => Promise<Response> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message))
    .join("; ");
}

/**
 * Largest JSON request body read, in bytes. The biggest valid settings (256 Ki-character
 * response body, 50 headers of 8 KiB) stay under about 2.5 MiB even fully escaped; anything
 * larger is refused before it is buffered, because these routes are reachable without a key.
 */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Past the limit, up to this many further bytes are read and thrown away (memory stays flat)
 * so that a client still sending its body finishes and reads the 413: a server that stops
 * reading leaves such a client blocked until the connection is reset, and it never sees why.
 * A body bigger still is cut off.
 */
const DISCARD_BYTES = 64 * 1024 * 1024;

const TOO_LARGE = () => new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_JSON_BODY_BYTES / 1024 / 1024} MiB.`);

/** The body as text, refusing (413) more than MAX_JSON_BODY_BYTES whether declared or streamed. */
async function readBodyText(req: Request): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_JSON_BODY_BYTES + DISCARD_BYTES) throw TOO_LARGE();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_JSON_BODY_BYTES + DISCARD_BYTES) {
      await reader.cancel().catch(() => {});
      throw TOO_LARGE();
    }
    if (size <= MAX_JSON_BODY_BYTES && declared <= MAX_JSON_BODY_BYTES) chunks.push(value);
  }
  if (size > MAX_JSON_BODY_BYTES || declared > MAX_JSON_BODY_BYTES) throw TOO_LARGE();
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Reads and validates a JSON body: 415 without a JSON Content-Type, 413 when too large, 400
 * with the field messages on failure. With `allowEmpty`, no body at all (any or no
 * Content-Type) validates `{}`, for requests whose fields are all optional.
 */
export async function parseJson<T extends z.ZodType>(req: Request, schema: T, opts: { allowEmpty?: boolean } = {}): Promise<z.output<T>> {
  const type = req.headers.get("content-type") ?? "";
  const isJson = /^application\/json\b/i.test(type);
  if (!isJson && !opts.allowEmpty) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send a JSON body with Content-Type: application/json.");
  const text = await readBodyText(req);
  if (opts.allowEmpty && !text.trim()) return parseWith(schema, {});
  if (!isJson) throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send a JSON body with Content-Type: application/json.");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new AppError("BAD_REQUEST", "The request body is not valid JSON.");
  }
  return parseWith(schema, raw);
}

/** Validates search params (first value of each name). */
export function parseQuery<T extends z.ZodType>(req: Request, schema: T): z.output<T> {
  const params = Object.fromEntries(new URL(req.url).searchParams.entries());
  return parseWith(schema, params);
}

export function parseWith<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("BAD_REQUEST", describeIssues(parsed.error), {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
    });
  }
  return parsed.data;
}
