// Browser-side calls to the Hookscope API: one error type carrying the status, the API's code and
// its field issues, and responses re-parsed through the same zod schemas the server answers with.
import type { z } from "zod";

export interface TFieldIssue {
  path: string[];
  message: string;
}

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    /** HTTP status; 0 when the server could not be reached at all. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: TFieldIssue[] = [],
  ) {
    super(message);
  }
}

function isIssueList(v: unknown): v is TFieldIssue[] {
  return Array.isArray(v) && v.every((i) => typeof i === "object" && i !== null && Array.isArray(i.path) && typeof i.message === "string");
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's error page): the status alone has to do
  }
  const err = (body as { error?: { code?: unknown; message?: unknown; details?: { issues?: unknown } } } | null)?.error;
  const code = typeof err?.code === "string" ? err.code : `HTTP_${res.status}`;
  const message = typeof err?.message === "string" ? err.message : `The server answered ${res.status} ${res.statusText}.`;
  return new ApiError(res.status, code, message, isIssueList(err?.details?.issues) ? err.details.issues : []);
}

async function send(path: string, init: RequestInit = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { Accept: "application/json", ...init.headers }, cache: "no-store" });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, "NETWORK", "Can't reach the Hookscope server. Check your connection; this retries by itself.");
  }
  if (!res.ok) throw await toApiError(res);
  return res;
}

/** JSON request init for a body-carrying method. */
export function jsonBody(method: string, body: unknown): RequestInit {
  return { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

/** Calls the API and validates the answer with `schema`. */
export async function apiJson<T extends z.ZodType>(path: string, schema: T, init?: RequestInit): Promise<z.output<T>> {
  const res = await send(path, init);
  return schema.parse(await res.json());
}

/** Calls the API where only success matters (204 and the like). */
export async function apiCall(path: string, init?: RequestInit): Promise<void> {
  await send(path, init);
}

/** A sentence for the user: what went wrong, in words, for an error from these helpers (or anything else). */
export function describeError(e: unknown, what: "endpoint" | "capture" | "action" = "action"): string {
  if (e instanceof ApiError) {
    if ((e.status === 404 || e.status === 401) && what === "endpoint") {
      return "This endpoint doesn't exist or your browser doesn't hold its key. Open it from the browser that created it, or use a dashboard link that carries the key.";
    }
    if (e.status === 404 && what === "capture") return "This capture doesn't exist any more (it may have been deleted or cleared).";
    if (e.status === 503) return "The database is unavailable right now; try again in a few seconds.";
    return e.message;
  }
  return e instanceof Error ? e.message : "Something went wrong.";
}

/** A text answer (generated code), with the API's errors as ApiError. */
export async function apiText(path: string): Promise<string> {
  return (await send(path)).text();
}
