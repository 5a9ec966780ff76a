// Background retention, started by server.ts in every process: every RETENTION_INTERVAL_SECONDS a
// pass deletes captures past each endpoint's limits (newest N kept, older than N days dropped) in
// bounded batches, and deletes endpoints unused past ENDPOINT_EXPIRE_AFTER_DAYS. A pass holds a
// session advisory lock, so with replicas one pass runs at a time and the others skip their turn.
// Capture is never waited on: each batch is its own short transaction (lib/server/db/retention.ts).
import "server-only";
import { withPoolClient } from "@/lib/server/db/client";
import {
  RETENTION_LOCK_KEY,
  deleteUnusedEndpoint,
  findEndpointsToPrune,
  findUnusedEndpoints,
  pruneEndpointBatch,
  type RetentionCeilings,
} from "@/lib/server/db/retention";
import { pruneReplayRuns } from "@/lib/server/db/replay-runs";
import { isDatabaseUnavailable } from "@/lib/server/db/unavailable";
import { logJson } from "@/lib/server/observability/log";

export interface RetentionSettings {
  ceilings: RetentionCeilings;
  intervalMs: number;
  batchSize: number;
  /** 0: endpoints never expire. */
  expireAfterDays: number;
}

export interface PassResult {
  /** False when another process held the lock. */
  ran: boolean;
  capturesDeleted: number;
  endpointsExpired: number;
  /** Replay runs past the endpoint's retention. */
  runsDeleted: number;
}

/** Most batches one pass runs; the rest waits for the next pass, so a pass stays short. */
const MAX_BATCHES_PER_PASS = 200;

const pause = () => new Promise<void>((r) => setImmediate(r));

/** One retention pass. Exported for tests; the server runs it on a timer. */
export async function runRetentionPass(s: RetentionSettings): Promise<PassResult> {
  const result: PassResult = { ran: false, capturesDeleted: 0, endpointsExpired: 0, runsDeleted: 0 };
  return withPoolClient(async (lockClient) => {
    const { rows } = await lockClient.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [RETENTION_LOCK_KEY]);
    if (!rows[0]?.ok) return result;
    result.ran = true;
    try {
      let batches = 0;
      for (const e of await findEndpointsToPrune(s.ceilings)) {
        while (batches < MAX_BATCHES_PER_PASS) {
          batches++;
          const n = await pruneEndpointBatch(e, s.batchSize);
          result.capturesDeleted += n;
          await pause();
          if (n < s.batchSize) break;
        }
      }
      // Replay runs are kept as long as the endpoint keeps captures (and at most the newest 100).
      result.runsDeleted = await pruneReplayRuns(s.ceilings.maxAgeDays);
      if (s.expireAfterDays > 0) {
        for (const e of await findUnusedEndpoints(s.expireAfterDays)) {
          const all = { id: e.id, maxCaptures: 0, maxAgeDays: 0 };
          while (batches < MAX_BATCHES_PER_PASS) {
            batches++;
            const state = await deleteUnusedEndpoint(e.id, s.expireAfterDays, s.batchSize);
            if (state === "deleted") result.endpointsExpired++;
            if (state !== "too-big") break;
            // Still unused but too big to delete at once: empty it a batch at a time first.
            const n = await pruneEndpointBatch(all, s.batchSize);
            result.capturesDeleted += n;
            if (n === 0) break;
            await pause();
          }
        }
      }
    } finally {
      // This fails only when the connection is gone, which ends the session and its lock; the
      // failure makes withPoolClient destroy the client rather than return it still locked.
      await lockClient.query("SELECT pg_advisory_unlock($1)", [RETENTION_LOCK_KEY]);
    }
    return result;
  });
}

/** Runs passes every `intervalMs` until stopped; errors are logged and the next pass tries again. */
export function startRetention(s: RetentionSettings): { stop(): Promise<void> } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = runRetentionPass(s)
      .then((r) => {
        if (r.capturesDeleted || r.endpointsExpired) {
          logJson("info", "retention pass", { capturesDeleted: r.capturesDeleted, endpointsExpired: r.endpointsExpired });
        }
      })
      .catch((e: unknown) => {
        if (!isDatabaseUnavailable(e)) logJson("error", "retention pass failed", { error: String(e instanceof Error ? e.message : e) });
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, s.intervalMs);
        timer?.unref();
      });
  };
  timer = setTimeout(tick, Math.min(s.intervalMs, 5_000));
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
