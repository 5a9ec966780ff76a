// The one error type the API throws; route handlers turn it into { error: { code, message } }.
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  /** A cookie-authenticated write the browser reports as coming from another site (or origin). */
  CROSS_SITE_REQUEST: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  /** The process is stopping (SIGTERM); the same request succeeds on a replica or after the restart. */
  SHUTTING_DOWN: 503,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

/** Retry-After (seconds) sent with these errors, so clients know that trying again is the answer. */
export const RETRY_AFTER_SECONDS: Partial<Record<TErrorCode, number>> = { DATABASE_UNAVAILABLE: 5, SHUTTING_DOWN: 2 };

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: TErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export interface TErrorBody {
  error: { code: TErrorCode; message: string; details?: unknown };
}

export function errorBody(code: TErrorCode, message: string, details?: unknown): TErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

const SOCKET_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)$/;
/** Prisma driver-adapter error kinds for a database that is down, restarting or full. */
const UNAVAILABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (shutting down|starting up)|Can't reach database server/i;

function unavailableCode(code: unknown): boolean {
  if (typeof code !== "string") return false;
  // Socket errors and Postgres' connection exception, operator intervention and too-many-connections classes.
  if (SOCKET_CODES.test(code) || code.startsWith("08") || code.startsWith("57P") || code === "53300") return true;
  // Prisma's codes for an unreachable server, a closed connection and a pool timeout.
  return code === "P1001" || code === "P1017" || code === "P2024";
}

/** A driver-adapter error description: `{ kind, originalCode?, code? }` (kind "postgres" carries the SQLSTATE in code). */
function unavailableAdapterCause(cause: unknown): boolean {
  if (typeof cause !== "object" || cause === null) return false;
  const c = cause as { kind?: unknown; code?: unknown; originalCode?: unknown };
  return (
    (typeof c.kind === "string" && UNAVAILABLE_KINDS.has(c.kind)) ||
    unavailableCode(c.originalCode) ||
    (c.kind === "postgres" && unavailableCode(c.code))
  );
}

/**
 * True for errors that mean "the database cannot be reached right now": pg and socket errors,
 * and Prisma errors wrapping them. Prisma reports a refused connection as P1001 for model
 * queries but as P2010 ("raw query failed") for $queryRaw, with the adapter's reason only in
 * meta.driverAdapterError, so that is looked at too, as is the `cause` chain.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    if (unavailableCode((e as { code?: unknown }).code)) return true;
    const meta = (e as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta;
    if (unavailableAdapterCause(meta?.driverAdapterError?.cause)) return true;
    if (UNAVAILABLE_MESSAGE.test(e.message)) return true;
    if (unavailableAdapterCause(e.cause)) return true;
    e = e.cause;
  }
  return false;
}
