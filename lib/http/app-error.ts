// The one error type the API throws; route handlers turn it into { error: { code, message } }.
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
} as const;

export type TErrorCode = keyof typeof ERROR_STATUS;

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

/** True for errors that mean "the database cannot be reached right now". */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") {
    // Socket errors and Postgres' "cannot connect now"/admin shutdown classes (08xxx, 57Pxx).
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH)$/.test(code)) return true;
    if (code.startsWith("08") || code.startsWith("57P") || code === "53300") return true;
    // Prisma's adapter errors for lost connections.
    if (code === "P1001" || code === "P1017" || code === "P2024") return true;
  }
  const text = e.message;
  return /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection|the database system is (shutting down|starting up)/i.test(
    text,
  );
}
