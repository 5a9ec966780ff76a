// Group-commit writer: requests queue their rows; one flush at a time writes everything queued
// in a single transaction, and each request is answered when its batch commits.
import "server-only";
import { insertCaptureBatch, type NewCapture } from "@/lib/server/db/capture-insert";
import { observeBatch } from "@/lib/server/observability/metrics";

interface Pending {
  row: NewCapture;
  resolve: (seq: number | null) => void;
  reject: (e: unknown) => void;
}

export interface WriterOptions {
  /** Most rows in one batch. */
  maxRows: number;
  /** Most body bytes in one batch (at least one row is always taken). */
  maxBytes: number;
  /** Flushes allowed in flight at once (more overlap network round trips; fewer make bigger batches). */
  concurrency: number;
  write?: (rows: NewCapture[]) => Promise<Map<string, number>>;
}

export interface WriterStats {
  batches: number;
  rows: number;
  failedBatches: number;
  lastBatchSize: number;
  lastCommitMs: number;
}

export class CaptureWriter {
  private queue: Pending[] = [];
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  readonly stats: WriterStats = { batches: 0, rows: 0, failedBatches: 0, lastBatchSize: 0, lastCommitMs: 0 };
  private readonly write: (rows: NewCapture[]) => Promise<Map<string, number>>;

  constructor(private readonly opts: WriterOptions) {
    this.write = opts.write ?? insertCaptureBatch;
  }

  /** Resolves with the capture's seq once committed, null if its endpoint vanished; rejects if the batch failed. */
  enqueue(row: NewCapture): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.pump();
    });
  }

  get pending(): number {
    return this.queue.length + this.inFlight;
  }

  /** Resolves when everything queued so far has been committed or failed. */
  async drain(): Promise<void> {
    if (this.pending === 0) return;
    await new Promise<void>((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    while (this.inFlight < this.opts.concurrency && this.queue.length > 0) {
      const batch = this.take();
      this.inFlight++;
      void this.flush(batch);
    }
  }

  private take(): Pending[] {
    let bytes = 0;
    let n = 0;
    while (n < this.queue.length && n < this.opts.maxRows) {
      const size = this.queue[n]!.row.body.length;
      if (n > 0 && bytes + size > this.opts.maxBytes) break;
      bytes += size;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async flush(batch: Pending[]): Promise<void> {
    const started = performance.now();
    try {
      const seqs = await this.write(batch.map((p) => p.row));
      this.stats.batches++;
      this.stats.rows += seqs.size;
      this.stats.lastBatchSize = batch.length;
      this.stats.lastCommitMs = performance.now() - started;
      observeBatch(batch.length, this.stats.lastCommitMs / 1000, true);
      for (const p of batch) p.resolve(seqs.get(p.row.id) ?? null);
    } catch (e) {
      this.stats.failedBatches++;
      observeBatch(batch.length, (performance.now() - started) / 1000, false);
      for (const p of batch) p.reject(e);
    } finally {
      this.inFlight--;
      if (this.queue.length > 0) this.pump();
      else if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }
}
