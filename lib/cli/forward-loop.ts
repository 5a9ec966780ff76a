// The sending half of `hookscope forward`: captures wait in a queue and go to the local target one
// at a time, in seq order, so the handler sees them in the order they arrived. While the target is
// down (no answer, 5xx or 429) the capture is retried with backoff and the ones after it wait; a
// 4xx is the target's answer and is not retried. Once the target answered (or --max-attempts ran
// out) the capture's seq goes to the state file (./forward-state) before the line is printed, so a
// restarted CLI never sends it again.
import { forwardableHeaders, forwardUrl } from "../shared/delivery/forward-request";
import { resignRequest, ResignError } from "../shared/signatures/resign";
import { SecretFormatError } from "../shared/signatures/types";
import type { TSecretScheme, TSignatureScheme } from "../shared/validation/signatures";
import { writeCursor, type ForwardCursor } from "./forward-state";
import { sendRequest, type CliResponse } from "./http";
import { answerLine, reportDelivery, seconds, type SentRequest, type TryOutcome } from "./report";
import { ApiError, loadCapture, sleep, type CaptureSummary, type FullCapture, type ServerApi } from "./server-api";
import type { CliIo } from "./types";

/** Captures held in memory while the target is down; past this the stream pauses (its cursor is enough to resume). */
export const MAX_BACKLOG = 1000;

/** Thrown to leave the stream when the backlog is full; it reconnects from the cursor once the backlog drains. */
export class BacklogFull extends Error {}

export interface ForwardLoopOptions {
  api: ServerApi;
  io: CliIo;
  to: string;
  timeoutMs: number;
  /** Re-sign every request with this secret before sending. */
  resign?: { scheme: TSecretScheme; secret: string };
  /** Tries per capture while the target is down; undefined keeps trying. */
  maxAttempts?: number;
  /** Retry delay bounds while the target is down (default 1 s doubling to 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Where the last handled seq is kept. */
  stateFile: string;
  cursor: ForwardCursor;
  signal?: AbortSignal;
}

/** No answer, 429 or 5xx: the target is down or overloaded, so the same capture is tried again. */
function shouldRetry(res: CliResponse | null): boolean {
  return res === null || res.status === 429 || res.status >= 500;
}

export class ForwardLoop {
  private readonly queue: CaptureSummary[] = [];
  private waker: (() => void) | null = null;
  /** Resolves the paused stream once the backlog has room again. */
  private drained: (() => void) | null = null;

  constructor(private readonly opts: ForwardLoopOptions) {}

  get length(): number {
    return this.queue.length;
  }

  /** Queues a capture; throws BacklogFull (queuing nothing) when the backlog is full. */
  enqueue(s: CaptureSummary): void {
    if (this.queue.length >= MAX_BACKLOG) throw new BacklogFull();
    this.queue.push(s);
    this.waker?.();
  }

  /** Resolves once the backlog is at most half full (or the forward stops). */
  async waitForRoom(): Promise<void> {
    if (this.queue.length <= MAX_BACKLOG / 2) return;
    await new Promise<void>((r) => {
      this.drained = r;
      this.opts.signal?.addEventListener("abort", () => r(), { once: true });
    });
    this.drained = null;
  }

  /** Sends queued captures until the signal aborts; call wake() after aborting to let it return. */
  async run(): Promise<void> {
    const { signal } = this.opts;
    while (!signal?.aborted) {
      const next = this.queue[0];
      if (!next) {
        await new Promise<void>((r) => {
          this.waker = r;
          signal?.addEventListener("abort", () => r(), { once: true });
        });
        this.waker = null;
        continue;
      }
      if (!(await this.forwardOne(next))) break;
      this.queue.shift();
      if (this.queue.length <= MAX_BACKLOG / 2) this.drained?.();
    }
  }

  wake(): void {
    this.waker?.();
  }

