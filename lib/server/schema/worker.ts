// The schema worker, one per process: merges captures into their event types' inferred schemas
// (lib/server/db/event-schemas.ts) beside capture, never inside a capture request. It asks which
// endpoints have captures past their cursor every pollMs, and while there is work it goes on at
// once, `batch` captures of one endpoint per transaction. The cursor lives in the database, so
// after a restart it carries on where it stopped; replicas share the work (SKIP LOCKED).
import "server-only";
import { endpointsWithUnmergedCaptures, mergeEndpointCaptures, reconcileSchemaWindows } from "@/lib/server/db/event-schemas";

export interface SchemaWorkerOptions {
  pollMs: number;
  /** Captures per transaction. */
  batch: number;
  /** SCHEMA_SAMPLE_LIMIT: each type's schema from its newest N captures; 0: every capture. */
  sampleLimit: number;
  log(msg: string, error?: unknown): void;
}

export function startSchemaWorker(opts: SchemaWorkerOptions): { stop(): Promise<void> } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;

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
        const r = await mergeEndpointCaptures(id, opts.batch, opts.sampleLimit);
        if (r.more) busy = true;
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
      await running;
    },
  };
}
