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
  /** POST or PATCH /api/endpoints with an alias another endpoint has (or is the slug of), without that endpoint's key. */
  ALIAS_TAKEN: 409,
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
