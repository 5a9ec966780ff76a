// The Hookscope server's API as `hookscope forward` and `hookscope replay` use it: JSON over fetch with the management
// key, errors as the server worded them (its `{ error: { message } }` envelope) with the status.
import { bodyPreviewBytes } from "../shared/format/body-preview";

/** A capture in the live stream and the list API. */
export interface CaptureSummary {
  id: string;
  seq: number;
  method: string;
  path: string;
  query: string | null;
  /** The provider's event type ("invoice.paid", "push"), or null; absent from older servers. */
  eventType?: string | null;
}

/** A capture as GET /api/captures/:id returns it: the body's first 256 KiB, the rest at bodyUrl. */
export interface FullCapture extends CaptureSummary {
  endpointId: string;
  headers: [string, string][];
  body: { encoding: "utf8" | "base64"; data: string };
  bodyTruncated: boolean;
  bodyUrl: string;
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

export type ServerApi = (<T>(path: string, init?: RequestInit) => Promise<T>) & {
  /** GET a path's raw bytes (a capture's body route). */
  bytes: (path: string) => Promise<Buffer>;
};

async function refusal(r: Response): Promise<ApiError> {
  let message = await r.text();
  try {
    message = (JSON.parse(message) as { error: { message: string } }).error.message;
  } catch {
    // not our envelope
  }
  return new ApiError(r.status, message);
}

export function createServerApi(origin: string, key: string, signal?: AbortSignal): ServerApi {
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const r = await fetch(`${origin}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, ...(init.body ? { "content-type": "application/json" } : {}) },
      signal,
    });
    if (!r.ok) throw await refusal(r);
    const text = await r.text();
    return (text ? JSON.parse(text) : null) as T;
  };
  const bytes = async (path: string): Promise<Buffer> => {
    const r = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${key}` }, signal });
    if (!r.ok) throw await refusal(r);
    return Buffer.from(await r.arrayBuffer());
  };
  return Object.assign(call, { bytes });
}

/** A capture and its exact body: the detail carries the first 256 KiB; a bigger body is fetched from its body route. */
export async function loadCapture(api: ServerApi, id: string): Promise<{ capture: FullCapture; body: Buffer }> {
  const capture = await api<FullCapture>(`/api/captures/${encodeURIComponent(id)}`);
  const body = capture.bodyTruncated ? await api.bytes(capture.bodyUrl) : Buffer.from(bodyPreviewBytes(capture.body));
  return { capture, body };
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