  /** Fetches the capture and sends it until the target answers. False when stopped first (not handled: a restart sends it again). */
  private async forwardOne(s: CaptureSummary): Promise<boolean> {
    const { api, io, signal } = this.opts;
    let capture: FullCapture;
    let body: Buffer;
    for (let tries = 0; ; tries++) {
      try {
        ({ capture, body } = await loadCapture(api, s.id));
        break;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          io.err(`  #${s.seq} was deleted before it could be forwarded`);
          return true;
        }
        if (signal?.aborted) return false;
        // The server is restarting: try again shortly.
        await sleep(Math.min(500 * 2 ** tries, 5_000), signal);
      }
    }
    const { sent, resignError } = this.prepare(capture, body);
    const report = (outcome: TryOutcome, willRetry: boolean) => reportDelivery(api, io, signal, sent, outcome, willRetry);

    for (let attempt = 1; ; attempt++) {
      const outcome = await this.tryOnce(sent, attempt, resignError);
      const answer = answerLine(sent, outcome);
      const again = !resignError && shouldRetry(outcome.res);
      if (again && (this.opts.maxAttempts === undefined || attempt < this.opts.maxAttempts)) {
        const base = Math.min(this.opts.retryMaxMs ?? 30_000, (this.opts.retryBaseMs ?? 1_000) * 2 ** (attempt - 1));
        // Jitter (50–100 % of the step), so many CLIs behind one restarted target do not retry in step.
        const wait = Math.round(base / 2 + (Math.random() * base) / 2);
        io.out(`${answer}; target ${outcome.res ? "failing" : "down"}, retry ${attempt} in ${seconds(wait)}`);
        if (attempt === 1) await report(outcome, true);
        await sleep(wait, signal);
        if (signal?.aborted) return false;
        continue;
      }
      // Handled: remember it before saying so, so a restart never sends it again.
      await writeCursor(this.opts.stateFile, this.opts.cursor, capture.seq).catch((e: Error) =>
        io.err(`  could not save the resume point: ${e.message}`),
      );
      io.out(again ? `${answer}; giving up after ${attempt} attempts (--max-attempts)` : answer);
      await report(outcome, false);
      return true;
    }
  }

  /** The request for the target: the capture's path, query, headers and bytes, re-signed when asked. */
  private prepare(capture: FullCapture, body: Buffer): { sent: SentRequest; resignError: TryOutcome["error"] } {
    let url = forwardUrl(this.opts.to, capture.path, capture.query);
    let headers = forwardableHeaders(capture.headers);
    let resignedScheme: TSignatureScheme | null = null;
    if (this.opts.resign) {
      try {
        const signed = resignRequest({ method: capture.method, url, headers, body }, this.opts.resign);
        ({ url, headers } = signed);
        resignedScheme = signed.scheme;
      } catch (e) {
        if (!(e instanceof ResignError || e instanceof SecretFormatError)) throw e;
        // Like the server's forward worker: not sent unsigned when re-signing was asked for.
        const resignError = { code: "resign_failed", message: `Not sent: re-signing failed. ${e.message}` };
        return { sent: { capture, url, headers, body, resignedScheme }, resignError };
      }
    }
    return { sent: { capture, url, headers, body, resignedScheme }, resignError: null };
  }

  private async tryOnce(sent: SentRequest, attempt: number, resignError: TryOutcome["error"]): Promise<TryOutcome> {
    const started = performance.now();
    let res: CliResponse | null = null;
    let error = resignError;
    if (!error) {
      try {
        res = await sendRequest({
          method: sent.capture.method,
          url: sent.url,
          headers: sent.headers,
          body: sent.body,
          timeoutMs: this.opts.timeoutMs,
        });
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        error = { code: err.code === "ECONNREFUSED" ? "connect_failed" : "request_failed", message: err.message };
      }
    }
    return { attempt, res, error, durationMs: res?.durationMs ?? performance.now() - started };
  }
}
