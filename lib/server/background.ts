// Background priority for the workers that share the event loop (and the cores) with capture: the
// schema worker (lib/server/schema/worker.ts) and the search indexer (lib/server/search/indexer.ts).
// After each batch a worker pauses as long as the batch took and watches the rest of the process
// meanwhile: when it was busy (by default, event-loop utilization over BUSY_ELU), the worker waits on
// until it has taken only BUSY_DUTY of the time, so a saturating load loses about that much and the
// work lags, catching up once the load eases; when the process is quiet it goes on.
import "server-only";
import { performance } from "node:perf_hooks";

/** Share of the time a worker takes while the rest of the process is busy. */
export const BUSY_DUTY = 0.1;
/** The rest of the process counts as busy above this event-loop utilization. */
export const BUSY_ELU = 0.3;
/** The shortest pause after a batch, long enough to see how busy the event loop is. */
const MIN_PAUSE_MS = 5;

/**
 * How much longer to wait after a batch that took `batchMs` and a pause of `pausedMs` during which
 * the rest of the process was `busy` or not: 0 when it was quiet, else enough that the worker's
 * share of the time is BUSY_DUTY.
 */
export function backoffMs(batchMs: number, pausedMs: number, busy: boolean): number {
  if (!busy) return 0;
  return Math.max(0, batchMs * (1 / BUSY_DUTY - 1) - pausedMs);
}

/** Starts watching the rest of the process; what it returns tells, at the end of a pause, whether it was busy meanwhile. */
export type BusyProbe = () => () => boolean;

/** Busy: the event loop was used more than BUSY_ELU of the time (by capture, the API, or another worker). */
export const eventLoopBusy: BusyProbe = () => {
  const before = performance.eventLoopUtilization();
  return () => performance.eventLoopUtilization(before).utilization > BUSY_ELU;
};

/** Busy: `stored()` (captures stored so far, by this process or any) grew meanwhile. */
export function storedMeanwhile(stored: () => number): BusyProbe {
  return () => {
    const before = stored();
    return () => stored() > before;
  };
}

/** One worker's pauses; `wake()` ends the current one (on stop). */
export class BackgroundPace {
  private pause: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | null = null;
  private woken = false;

  constructor(private readonly busy: BusyProbe = eventLoopBusy) {}

  /**
   * After a batch that took `batchMs`: pauses as long, and longer while the rest of the process is
   * busy; with `hurry` (work that must not fall further behind) only a moment, for what is queued.
   */
  async after(batchMs: number, hurry = false): Promise<void> {
    if (hurry) return this.sleep(MIN_PAUSE_MS);
    const pausedMs = Math.max(MIN_PAUSE_MS, batchMs);
    const wasBusy = this.busy();
    await this.sleep(pausedMs);
    if (this.woken) return;
    const more = backoffMs(batchMs, pausedMs, wasBusy());
    if (more > 0) await this.sleep(more);
  }

  wake(): void {
    this.woken = true;
    const p = this.pause;
    if (p) {
      clearTimeout(p.timer);
      p.resolve();
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.pause = { timer: setTimeout(resolve, ms), resolve };
    }).finally(() => (this.pause = null));
  }
}

export interface BackgroundRun {
  pace: BackgroundPace;
  /** True once stop() was called: a pass returns at its next check. */
  stopped(): boolean;
}

/**
 * Runs `pass` every `pollMs` after the previous one ended (a pass that finds work goes on until it
 * is done, pacing itself with `run.pace`). stop() ends any pause and waits for the pass to return.
 */
export function startBackgroundLoop(
  pollMs: number,
  pass: (run: BackgroundRun) => Promise<void>,
  onError: (e: unknown) => void,
  busy: BusyProbe = eventLoopBusy,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  const run: BackgroundRun = { pace: new BackgroundPace(busy), stopped: () => stopped };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass(run)
        .catch(onError)
        .finally(() => {
          running = null;
          schedule();
        });
    }, pollMs);
    timer.unref?.();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      run.pace.wake();
      await running;
    },
  };
}
