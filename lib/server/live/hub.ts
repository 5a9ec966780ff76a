// Per-endpoint fan-out. A notification says "endpoint X has captures up to seq N"; the hub of X
// reads the new summaries once and hands the same encoded frames to every subscriber of X.
// Kept free of database and HTTP imports (the reads are injected) so it is unit-tested alone.
import "server-only";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import { captureFrame, driftFrame, type CaptureDrift } from "./frames";

/** One capture event, encoded once and shared by every subscriber. */
export interface LiveEvent {
  seq: number;
  frame: Uint8Array;
}

/** Where a subscriber's bytes go: an SSE stream in production, an array in tests. */
export interface SubscriberSink {
  write(chunk: Uint8Array): void;
  /** Bytes written but not yet taken by the client. */
  buffered(): number;
  /** Ends the stream after what is queued (shutdown). */
  end(): void;
  /** Drops the connection now, discarding what is queued (slow client). */
  abort(): void;
}

/** "revoked": the server ends the stream because the caller's access ended (a share link revoked or expired). */
export type CloseReason = "client" | "overflow" | "shutdown" | "error" | "revoked";

export interface SubscriberOptions {
  /** Most bytes queued for one subscriber (live backlog plus events held during catch-up). */
  maxBufferBytes: number;
  /** Also wants `drift` frames (the dashboard's streams; not smee, not a wait). */
  drift?: boolean;
  onClose?: (reason: CloseReason) => void;
}

/**
 * One live client. Until `goLive` it is catching up from the database, so events the hub
 * delivers meanwhile are held (in order); after that only events past its cursor are written,
 * which makes overlap between catch-up and live delivery harmless.
 */
export class LiveSubscriber {
  private sink: SubscriberSink | null = null;
  private held: LiveEvent[] | null = [];
  /** Drift frames that arrived during catch-up, written after the held events. */
  private heldDrift: { seq: number; frame: Uint8Array }[] = [];
  private heldBytes = 0;
  private cursor = 0;
  private catchingUp = false;
  private closedWith: CloseReason | null = null;
  private readonly closeListeners: ((reason: CloseReason) => void)[] = [];

  constructor(private readonly opts: SubscriberOptions) {
    if (opts.onClose) this.closeListeners.push(opts.onClose);
  }

  get wantsDrift(): boolean {
    return this.opts.drift === true && this.closedWith === null;
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  get closeReason(): CloseReason | null {
    return this.closedWith;
  }

  /** Highest seq this subscriber has been sent (or was current with when it went live). */
  get lastSeq(): number {
    return this.cursor;
  }

  onClose(fn: (reason: CloseReason) => void): void {
    if (this.closedWith) fn(this.closedWith);
    else this.closeListeners.push(fn);
  }

  deliver(ev: LiveEvent): void {
    if (this.closedWith) return;
    if (this.held) {
      this.held.push(ev);
      this.heldBytes += ev.frame.byteLength;
      if (this.heldBytes > this.opts.maxBufferBytes) this.close("overflow");
      return;
    }
    if (ev.seq <= this.cursor) return;
    this.cursor = ev.seq;
    this.write(ev.frame);
  }

  /**
   * Events of one read, oldest first, with their frames already joined into `joined`: a live
   * subscriber that is behind all of them gets one write instead of one per event (per-subscriber
   * work per read stays constant however many captures the read returned).
   */
  deliverMany(events: readonly LiveEvent[], joined: Uint8Array): void {
    if (this.closedWith || events.length === 0) return;
    if (this.held || events.length === 1 || events[0]!.seq <= this.cursor) {
      for (const ev of events) this.deliver(ev);
      return;
    }
    this.cursor = events[events.length - 1]!.seq;
    this.write(joined);
  }

  /**
   * A drift frame for capture `seq`. Written only when this client already has that capture (it
   * was sent, or the client was current past it when it went live); a later capture event is read
   * after the drift was committed and carries it itself.
   */
  deliverDrift(seq: number, frame: Uint8Array): void {
    if (!this.wantsDrift) return;
    if (this.held) {
      this.heldDrift.push({ seq, frame });
      this.heldBytes += frame.byteLength;
      if (this.heldBytes > this.opts.maxBufferBytes) this.close("overflow");
      return;
    }
    if (seq <= this.cursor) this.write(frame);
  }

  /** Writes a frame outside the seq order (retry, ready, ping). */
  write(chunk: Uint8Array): void {
    if (this.closedWith || !this.sink) return;
    this.sink.write(chunk);
    // Catch-up is written in one go and is bounded by its row cap; the limit is for live backlog.
    if (!this.catchingUp && this.sink.buffered() > this.opts.maxBufferBytes) this.close("overflow");
  }

  attach(sink: SubscriberSink): void {
    this.sink = sink;
  }

  /** Sends `catchUp` (seq > afterSeq, oldest first), then what was held, and switches to live. */
  goLive(afterSeq: number, catchUp: LiveEvent[] = []): void {
    this.cursor = afterSeq;
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    this.catchingUp = true;
    for (const ev of catchUp) this.deliver(ev);
    this.catchingUp = false;
    for (const ev of held) this.deliver(ev);
    const heldDrift = this.heldDrift;
    this.heldDrift = [];
    for (const d of heldDrift) this.deliverDrift(d.seq, d.frame);
  }

  close(reason: CloseReason): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    this.held = null;
    this.heldDrift = [];
    if (reason === "overflow" || reason === "error") this.sink?.abort();
    else if (reason === "shutdown" || reason === "revoked") this.sink?.end();
    for (const fn of this.closeListeners.splice(0)) fn(reason);
  }
}

