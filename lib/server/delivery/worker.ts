// The forward worker, one per process. It claims due outbox rows with FOR UPDATE SKIP LOCKED
// (so replicas sharing the database never take the same row), leases them by moving
// next_attempt_at past the send timeout, sends each through attemptDelivery (the SSRF guard),
// and records every attempt as a delivery in the same transaction that settles the row:
// delivered, pending again with exponential backoff (network errors, timeouts, 408/429/5xx), or
// failed after the rule's max attempts. A row whose worker died is taken over when its lease
// runs out. Woken by the capture writer (same process), by NOTIFY on FORWARD_CHANNEL (other
// processes), by its own retry timers, and by a poll as a fallback.
import "server-only";
import pg from "pg";
import { FORWARD_CHANNEL } from "@/lib/server/db/capture-insert";
import { getPool, getPrisma } from "@/lib/server/db/client";
import { settleForwardAttempt, type NewDelivery, type OutboxSettlement } from "@/lib/server/db/deliveries";
import { decryptRuleResign } from "@/lib/server/db/forward-rules";
import type { THeaderList } from "@/lib/shared/validation/captures";
import { attemptDelivery, type ResignWith } from "./deliver";
import { forwardableHeaders, forwardUrl } from "@/lib/shared/delivery/forward-request";

export interface ForwardWorkerOptions {
  connectionString: string;
  /** Deliveries in flight at once. */
  concurrency: number;
  pollMs: number;
  retryBaseMs: number;
  defaultMaxAttempts: number;
  timeoutMs: number;
  /** Identifies this worker in leased_by (host:pid). */
  id: string;
  log(msg: string, error?: unknown): void;
}

interface Job {
  outboxId: string;
  attempts: number;
  captureId: string;
  method: string;
  path: string;
  query: string | null;
  headers: THeaderList;
  body: Buffer;
  ruleId: string;
  endpointId: string;
  targetUrl: string;
  maxAttempts: number | null;
  followRedirects: boolean;
  resignScheme: string | null;
  resignSecretEnc: string | null;
  resignOptions: unknown;
}

const MAX_RETRY_DELAY_MS = 3_600_000;

/** Time until attempt `attempt + 1`: base · 2^(attempt−1), capped, with ±20% jitter so retries of a burst spread out. */
export function retryDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  const raw = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
  return Math.round(raw * (0.8 + 0.4 * random()));
}

function describeDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

/**
 * Claims up to $1 due rows and returns them with their capture and rule. The lease is the new
 * next_attempt_at: a claimed row is not due again until the send has long timed out.
 */
const CLAIM = {
  name: "hookscope_claim_forward",
  text: `WITH claimed AS (
      UPDATE forward_outbox o
         SET attempts = o.attempts + 1, next_attempt_at = now() + $2::int * interval '1 millisecond',
             lease_until = now() + $2::int * interval '1 millisecond', leased_by = $3, updated_at = now()
       WHERE o.id IN (
         SELECT q.id FROM forward_outbox q
          WHERE q.state = 'pending' AND q.next_attempt_at <= now()
            AND EXISTS (SELECT 1 FROM forward_rules r WHERE r.id = q.rule_id AND r.enabled)
          ORDER BY q.next_attempt_at, q.id
          LIMIT $1
          FOR UPDATE OF q SKIP LOCKED)
      RETURNING o.id, o.attempts, o.capture_id, o.rule_id
    )
    SELECT claimed.id::text AS "outboxId", claimed.attempts, c.id::text AS "captureId", c.method, c.path, c.query, c.headers, c.body,
           r.id::text AS "ruleId", r.endpoint_id::text AS "endpointId", r.target_url AS "targetUrl", r.max_attempts AS "maxAttempts",
           r.follow_redirects AS "followRedirects", r.resign_scheme AS "resignScheme", r.resign_secret_enc AS "resignSecretEnc",
           r.resign_options AS "resignOptions"
      FROM claimed JOIN captures c ON c.id = claimed.capture_id JOIN forward_rules r ON r.id = claimed.rule_id`,
};

export class ForwardWorker {
  private stopped = false;
  private inFlight = new Map<string, AbortController>();
  private wakeResolve: (() => void) | null = null;
  private woken = false;
  private loopDone: Promise<void> | null = null;
  private listener: pg.Client | null = null;
  private lastListenTry = 0;
  private retryTimers = new Set<ReturnType<typeof setTimeout>>();
  /** Attempts settled by this worker (for tests and logs). */
  settled = 0;

  constructor(private readonly opts: ForwardWorkerOptions) {}

  start(): void {
    if (this.loopDone) return;
    this.loopDone = this.loop();
  }

  /** Look for due rows now. */
  wake(): void {
    this.woken = true;
    this.wakeResolve?.();
  }

