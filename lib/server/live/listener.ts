// The process's one LISTEN connection on CAPTURE_CHANNEL. A dedicated pg.Client, not a pool
// member: a pooled client would be handed to other queries and LISTEN would be lost on release.
// When the connection drops (database restart, pg_terminate_backend, network), it reconnects
// with backoff and reports each (re)connect so hubs can read whatever was committed meanwhile.
import "server-only";
import pg from "pg";
import { CAPTURE_CHANNEL } from "@/lib/server/db/capture-insert";

export interface ListenerOptions {
  connectionString: string;
  /** An endpoint has captures up to `seq`. */
  onNotify(endpointId: string, seq: number): void;
  /** The schema worker marked these captures of an endpoint with drift (DRIFT_NOTIFY shape). */
  onDrift?(endpointId: string, seqs: number[]): void;
  /** LISTEN is (again) active; notifications sent while it was down are lost. */
  onListening(): void;
  log(msg: string, error?: unknown): void;
  /** How often the idle connection is checked, so a silently dead socket is noticed. */
  pingMs?: number;
}

const BACKOFF_MIN_MS = 200;
const BACKOFF_MAX_MS = 10_000;

export class CaptureListener {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private failures = 0;
  private closed = false;
  /** Successful connects, for metrics and tests. */
  connects = 0;

  constructor(private readonly opts: ListenerOptions) {}

  get listening(): boolean {
    return this.client !== null;
  }

  /** Resolves when LISTEN is active; rejects if a connect attempt made for this call fails. */
  ensure(): Promise<void> {
    if (this.closed) return Promise.reject(new Error("live updates are shut down"));
    if (this.client) return Promise.resolve();
    if (this.connecting) return this.connecting;
    // Someone is waiting: try now instead of at the end of the backoff.
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    return this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
    const client = this.client;
    this.client = null;
    await this.connecting?.catch(() => {});
    await client?.end().catch(() => {});
  }

  private connect(): Promise<void> {
    const attempt = this.open();
    this.connecting = attempt;
    attempt.then(
      () => {
        this.connecting = null;
      },
      (e: unknown) => {
        this.connecting = null;
        this.opts.log("live: LISTEN connection failed", e);
        this.scheduleRetry();
      },
    );
    return attempt;
  }

  private async open(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.opts.connectionString,
      application_name: "hookscope-live",
      keepAlive: true,
      connectionTimeoutMillis: 5_000,
      query_timeout: 10_000,
    });
    client.on("notification", (msg) => {
      if (msg.channel === CAPTURE_CHANNEL && msg.payload) this.dispatch(msg.payload);
    });
    // Errors on a live connection arrive as 'error' and/or 'end'; either means it is gone.
    client.on("error", (e) => this.dropped(client, e));
    client.on("end", () => this.dropped(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CAPTURE_CHANNEL}`);
    } catch (e) {
      client.removeAllListeners("end");
      await client.end().catch(() => {});
      throw e;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      throw new Error("live updates are shut down");
    }
    this.client = client;
    this.failures = 0;
    this.connects++;
    this.startPing();
    this.opts.onListening();
  }

  private dispatch(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    const { e: entries, d: driftEndpoint, s: driftSeqs } = parsed as { e?: unknown; d?: unknown; s?: unknown };
    if (typeof driftEndpoint === "string" && Array.isArray(driftSeqs)) {
      const seqs = driftSeqs.filter((n): n is number => typeof n === "number");
      if (seqs.length) this.opts.onDrift?.(driftEndpoint, seqs);
      return;
    }
    if (!Array.isArray(entries)) return;
    for (const entry of entries) {
      if (Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "number") this.opts.onNotify(entry[0], entry[1]);
    }
  }

  private dropped(client: pg.Client, e?: unknown): void {
    if (client !== this.client) return;
    this.client = null;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
    client.end().catch(() => {});
    if (this.closed) return;
    this.opts.log("live: LISTEN connection lost; reconnecting", e);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer || this.connecting || this.client) return;
    // Full jitter keeps replicas from reconnecting in lockstep after a database restart.
    const cap = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures);
    const delay = BACKOFF_MIN_MS / 2 + Math.random() * cap;
    this.failures++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.client && !this.connecting) this.connect().catch(() => {});
    }, delay);
    this.retryTimer.unref();
  }

  private startPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      const client = this.client;
      if (!client) return;
      // Re-issuing LISTEN is a no-op for Postgres and keeps pg_stat_activity showing what this connection is for.
      client.query(`LISTEN ${CAPTURE_CHANNEL}`).catch((e: unknown) => this.dropped(client, e));
    }, this.opts.pingMs ?? 30_000);
    this.pingTimer.unref();
  }
}
