// The answer for a method an API route does not serve: 405 with Allow (RFC 9110) and the error
// envelope. Next answers such a method with an empty 405 of its own, so every route file exports
// handlers for the methods it leaves out, from otherMethods:
//   export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
// Method tokens Next routes to no handler at all (PROPFIND) never reach a route: server.ts answers
// those (unrouted-method.ts).
import "server-only";
import { AppError } from "@/lib/shared/errors/app-error";
import { errorResponse } from "./respond";

/** The methods a Next route file can export (Next's HTTP_METHODS); any other token never reaches one. */
export const ROUTE_METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
export type TRouteMethod = (typeof ROUTE_METHODS)[number];

/** The Allow value for a route serving `served`: Next adds HEAD where there is GET, and OPTIONS everywhere. */
export function allowHeader(served: Iterable<string>): string {
  const allow = new Set(served);
  if (allow.has("GET")) allow.add("HEAD");
  allow.add("OPTIONS");
  return [...allow].sort().join(", ");
}

/** The 405 message: what was asked, and what the route answers instead. */
export function methodNotAllowedMessage(method: string, pathname: string, allow: string): string {
  return `${pathname} does not answer ${method}; it answers ${allow}.`;
}

type RouteHandler = (req: Request) => Promise<Response>;
/** Every route method but the served ones (and HEAD where GET is served: Next answers it with GET). */
type OtherMethods<S extends TRouteMethod> = Record<Exclude<TRouteMethod, S | ("GET" extends S ? "HEAD" : never)>, RouteHandler>;

/**
 * Handlers for the methods a route file does not serve: 405 with Allow and the envelope, and
 * OPTIONS answering 204 with the same Allow (Next's own OPTIONS would count these handlers as served).
 */
export function otherMethods<S extends Exclude<TRouteMethod, "HEAD" | "OPTIONS">>(served: readonly S[]): OtherMethods<S> {
  const allow = allowHeader(served);
  const refuse: RouteHandler = async (req) => {
    const res = errorResponse(new AppError("METHOD_NOT_ALLOWED", methodNotAllowedMessage(req.method, new URL(req.url).pathname, allow)));
    res.headers.set("Allow", allow);
    return res;
  };
  const out: Partial<Record<TRouteMethod, RouteHandler>> = {
    OPTIONS: async () => new Response(null, { status: 204, headers: { Allow: allow } }),
  };
  for (const m of ROUTE_METHODS) {
    if (m === "OPTIONS" || (served as readonly string[]).includes(m) || (m === "HEAD" && served.includes("GET" as S))) continue;
    out[m] = refuse;
  }
  return out as OtherMethods<S>;
}
