// The schema worker, one per process: merges captures into their event types' inferred schemas
// (lib/server/db/event-schemas.ts) beside capture, never inside a capture request. It asks which
// endpoints have captures past their cursor every pollMs, and while there is work it goes on,
// `batch` captures of one endpoint per transaction. The cursor lives in the database, so after a
// restart it carries on where it stopped; replicas share the work (SKIP LOCKED).
//
// Background priority (lib/server/background.ts): it shares the event loop and the cores with
// capture, so under a saturating load it takes about a tenth of the time and schemas lag, catching
// up once the load eases. Batches are small (lifecycle.ts), so one never holds the event loop long.
import "server-only";
import { performance } from "node:perf_hooks";
import { startBackgroundLoop, type BackgroundRun } from "@/lib/server/background";
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
  // Schemas built with another window (the setting changed since) are rebuilt first, a few per
  // turn, until none is left; after that a merge keeps its types within the window itself.
  let reconciled = false;
  const pass = async ({ pace, stopped }: BackgroundRun) => {
    while (!reconciled && !stopped()) {
      if ((await reconcileSchemaWindows(opts.sampleLimit, 20)) === 0) reconciled = true;
    }
    let busy = true;
    while (busy && !stopped()) {
      busy = false;
      for (const id of await endpointsWithUnmergedCaptures(50)) {
        if (stopped()) return;
        const t = performance.now();
        const r = await mergeEndpointCaptures(id, opts.batch, opts.sampleLimit);
        if (r.more) busy = true;
        if (r.read > 0) await pace.after(performance.now() - t);
      }
    }
  };
  return startBackgroundLoop(opts.pollMs, pass, (e) => opts.log("schemas: merge failed", e));
}