export interface HubDeps {
  /** Oldest first, at most `limit` summaries with seq > afterSeq. */
  fetchAfter(endpointId: string, afterSeq: number, limit: number): Promise<TCaptureSummary[]>;
  /** The endpoint's current highest seq (0 when it has none; null when the endpoint is gone). */
  latestSeq(endpointId: string): Promise<number | null>;
  /** Drift of those of `seqs` that have any (read after the schema worker's notification). */
  fetchDrift?(endpointId: string, seqs: readonly number[]): Promise<CaptureDrift[]>;
  /** Delay before retrying a failed read. */
  retryMs?: number;
  pageSize?: number;
  log?: (msg: string, error: unknown) => void;
}

/**
 * Subscribers of one endpoint and the highest seq already read for them. Reads are coalesced:
 * however many notifications arrive while one read runs, one more read follows it.
 */
export class EndpointHub {
  readonly subscribers = new Set<LiveSubscriber>();
  /** Resolves once `fetchedSeq` is known; subscribers join only after it. */
  readonly ready: Promise<void>;
  private fetchedSeq = 0;
  /** Seqs the schema worker marked with drift, read in the next pass after any new captures. */
  private driftSeqs = new Set<number>();
  private initialised = false;
  private reading = false;
  private readAgain = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  /** Reads issued, for tests and metrics. */
  reads = 0;

  constructor(
    readonly endpointId: string,
    private readonly deps: HubDeps,
  ) {
    // Started only after the LISTEN connection is up, so a commit after this read is notified.
    this.ready = (async () => {
      const latest = await deps.latestSeq(endpointId);
      this.fetchedSeq = latest ?? 0;
      this.initialised = true;
      // A notification that arrived during the read may have been past it.
      if (this.readAgain) this.schedule();
    })();
  }

  get lastFetchedSeq(): number {
    return this.fetchedSeq;
  }

  add(sub: LiveSubscriber): void {
    this.subscribers.add(sub);
    sub.onClose(() => this.subscribers.delete(sub));
  }

  /** The endpoint has captures up to `seq` (from a notification). */
  notify(seq: number): void {
    if (this.initialised && seq <= this.fetchedSeq) return;
    this.schedule();
  }

  /**
   * The schema worker marked these captures with drift (from a notification). Read in the same
   * loop as captures and after them, so a subscriber has each capture before its drift frame.
   */
  notifyDrift(seqs: readonly number[]): void {
    if (!this.deps.fetchDrift || ![...this.subscribers].some((s) => s.wantsDrift)) return;
    for (const seq of seqs) this.driftSeqs.add(seq);
    this.schedule();
  }

  /** Reads whatever is newer than what was fetched (after a reconnect, notifications may have been lost). */
  recheck(): void {
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private schedule(): void {
    if (this.disposed) return;
    if (!this.initialised || this.reading) {
      this.readAgain = true;
      return;
    }
    void this.readLoop();
  }

  private async readLoop(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        await this.readNew();
        await this.readDrift();
      } while (this.readAgain && !this.disposed);
    } catch (e) {
      this.deps.log?.("live: reading new captures failed; retrying", e);
      if (!this.disposed && !this.retryTimer) {
        this.retryTimer = setTimeout(() => {
          this.retryTimer = null;
          this.schedule();
        }, this.deps.retryMs ?? 1_000);
        this.retryTimer.unref?.();
      }
    } finally {
      this.reading = false;
    }
  }

  private async readDrift(): Promise<void> {
    if (this.driftSeqs.size === 0 || !this.deps.fetchDrift) return;
    const seqs = [...this.driftSeqs];
    this.driftSeqs.clear();
    let rows: CaptureDrift[];
    try {
      rows = await this.deps.fetchDrift(this.endpointId, seqs);
    } catch (e) {
      for (const seq of seqs) this.driftSeqs.add(seq);
      throw e;
    }
    for (const row of rows) {
      const frame = driftFrame(row);
      for (const sub of this.subscribers) sub.deliverDrift(row.seq, frame);
    }
  }

  private async readNew(): Promise<void> {
    const pageSize = this.deps.pageSize ?? 500;
    for (;;) {
      if (this.disposed) return;
      this.reads++;
      const rows = await this.deps.fetchAfter(this.endpointId, this.fetchedSeq, pageSize);
      const events: LiveEvent[] = [];
      for (const row of rows) {
        if (row.seq <= this.fetchedSeq) continue;
        this.fetchedSeq = row.seq;
        events.push({ seq: row.seq, frame: captureFrame(row) });
      }
      if (events.length > 0) {
        // Encoded and joined once, shared by every subscriber.
        const joined = events.length === 1 ? events[0]!.frame : Buffer.concat(events.map((e) => e.frame));
        for (const sub of this.subscribers) sub.deliverMany(events, joined);
      }
      if (rows.length < pageSize) return;
    }
  }
}
