// Per-endpoint fan-out. A notification says "endpoint X has captures up to seq N"; the hub of X
// reads the new summaries once and hands the same encoded frames to every subscriber of X.
// Streams that need every event (`hookscope forward`, smee, a wait) get each read as it lands.
// A list's stream (the dashboard, a share page) is written once per tick instead, and a tick with
// more captures than the list shows is one `coalesced` frame: however fast captures arrive, such a
// stream costs at most one write of bounded size per tick.
// Kept free of database and HTTP imports (the reads are injected) so it is unit-tested alone.
import "server-only";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import { captureFrame, coalescedFrame, driftFrame, type CaptureDrift } from "./frames";

/** Most writes per second to a list's stream: its events are batched this long (from the first of a burst). */
export const LIVE_TICK_MS = 200;
/**
 * The pause after a tick that sent a `coalesced` frame: the list reads its newest page at most once
 * a second anyway, and each write to a socket costs far more than its bytes (a syscall, and on
 * loopback the receiver's work too), so a firehose costs one write per list per second.
 */
export const COALESCED_TICK_MS = 1_000;

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
  /**
   * A list's stream: once live, it is written once per hub tick, and a tick with more than this
   * many captures for it is one `coalesced` frame instead of their capture events. Unset: every
   * event, as it is read (streams that need each one).
   */
  coalesceAbove?: number;
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

  /** A list's stream (see `coalesceAbove`), live or still catching up. */
  get coalesces(): boolean {
    return this.opts.coalesceAbove !== undefined && this.closedWith === null;
  }

  /** Live and written per tick (see `coalesceAbove`); catch-up and held events are never coalesced. */
  get ticked(): boolean {
    return this.opts.coalesceAbove !== undefined && this.held === null && this.closedWith === null;
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

  /**
   * One tick's worth for a ticked subscriber, as one write: the tick's events past its cursor (or,
   * when there are more than `coalesceAbove`, one `coalesced` frame for them), then the tick's drift
   * frames for captures it now has. The chunks are built once per cursor and shared.
   */
  deliverTick(tick: HubTick): void {
    if (!this.ticked) return;
    const limit = this.opts.coalesceAbove!;
    const events = tick.framesAfter(this.cursor, limit);
    if (events) this.cursor = events.lastSeq;
    const drift = this.wantsDrift ? tick.driftUpTo(this.cursor) : null;
    const chunk = events && drift ? Buffer.concat([events.chunk, drift]) : (events?.chunk ?? drift);
    if (chunk) this.write(chunk);
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

/** What a hub read for ticked subscribers since its last tick; shared by all of them. */
export class HubTick {
  readonly events: LiveEvent[] = [];
  readonly drift: { seq: number; frame: Uint8Array }[] = [];
  private readonly chunks = new Map<string, { chunk: Uint8Array; lastSeq: number } | null>();
  private readonly driftChunks = new Map<number, Uint8Array | null>();
  /** Some subscriber was sent a `coalesced` frame from this tick. */
  coalesced = false;

  get empty(): boolean {
    return this.events.length === 0 && this.drift.length === 0;
  }

  /** The chunk for a subscriber at `cursor` (null when it has all of them). */
  framesAfter(cursor: number, limit: number): { chunk: Uint8Array; lastSeq: number } | null {
    const key = `${cursor}/${limit}`;
    const cached = this.chunks.get(key);
    if (cached !== undefined) return cached;
    let from = this.events.length;
    while (from > 0 && this.events[from - 1]!.seq > cursor) from--;
    const count = this.events.length - from;
    const lastSeq = this.events[this.events.length - 1]?.seq ?? cursor;
    let out: { chunk: Uint8Array; lastSeq: number } | null = null;
    if (count > limit) {
      out = { chunk: coalescedFrame(lastSeq, cursor, count), lastSeq };
      this.coalesced = true;
    } else if (count === 1) out = { chunk: this.events[from]!.frame, lastSeq };
    else if (count > 1) out = { chunk: Buffer.concat(this.events.slice(from).map((e) => e.frame)), lastSeq };
    this.chunks.set(key, out);
    return out;
  }

  /** The drift frames for captures up to `seq`, joined (null when none). */
  driftUpTo(seq: number): Uint8Array | null {
    const cached = this.driftChunks.get(seq);
    if (cached !== undefined) return cached;
    const frames = this.drift.filter((d) => d.seq <= seq).map((d) => d.frame);
    const out = frames.length === 0 ? null : frames.length === 1 ? frames[0]! : Buffer.concat(frames);
    this.driftChunks.set(seq, out);
    return out;
  }
}

export interface HubDeps {
  /** Oldest first, at most `limit` summaries with seq > afterSeq. */
  fetchAfter(endpointId: string, afterSeq: number, limit: number): Promise<TCaptureSummary[]>;
  /** The endpoint's current highest seq (0 when it has none; null when the endpoint is gone). */
  latestSeq(endpointId: string): Promise<number | null>;
  /** Drift of those of `seqs` that have any (read after the schema worker's notification). */
  fetchDrift?(endpointId: string, seqs: readonly number[]): Promise<CaptureDrift[]>;
  /** Shortest time between two writes to a list's stream (LIVE_TICK_MS), and after a coalesced one (COALESCED_TICK_MS). */
  tickMs?: number;
  coalescedTickMs?: number;
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
  /** Events and drift read since the last tick, for ticked subscribers. */
  private tick = new HubTick();
  private tickTimer: ReturnType<typeof setTimeout> | null = null;
  private nextTickAt = -Infinity;
  /** Reads issued, for tests and metrics. */
  reads = 0;
  /** Ticks written, for tests. */
  ticks = 0;

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
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = null;
  }

  /**
   * Writes the pending tick now when the last one is at least a tick ago (a lone capture is not
   * delayed), otherwise once it is: under a burst, ticked subscribers get one write per tick, and
   * under a firehose (coalesced ticks) one per COALESCED_TICK_MS.
   */
  private scheduleTick(): void {
    if (this.tickTimer || this.disposed || this.tick.empty) return;
    const wait = this.nextTickAt - performance.now();
    if (wait <= 0) return this.flushTick();
    this.tickTimer = setTimeout(() => {
      this.tickTimer = null;
      this.flushTick();
    }, wait);
    this.tickTimer.unref?.();
  }

  private flushTick(): void {
    const tick = this.tick;
    this.tick = new HubTick();
    if (tick.empty) return;
    this.ticks++;
    for (const sub of this.subscribers) sub.deliverTick(tick);
    const gap = tick.coalesced ? (this.deps.coalescedTickMs ?? COALESCED_TICK_MS) : (this.deps.tickMs ?? LIVE_TICK_MS);
    this.nextTickAt = performance.now() + gap;
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
    let ticked = false;
    for (const row of rows) {
      const frame = driftFrame(row);
      for (const sub of this.subscribers) {
        // A ticked subscriber may not have been sent the capture yet: the drift waits for its tick, after it.
        if (sub.ticked) ticked = true;
        else sub.deliverDrift(row.seq, frame);
      }
      if (ticked) this.tick.drift.push({ seq: row.seq, frame });
    }
    this.scheduleTick();
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
        // Encoded (and joined) once, shared by every subscriber; ticked ones get them with the tick.
        let joined: Uint8Array | null = null;
        let coalescing = false;
        for (const sub of this.subscribers) {
          // One still catching up holds them (and may go live before the tick, which then skips what it has).
          if (sub.coalesces) coalescing = true;
          if (sub.ticked) continue;
          joined ??= events.length === 1 ? events[0]!.frame : Buffer.concat(events.map((e) => e.frame));
          sub.deliverMany(events, joined);
        }
        if (coalescing) {
          for (const ev of events) this.tick.events.push(ev);
          this.scheduleTick();
        }
      }
      if (rows.length < pageSize) return;
    }
  }
}
