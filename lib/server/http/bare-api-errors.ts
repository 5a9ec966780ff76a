// Next answers some /api requests itself, with a status and no body: 405 for a method the route
// file does not export (PUT /api/endpoints), 400 for a method token it does not route at all
// (PROPFIND). Every API error carries the { error: { code, message } } envelope, so server.ts
// hands each /api response through fillBareApiErrors, which gives such a bodiless error the
// envelope and, for a method, the Allow header RFC 9110 asks of a 405. The allowed methods come
// from lib/shared/openapi/operations.ts, which test/openapi.test.ts keeps equal to the route files'
// exports, so no route needs a handler of its own for the methods it does not serve.
import "server-only";
import http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { OPERATIONS } from "@/lib/shared/openapi/operations";
import { ERROR_STATUS, errorBody, type TErrorCode } from "@/lib/shared/errors/app-error";

/** The methods Next's route handlers can export; any other token never reaches a handler. */
const ROUTED_METHODS = new Set(["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]);

interface RouteShape {
  pattern: RegExp;
  /** Literal segments: Next prefers /api/endpoints/by-slug/{slug} over /api/endpoints/{id}/…. */
  literals: number;
  methods: Set<string>;
}

let routes: RouteShape[] | undefined;

function routeTable(): RouteShape[] {
  if (routes) return routes;
  const byPath = new Map<string, Set<string>>();
  for (const op of OPERATIONS) {
    const set = byPath.get(op.path) ?? new Set<string>();
    set.add(op.method.toUpperCase());
    byPath.set(op.path, set);
  }
  routes = [...byPath].map(([path, methods]) => {
    const segments = path.split("/").filter(Boolean);
    const source = segments.map((s) => (/^\{\w+\}$/.test(s) ? "[^/]+" : s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("/");
    return { pattern: new RegExp(`^/${source}/?$`), literals: segments.filter((s) => !s.startsWith("{")).length, methods };
  });
  return routes;
}

/**
 * The methods the API route at `pathname` answers, as an Allow header value (Next adds HEAD
 * where there is GET, and OPTIONS everywhere); null when no route file serves the path.
 */
export function allowedMethods(pathname: string): string | null {
  const route = routeTable()
    .filter((r) => r.pattern.test(pathname))
    .sort((a, b) => b.literals - a.literals)[0];
  if (!route) return null;
  const allow = new Set(route.methods);
  if (allow.has("GET")) allow.add("HEAD");
  allow.add("OPTIONS");
  return [...allow].sort().join(", ");
}

export interface BareErrorAnswer {
  status: number;
  code: TErrorCode;
  message: string;
  allow?: string;
}

/** What a bodiless error from Next for `method pathname` becomes. */
export function bareErrorAnswer(method: string, pathname: string, status: number): BareErrorAnswer {
  const methodProblem = status === 405 || (status === 400 && !ROUTED_METHODS.has(method));
  if (methodProblem) {
    const allow = allowedMethods(pathname);
    if (!allow) return { status: 404, code: "NOT_FOUND", message: `There is no API route ${method} ${pathname}.` };
    return { status: 405, code: "METHOD_NOT_ALLOWED", message: `${pathname} does not answer ${method}; it answers ${allow}.`, allow };
  }
  const code =
    (Object.keys(ERROR_STATUS) as TErrorCode[]).find((c) => ERROR_STATUS[c] === status) ?? (status >= 500 ? "INTERNAL" : "BAD_REQUEST");
  return { status, code, message: `The request failed: ${status} ${http.STATUS_CODES[status] ?? "error"}.` };
}

function isEmptyChunk(chunk: unknown): boolean {
  return chunk == null || typeof chunk === "function" || ((typeof chunk === "string" || chunk instanceof Uint8Array) && chunk.length === 0);
}

/**
 * Watches one /api response: an error status (4xx/5xx) whose headers go out with no
 * Content-Type is one of Next's bare answers (every handler of ours sends JSON), so it gets the
 * envelope (and Allow, for a method) instead. Next may flush those headers with an empty write
 * before it ends the response, so the headers are fixed where they are written and the body is
 * added at the end. Anything else passes through untouched.
 */
export function fillBareApiErrors(req: IncomingMessage, res: ServerResponse): void {
  let answer: BareErrorAnswer | null = null;
  let wroteBytes = false;
  const bare = () => res.statusCode >= 400 && !res.hasHeader("content-type");
  const body = () => JSON.stringify(errorBody(answer!.code, answer!.message));
  const prepare = (withLength: boolean) => {
    answer = bareErrorAnswer(req.method ?? "GET", (req.url ?? "/").split("?")[0]!, res.statusCode);
    res.statusCode = answer.status;
    res.statusMessage = http.STATUS_CODES[answer.status] ?? "";
    if (answer.allow) res.setHeader("Allow", answer.allow);
    res.setHeader("Content-Type", "application/json; charset=utf-8");
    res.setHeader("Cache-Control", "no-store");
    res.removeHeader("Content-Length");
    if (withLength && req.method !== "HEAD") res.setHeader("Content-Length", Buffer.byteLength(body()));
  };

  const writeHead = res.writeHead as (...a: unknown[]) => ServerResponse;
  const write = res.write as (...a: unknown[]) => boolean;
  const end = res.end as (...a: unknown[]) => ServerResponse;
  // node calls writeHead(statusCode) itself when a write or flushHeaders sends the headers.
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (args.length === 1 && typeof args[0] === "number" && !answer) {
      res.statusCode = args[0];
      if (bare()) {
        prepare(false);
        args[0] = res.statusCode;
      }
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    if (!isEmptyChunk(args[0])) wroteBytes = true;
    return write.apply(this, args);
  } as ServerResponse["write"];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (isEmptyChunk(args[0]) && !wroteBytes) {
      if (!res.headersSent && bare()) prepare(true);
      if (answer) {
        const callback = args.find((a) => typeof a === "function") as (() => void) | undefined;
        return req.method === "HEAD" ? end.call(this, callback) : end.call(this, body(), "utf8", callback);
      }
    }
    return end.apply(this, args);
  } as ServerResponse["end"];
}