  /**
   * Stops claiming; gives sends in flight `graceMs` to finish, then aborts them and hands their
   * rows back (due at once, the attempt not counted) for another process or the next start.
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    this.wake();
    for (const t of this.retryTimers) clearTimeout(t);
    await this.loopDone;
    const deadline = Date.now() + graceMs;
    while (this.inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    for (const c of this.inFlight.values()) c.abort();
    while (this.inFlight.size > 0) await new Promise((r) => setTimeout(r, 10));
    await this.listener?.end().catch(() => {});
    this.listener = null;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      void this.ensureListening();
      const free = this.opts.concurrency - this.inFlight.size;
      let claimedAll = false;
      if (free > 0) {
        this.woken = false;
        try {
          const jobs = await this.claim(free);
          failures = 0;
          for (const job of jobs) this.run(job);
          claimedAll = jobs.length === free;
        } catch (e) {
          failures++;
          if (failures === 1 || failures % 20 === 0) this.opts.log("forward: claiming from the outbox failed", e);
          await this.idle(Math.min(200 * 2 ** failures, this.opts.pollMs));
          continue;
        }
      }
      // Full batch: there may be more due right away (once a slot frees).
      if (claimedAll && this.inFlight.size < this.opts.concurrency) continue;
      // Every slot busy: wait for one to free (run() wakes us), never spin.
      if (free <= 0) this.woken = false;
      if (!this.woken) await this.idle(this.opts.pollMs);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeResolve = () => {
        this.wakeResolve = null;
        done();
      };
    });
  }

  private async ensureListening(): Promise<void> {
    if (this.listener || this.stopped || Date.now() - this.lastListenTry < 2_000) return;
    this.lastListenTry = Date.now();
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      application_name: "hookscope-forward",
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
    });
    const drop = () => {
      if (this.listener === client) this.listener = null;
      client.end().catch(() => {});
    };
    client.on("error", drop);
    client.on("end", drop);
    client.on("notification", () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${FORWARD_CHANNEL}`);
      if (this.stopped) return void (await client.end().catch(() => {}));
      this.listener = client;
      // Anything queued while not listening is found by this wake's claim.
      this.wake();
    } catch {
      drop();
    }
  }

  private async claim(limit: number): Promise<Job[]> {
    const leaseMs = this.opts.timeoutMs + 60_000;
    const { rows } = await getPool().query<Job>({ ...CLAIM, values: [limit, leaseMs, this.opts.id] });
    return rows;
  }

  private run(job: Job): void {
    const controller = new AbortController();
    this.inFlight.set(job.outboxId, controller);
    void this.deliver(job, controller.signal)
      .catch((e: unknown) => this.opts.log(`forward: delivering outbox row ${job.outboxId} failed`, e))
      .finally(() => {
        this.inFlight.delete(job.outboxId);
        this.wake();
      });
  }

  private async deliver(job: Job, signal: AbortSignal): Promise<void> {
    const maxAttempts = job.maxAttempts ?? this.opts.defaultMaxAttempts;
    const url = forwardUrl(job.targetUrl, job.path, job.query);
    const headers = forwardableHeaders(job.headers);
    let resign: ResignWith | null = null;
    let row: NewDelivery;
    let retryable = false;
    try {
      resign = decryptRuleResign({
        id: job.ruleId,
        endpointId: job.endpointId,
        resignScheme: job.resignScheme,
        resignSecretEnc: job.resignSecretEnc,
        resignOptions: job.resignOptions,
      });
    } catch (e) {
      row = {
        captureId: job.captureId,
        ruleId: job.ruleId,
        kind: "forward",
        attempt: job.attempts,
        outcome: "failed",
        method: job.method,
        url,
        requestHeaders: headers,
        requestBody: null,
        requestBodySize: job.body.length,
        resignedScheme: null,
        errorCode: "resign_failed",
        errorMessage: `Not sent: ${e instanceof Error ? e.message : String(e)}`,
        durationMs: 0,
      };
      return this.settle(job, row, false, maxAttempts);
    }
    const attempt = await attemptDelivery({
      captureId: job.captureId,
      endpointId: job.endpointId,
      ruleId: job.ruleId,
      kind: "forward",
      attempt: job.attempts,
      method: job.method,
      url,
      headers,
      body: job.body,
      bodySameAsCapture: true,
      followRedirects: job.followRedirects,
      resign,
      timeoutMs: this.opts.timeoutMs,
      signal,
    });
    if (signal.aborted && attempt.row.errorCode === "aborted") return this.release(job);
    row = attempt.row;
    retryable = attempt.retryable;
    return this.settle(job, row, retryable, maxAttempts);
  }

  /** Records the attempt and settles the row, in one statement; only while this worker still holds the lease. */
  private async settle(job: Job, row: NewDelivery, retryable: boolean, maxAttempts: number): Promise<void> {
    const base = { outboxId: job.outboxId, attempts: job.attempts };
    let settlement: OutboxSettlement;
    if (row.outcome === "succeeded") {
      settlement = { ...base, state: "delivered", nextAttemptAt: null, lastError: null };
    } else if (retryable && job.attempts < maxAttempts) {
      const delay = retryDelayMs(job.attempts, this.opts.retryBaseMs);
      row = {
        ...row,
        outcome: "retrying",
        errorMessage: `${row.errorMessage ?? "Failed."} Retrying in ${describeDelay(delay)} (attempt ${job.attempts + 1} of ${maxAttempts}).`,
      };
      settlement = { ...base, state: "pending", nextAttemptAt: new Date(Date.now() + delay), lastError: row.errorMessage ?? null };
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.wake();
      }, delay + 5);
      timer.unref();
      this.retryTimers.add(timer);
    } else {
      const why = retryable ? ` Gave up after ${job.attempts} attempt${job.attempts === 1 ? "" : "s"}.` : "";
      row = { ...row, errorMessage: `${row.errorMessage ?? "Failed."}${why}` };
      settlement = { ...base, state: "failed", nextAttemptAt: null, lastError: row.errorMessage ?? null };
    }
    await settleForwardAttempt({ ...row, sentBy: this.opts.id }, settlement);
    this.settled++;
  }

  /** Hands a row back untried (shutdown): due at once, the attempt not counted. */
  private async release(job: Job): Promise<void> {
    await getPrisma().forwardOutbox.updateMany({
      where: { id: BigInt(job.outboxId), leasedBy: this.opts.id, attempts: job.attempts },
      data: { attempts: { decrement: 1 }, nextAttemptAt: new Date(), leaseUntil: null, leasedBy: null },
    });
  }
}
