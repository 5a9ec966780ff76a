// The Hookscope server's API as `hookscope forward` uses it: JSON over fetch with the management
// key, errors as the server worded them (its `{ error: { message } }` envelope) with the status.
/** A capture in the live stream and the list API. */
export interface CaptureSummary {
  id: string;
  seq: number;
  method: string;
  path: string;
  query: string | null;
}

/** A capture as GET /api/captures/:id returns it. */
export interface FullCapture extends CaptureSummary {
  headers: [string, string][];
  body: { base64: string };
}

/** The server answered with an error; `status` tells a refusal (4xx) from an outage (5xx). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(`${status}: ${message}`);
  }
}

export type ServerApi = <T>(path: string, init?: RequestInit) => Promise<T>;

export function createServerApi(origin: string, key: string, signal?: AbortSignal): ServerApi {
  return async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const r = await fetch(`${origin}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.body ? { "content-type": "application/json" } : {}) },
      signal,
    });
    const text = await r.text();
    if (!r.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        // not our envelope
      }
      throw new ApiError(r.status, message);
    }
    return (text ? JSON.parse(text) : null) as T;
  };
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
