// The schema worker, one per process: merges captures into their event types' inferred schemas
// (lib/server/db/event-schemas.ts) beside capture, never inside a capture request. It asks which
// endpoints have captures past their cursor every pollMs, and while there is work it goes on,
// `batch` captures of one endpoint per transaction. The cursor lives in the database, so after a
// restart it carries on where it stopped; replicas share the work (SKIP LOCKED).
//
// Background priority: it shares the event loop (and the cores) with capture. After each batch it
// pauses as long as the batch took and watches the event loop meanwhile: when the rest of the
// process kept it busy (utilization over BUSY_ELU), it waits on until it has taken only
// BUSY_DUTY of the time, so a saturating load loses about that much and schemas lag, catching up
// once the load eases; when the process is quiet it goes on. Batches are small (lifecycle.ts), so
// one never holds the event loop long.
import "server-only";
import { performance } from "node:perf_hooks";
import { endpointsWithUnmergedCaptures, mergeEndpointCaptures, reconcileSchemaWindows } from "@/lib/server/db/event-schemas";

/** Share of the time the worker takes while the rest of the process is busy. */
export const BUSY_DUTY = 0.1;
/** The rest of the process counts as busy above this event-loop utilization. */
export const BUSY_ELU = 0.3;
/** The shortest pause after a batch, long enough to see how busy the event loop is. */
const MIN_PAUSE_MS = 5;

export interface SchemaWorkerOptions {
  pollMs: number;
  /** Captures per transaction. */
  batch: number;
  /** SCHEMA_SAMPLE_LIMIT: each type's schema from its newest N captures; 0: every capture. */
  sampleLimit: number;
  log(msg: string, error?: unknown): void;
}

/**
 * How much longer to wait after a batch that took `batchMs`, given the event loop's utilization
 * during the pause that followed it (the rest of the process alone): 0 when it was quiet, else
 * enough that the worker's share of the time is BUSY_DUTY.
 */
export function backoffMs(batchMs: number, pausedMs: number, utilization: number): number {
  if (utilization <= BUSY_ELU) return 0;
  return Math.max(0, batchMs * (1 / BUSY_DUTY - 1) - pausedMs);
}

export function startSchemaWorker(opts: SchemaWorkerOptions): { stop(): Promise<void> } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let pause: { timer: ReturnType<typeof setTimeout>; resolve: () => void } | null = null;

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      pause = { timer: setTimeout(resolve, ms), resolve };
    }).finally(() => (pause = null));
  /** After a batch: pauses as long, and longer when the rest of the process is busy (see the top of the file). */
  const yieldAfter = async (batchMs: number) => {
    const pausedMs = Math.max(MIN_PAUSE_MS, batchMs);
    const before = performance.eventLoopUtilization();
    await sleep(pausedMs);
    if (stopped) return;
    const more = backoffMs(batchMs, pausedMs, performance.eventLoopUtilization(before).utilization);
    if (more > 0) await sleep(more);
  };

  // Schemas built with another window (the setting changed since) are rebuilt first, a few per
  // turn, until none is left; after that a merge keeps its types within the window itself.
  let reconciled = false;
  const pass = async () => {
    while (!reconciled && !stopped) {
      if ((await reconcileSchemaWindows(opts.sampleLimit, 20)) === 0) reconciled = true;
    }
    let busy = true;
    while (busy && !stopped) {
      busy = false;
      for (const id of await endpointsWithUnmergedCaptures(50)) {
        if (stopped) return;
        const t = performance.now();
        const r = await mergeEndpointCaptures(id, opts.batch, opts.sampleLimit);
        if (r.more) busy = true;
        if (r.read > 0) await yieldAfter(performance.now() - t);
      }
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass()
        .catch((e: unknown) => opts.log("schemas: merge failed", e))
        .finally(() => {
          running = null;
          schedule();
        });
    }, opts.pollMs);
    timer.unref?.();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const p = pause as { timer: ReturnType<typeof setTimeout>; resolve: () => void } | null;
      if (p) {
        clearTimeout(p.timer);
        p.resolve();
      }
      await running;
    },
  };
}
