// Long-poll support: wait until a check over the database succeeds, re-running it only when the
// endpoint's hub says new captures were committed (no polling loop), until a deadline.
import "server-only";
import { LiveSubscriber } from "./hub";
import { joinEndpoint, shuttingDown } from "./registry";

/**
 * Runs `check` once the endpoint's live hub is joined (so nothing committed afterwards can be
 * missed), then again after every batch of new captures, and resolves with its first non-null
 * answer; null when `timeoutMs` passes or the caller aborts. When live updates shut down (the
 * process is stopping) it throws AppError SHUTTING_DOWN (503 + Retry-After) instead: a 204 would
 * tell a CI job "nothing came" when the truth is "ask again", and a retry with the same cursor
 * loses nothing.
 */
export async function waitForCapture<T>(
  endpointId: string,
  opts: { timeoutMs: number; signal?: AbortSignal; check: () => Promise<T | null> },
): Promise<T | null> {
  const deadline = Date.now() + opts.timeoutMs;
  let woken = false;
  let wake: (() => void) | null = null;
  const rouse = () => {
    woken = true;
    wake?.();
  };
  const sub = new LiveSubscriber({ maxBufferBytes: 1 << 20 });
  // The frames themselves are not needed: any write means "new captures are committed".
  sub.attach({ write: rouse, buffered: () => 0, end() {}, abort() {} });
  sub.onClose(rouse);
  opts.signal?.addEventListener("abort", rouse, { once: true });
  try {
    await joinEndpoint(endpointId, sub);
    sub.goLive(0);
    for (;;) {
      woken = false;
      const found = await opts.check();
      if (found !== null) return found;
      if (opts.signal?.aborted) return null;
      if (sub.closed) throw shuttingDown();
      const left = deadline - Date.now();
      if (left <= 0) return null;
      if (!woken) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, left);
        });
        clearTimeout(timer);
        wake = null;
      }
    }
  } finally {
    opts.signal?.removeEventListener("abort", rouse);
    sub.close("client");
  }
}
