// What `hookscope forward` says about each capture: the line it prints per try, and the `cli`
// delivery it records on the server so the dashboard shows the local target's answer.
import type { TSignatureScheme } from "../shared/validation/signatures";
import type { CliResponse } from "./http";
import { ApiError, sleep, type FullCapture, type ServerApi } from "./server-api";
import type { CliIo } from "./types";

/** What went out for one capture (after re-signing, if asked for). */
export interface SentRequest {
  capture: FullCapture;
  url: string;
  headers: [string, string][];
  body: Buffer;
  resignedScheme: TSignatureScheme | null;
}

/** One try: the target's answer, or why there was none. */
export interface TryOutcome {
  attempt: number;
  res: CliResponse | null;
  error: { code: string; message: string } | null;
  durationMs: number;
}

export function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

/** `#12 POST /orders → 200 OK 31 ms`: the printed line for one try (the caller adds what happens next). */
export function answerLine({ capture, resignedScheme }: SentRequest, { res, error, durationMs }: TryOutcome): string {
  const target = `${capture.method} ${capture.path || "/"}${capture.query !== null ? `?${capture.query}` : ""}`;
  const resigned = resignedScheme ? ` (re-signed, ${resignedScheme})` : "";
  return `#${capture.seq} ${target} → ${res ? `${res.status} ${res.statusText}` : `✗ ${error!.message}`} ${Math.round(durationMs)} ms${resigned}`;
}

/** Records one try as a `cli` delivery (callers report the first failure and the outcome, not every retry of an outage). */
export async function reportDelivery(
  api: ServerApi,
  io: CliIo,
  signal: AbortSignal | undefined,
  sent: SentRequest,
  { attempt, res, error, durationMs }: TryOutcome,
  willRetry: boolean,
): Promise<void> {
  const payload = {
    method: sent.capture.method,
    url: sent.url,
    headers: sent.headers,
    bodySize: sent.body.length,
    resignedScheme: sent.resignedScheme,
    attempt,
    willRetry,
    response: res
      ? {
          status: res.status,
          statusText: res.statusText,
          headers: res.headers,
          bodyBase64: res.body.toString("base64"),
          size: res.size,
          truncated: res.size > res.body.length,
        }
      : null,
    error,
    durationMs,
  };
  let body: object = payload;
  for (let tries = 0; tries < 5 && !signal?.aborted; tries++) {
    try {
      await api(`/api/captures/${sent.capture.id}/deliveries`, { method: "POST", body: JSON.stringify(body) });
      return;
    } catch (e) {
      const status = e instanceof ApiError ? e.status : undefined;
      if (status === 404) return;
      // A server older than this CLI refuses the fields it does not know: report without them, once.
      if (status === 400 && body === payload) {
        const { attempt: _a, willRetry: _w, ...older } = payload;
        body = older;
        continue;
      }
      if (status !== undefined && status < 500) return io.err(`  the server refused the report (${(e as Error).message})`);
      await sleep(Math.min(500 * 2 ** tries, 5_000), signal);
    }
  }
}
