// Runs replay runs in this process. A run is started by the request that created it and runs in
// the background: it pages through its pending sends (PAGE captures with their bodies at a time,
// so a 10,000-capture run holds one page in memory), sends up to `concurrency` at once in the
// order received (one at a time by default, so the order holds exactly), no faster than `rate`,
// each through sendOutgoing (the outgoing address policy, like resend), and records each answer
// with its check failures. Cancellation is a row state every replica sees: the runner reads it back
// with each send and stops. Runs live on globalThis (server.ts and Next's bundled route handlers
// load this module separately) so shutdown can stop them: a run cut off by a restart is marked
// interrupted (here on a clean stop, by its stale heartbeat after a crash), and "retry failed"
// sends what it had not sent. Runs are not resumed by themselves after a restart.
import "server-only";
import os from "node:os";
import { getSigningSecretForUse } from "@/lib/server/db/signing-secrets";
import {
  beatReplayRun,
  endReplayRun,
  pendingSends,
  recordReplaySend,
  type PendingSend,
  type SendResult,
} from "@/lib/server/db/replay-runs";
import { sendOutgoing, withDefaultUserAgent } from "@/lib/server/delivery/outgoing";
import { recordDelivery } from "@/lib/server/observability/delivery";
import { logJson } from "@/lib/server/observability/log";
import { forwardableHeaders } from "@/lib/shared/delivery/forward-request";
import { evaluateChecks, MAX_CHECKED_BODY_BYTES } from "@/lib/shared/replay/checks";
import { resignRequest, ResignError } from "@/lib/shared/signatures/resign";
import { SecretFormatError } from "@/lib/shared/signatures/types";
import type { TReplayRun } from "@/lib/shared/validation/replay";
import type { ResignWith } from "@/lib/server/delivery/deliver";

/** Captures (with bodies) read per page. */
const PAGE = 32;
const HEARTBEAT_MS = 5_000;

interface RunnerState {
  runs: Map<string, { abort: AbortController; done: Promise<void> }>;
}
const g = globalThis as typeof globalThis & { __hookscopeReplay?: RunnerState };
function state(): RunnerState {
  return (g.__hookscopeReplay ??= { runs: new Map() });
}

/** Who runs a run (for logs and the row): host:pid. */
export function runnerId(): string {
  return `${os.hostname()}:${process.pid}`;
}

/** Starts a created run in the background. */
export function startReplayRun(run: TReplayRun): void {
  const s = state();
  if (s.runs.has(run.id)) return;
  const abort = new AbortController();
  const done = execute(run, abort.signal)
    .catch(async (e: unknown) => {
      logJson("warn", "replay: run failed", { runId: run.id, error: e instanceof Error ? e.message : String(e) });
      await endReplayRun(run.id, "interrupted", `The run stopped on an error: ${e instanceof Error ? e.message : String(e)}`).catch(
        () => {},
      );
    })
    .finally(() => s.runs.delete(run.id));
  s.runs.set(run.id, { abort, done });
}

/** Aborts the sends of a run running here (after it was cancelled), so it stops at once. */
export function abortReplayRun(runId: string): void {
  state().runs.get(runId)?.abort.abort();
}

/** Shutdown: stops every run in this process and marks it interrupted. */
export async function stopReplayRuns(): Promise<void> {
  const runs = [...state().runs.entries()];
  for (const [, r] of runs) r.abort.abort();
  await Promise.all(runs.map(([, r]) => r.done));
  await Promise.all(
    runs.map(([id]) =>
      endReplayRun(id, "interrupted", 'The server stopped (restart) before every capture was sent. "Retry failed" sends the rest.').catch(
        () => {},
      ),
    ),
  );
}

/** The capture's headers with the run's removals and settings applied. */
export function runHeaders(
  captured: readonly (readonly [string, string])[],
  set: readonly (readonly [string, string])[],
  remove: readonly string[],
): [string, string][] {
  const drop = new Set([...remove, ...set.map(([n]) => n)].map((n) => n.toLowerCase()));
  return [...forwardableHeaders(captured).filter(([n]) => !drop.has(n.toLowerCase())), ...set.map(([n, v]): [string, string] => [n, v])];
}

