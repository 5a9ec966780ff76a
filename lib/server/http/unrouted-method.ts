// Method tokens that Next routes to no handler (PROPFIND, MKCOL, …: anything but the seven a
// route file can export) get an empty 400 from Next before any route code runs, so no route can
// answer them. server.ts answers them here instead, as a route would answer a method it does not
// serve: 405 with Allow and the envelope, or 404 when no route serves the path. The route table
// is the API's operation list (lib/shared/openapi), which test/openapi.test.ts keeps equal to the
// route files' exports.
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { OPERATIONS } from "@/lib/shared/openapi/operations";
import { allowHeader, methodNotAllowedMessage, ROUTE_METHODS } from "./method-not-allowed";
import { writeErrorEnvelope } from "./node-response";

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

/** The Allow value of the API route serving `pathname`; null when no route file serves it. */
export function allowedMethods(pathname: string): string | null {
  const route = routeTable()
    .filter((r) => r.pattern.test(pathname))
    .sort((a, b) => b.literals - a.literals)[0];
  return route ? allowHeader(route.methods) : null;
}

/** Whether Next would route `method` to a handler at all. */
export function isRoutedMethod(method: string): boolean {
  return (ROUTE_METHODS as readonly string[]).includes(method);
}

/** Answers an /api request whose method token no route can serve. */
export function answerUnroutedMethod(req: IncomingMessage, res: ServerResponse): void {
  const method = req.method ?? "";
  const pathname = (req.url ?? "/").split("?")[0]!;
  const allow = allowedMethods(pathname);
  const noStore = { "Cache-Control": "no-store" };
  if (!allow) return writeErrorEnvelope(res, 404, "NOT_FOUND", `There is no API route ${method} ${pathname}.`, noStore);
  writeErrorEnvelope(res, 405, "METHOD_NOT_ALLOWED", methodNotAllowedMessage(method, pathname, allow), { ...noStore, Allow: allow });
}
