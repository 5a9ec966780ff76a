// The search indexer, one per process: puts stored captures in the trigram search indexes after
// their 2xx instead of inside the capture's commit (migration *_search_index_deferred), where they
// cost about as much PostgreSQL time as the rest of the insert. Searches find a capture either way
// (lib/server/db/capture-search.ts checks the pending rows one by one), so the indexer only keeps
// that pending set small.
//
// It looks for pending captures every pollMs and, while there are some, indexes `batch` at a time
// at background priority (lib/server/background.ts): while captures are being stored, by this
// process or by any other on the database (their commits' NOTIFY, lib/server/live/registry.ts
// `captureCommits`), it takes about a tenth of the time and lets the pending set grow, catching up
// when capture eases, which is what takes the index off the acknowledgement path. Past
// `maxPending` it no longer yields to capture and indexes batch after batch: the pending set is
// what every search scans row by row, so a long saturation pays for its index as it goes (whether
// that keeps the set near `maxPending` depends on the CPU the indexer gets beside capture: it is
// where the indexer stops yielding, not a cap). Replicas share the work (SKIP LOCKED).
import "server-only";
import { performance } from "node:perf_hooks";
import { startBackgroundLoop, storedMeanwhile, type BackgroundRun, type BusyProbe } from "@/lib/server/background";
import { countPendingCaptures, indexPendingCaptures } from "@/lib/server/db/search-index";

export interface SearchIndexerOptions {
  pollMs: number;
  /** Captures per transaction. */
  batch: number;
  /** SEARCH_INDEX_MAX_PENDING: past this many pending captures the indexer stops yielding to capture. */
  maxPending: number;
  /** Captures this process has stored so far (CaptureWriter stats): while it grows, capture is busy. */
  captured(): number;
  /** Group commits of captures by any process heard so far (lib/server/live/registry.ts captureCommits): while it grows, capture is busy too. */
  heard?(): number;
  log(msg: string, error?: unknown): void;
}

export function startSearchIndexer(opts: SearchIndexerOptions): { stop(): Promise<void> } {
  const pass = async ({ pace, stopped }: BackgroundRun) => {
    // Counting the pending set scans it, so it is counted at most once a second.
    let behind = false;
    let countedAt = -Infinity;
    while (!stopped()) {
      const t = performance.now();
      const done = await indexPendingCaptures(opts.batch);
      if (done < opts.batch) return;
      if (t - countedAt >= 1_000) {
        behind = (await countPendingCaptures(opts.maxPending + 1)) > opts.maxPending;
        countedAt = t;
      }
      await pace.after(performance.now() - t, behind);
    }
  };
  // Busy means captures were stored meanwhile, not the event loop: the schema worker's merging
  // keeps that busy after a burst, and the two would hold each other to a tenth of the time.
  return startBackgroundLoop(opts.pollMs, pass, (e) => opts.log("search: indexing failed", e), indexerBusy(opts));
}

/** The indexer's busy probe: captures stored by this process, or commits heard from any, meanwhile. */
export function indexerBusy(opts: Pick<SearchIndexerOptions, "captured" | "heard">): BusyProbe {
  const heard = opts.heard;
  return storedMeanwhile(heard ? () => opts.captured() + heard() : opts.captured);
}