async function execute(run: TReplayRun, signal: AbortSignal): Promise<void> {
  const { options } = run;
  let resign: ResignWith | null = null;
  if (options.resign) {
    try {
      const stored = await getSigningSecretForUse(run.endpointId, options.resign.secretId);
      resign = { scheme: options.resign.scheme, secret: stored.secret, options: options.resign.options ?? stored.options };
    } catch (e) {
      await endReplayRun(
        run.id,
        "interrupted",
        `Not sent: the signing secret to re-sign with is gone or unreadable (${e instanceof Error ? e.message : String(e)}).`,
      );
      return;
    }
  }
  let stop = false;
  const beat = setInterval(() => {
    void beatReplayRun(run.id)
      .then((s) => {
        if (s !== "running") {
          stop = true;
          abortReplayRun(run.id);
        }
      })
      .catch(() => {});
  }, HEARTBEAT_MS);
  beat.unref();
  const interval = options.ratePerSecond ? 1000 / options.ratePerSecond : 0;
  let nextStart = performance.now();
  try {
    let after = -1;
    while (!stop && !signal.aborted) {
      const page = await pendingSends(run.id, after, PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.position;
      // A pool of `concurrency` workers over the page, each taking the next send in order.
      let next = 0;
      const worker = async () => {
        while (!stop && !signal.aborted && next < page.length) {
          const item = page[next++]!;
          if (interval > 0) {
            const wait = nextStart - performance.now();
            nextStart = Math.max(nextStart, performance.now()) + interval;
            if (wait > 0) await sleep(wait, signal);
            if (signal.aborted) return;
          }
          const result = await sendOne(run, item, resign, signal);
          if (signal.aborted && result.errorCode === "aborted") return;
          const runState = await recordReplaySend(run.id, item.position, result);
          if (runState !== "running") stop = true;
        }
      };
      await Promise.all(Array.from({ length: Math.min(options.concurrency, page.length) }, worker));
    }
    if (!stop && !signal.aborted) await endReplayRun(run.id, "finished");
  } finally {
    clearInterval(beat);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Sends one capture to the run's target and judges the answer. */
async function sendOne(run: TReplayRun, item: PendingSend, resign: ResignWith | null, signal: AbortSignal): Promise<SendResult> {
  const base = {
    url: run.targetUrl,
    responseStatus: null,
    responseHeaders: null,
    responseBody: null,
    responseBodySize: null,
    responseTruncated: false,
    firstByteMs: null,
  };
  if (!item.capture) {
    const message = "The capture was deleted (retention or clear) before it was sent.";
    return {
      ...base,
      state: "failed",
      method: "",
      requestHeaders: [],
      requestBodySize: 0,
      errorCode: "capture_deleted",
      errorMessage: message,
      failures: [{ check: "answer", message: `no answer: ${message}` }],
      durationMs: 0,
    };
  }
  const { method, body } = item.capture;
  let headers = runHeaders(item.capture.headers, run.options.setHeaders, run.options.removeHeaders);
  let url = run.targetUrl;
  if (resign) {
    try {
      const signed = resignRequest({ method, url, headers, body }, resign);
      headers = signed.headers;
      url = signed.url;
    } catch (e) {
      if (!(e instanceof ResignError || e instanceof SecretFormatError)) throw e;
      const message = `Not sent: re-signing failed. ${e.message}`;
      return {
        ...base,
        url,
        state: "failed",
        method,
        requestHeaders: headers,
        requestBodySize: body.length,
        errorCode: "resign_failed",
        errorMessage: message,
        failures: [{ check: "answer", message: `no answer: ${message}` }],
        durationMs: 0,
      };
    }
  }
  headers = withDefaultUserAgent(headers);
  const result = await sendOutgoing({
    method,
    url,
    headers,
    body,
    followRedirects: run.options.followRedirects,
    maxResponseBytes: MAX_CHECKED_BODY_BYTES + 1,
    signal,
  });
  recordDelivery({ kind: "replay", result, url, endpointId: run.endpointId, captureId: item.captureId });
  const sent = { method, url, requestHeaders: headers, requestBodySize: body.length, durationMs: result.durationMs };
  if (!result.ok) {
    const failures = evaluateChecks(run.checks, {
      status: null,
      error: result.error.message,
      body: null,
      bodyComplete: false,
      durationMs: result.durationMs,
    });
    return { ...base, ...sent, state: "failed", errorCode: result.error.code, errorMessage: result.error.message, failures };
  }
  const r = result.response;
  const complete = !r.truncated && r.body.length <= MAX_CHECKED_BODY_BYTES;
  const kept = r.body.subarray(0, MAX_CHECKED_BODY_BYTES);
  // Latency is to the answer's headers (lib/shared/replay/checks.ts).
  const failures = evaluateChecks(run.checks, {
    status: r.status,
    error: null,
    body: kept,
    bodyComplete: complete,
    durationMs: result.firstByteMs,
  });
  return {
    ...sent,
    state: failures.length === 0 ? "passed" : "failed",
    responseStatus: r.status,
    responseHeaders: r.headers,
    responseBody: Buffer.from(kept),
    responseBodySize: r.bodySize,
    responseTruncated: !complete,
    errorCode: null,
    errorMessage: null,
    failures,
    firstByteMs: result.firstByteMs,
  };
}
