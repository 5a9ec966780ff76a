// A budget for capture bodies in flight: bytes read from sockets and not yet committed. Past it,
// a body that is being read is paused (its socket is no longer read, so TCP pushes back on the
// sender) instead of refused, and resumed as committed bodies free memory: 512 clients uploading
// 1 MiB each are all stored, about a budget's worth at a time (bench:uploads).
//
// Bytes are counted as they arrive, never reserved ahead: a connection that declares a large
// Content-Length and sends nothing holds nothing. So that paused bodies can never wait on each
// other for ever, the oldest body being read (by its first byte) is never paused. Memory stays
// below the budget plus that one body (at most MAX_BODY_BYTES) plus what each paused connection
// had buffered (a chunk of up to 64 KiB, and node's stream buffer). A big body's buffer sets
// address space aside ahead of its bytes (lib/server/capture/body-buffer.ts); those pages are
// not memory until the bytes come, and then they are counted here. A buffer it outgrew stays
// resident until collected, uncounted (about a third of a big body's bytes, as the chunks of a
// Buffer.concat were).
import "server-only";

/** Room one resumed body is expected to take before it is checked again (about a socket read or four). */
const RESUME_ROOM_BYTES = 256 * 1024;

export class BodyBudget {
  private used = 0;
  private peak = 0;
  private pauses = 0;
  /** Bodies holding bytes, oldest first byte first (a Set keeps insertion order). */
  private readonly holders = new Set<BudgetHolder>();
  private readonly paused: BudgetHolder[] = [];

  constructor(readonly limitBytes: number) {}

  /** Bytes held by bodies read and not yet released. */
  get inUse(): number {
    return this.used;
  }

  /** Bodies paused for want of room. */
  get waiting(): number {
    return this.paused.length;
  }

  /** The most bytes held at once since start. */
  get peakInUse(): number {
    return this.peak;
  }

  /** How many times a body was paused since start. */
  get pauseCount(): number {
    return this.pauses;
  }

  /** A holder for one request's body: `resume` is called when a paused body may read again. */
  holder(resume: () => void): BudgetHolder {
    return new BudgetHolder(this, resume);
  }

  /** @internal Counts `bytes` just read; false when the body must pause until its resume() is called. */
  add(h: BudgetHolder, bytes: number): boolean {
    this.holders.add(h);
    this.used += bytes;
    h.held += bytes;
    if (this.used > this.peak) this.peak = this.used;
    if (this.used <= this.limitBytes || this.oldest() === h) return true;
    this.pauses++;
    this.paused.push(h);
    return false;
  }

  /** @internal */
  release(h: BudgetHolder): void {
    this.holders.delete(h);
    const i = this.paused.indexOf(h);
    if (i >= 0) this.paused.splice(i, 1);
    this.used -= h.held;
    h.held = 0;
    this.wake();
  }

  private oldest(): BudgetHolder | undefined {
    return this.holders.values().next().value;
  }

  private wake(): void {
    // The oldest body never waits: without it, bodies paused half-way could wait on each other.
    const first = this.oldest();
    const j = first ? this.paused.indexOf(first) : -1;
    if (j >= 0) this.paused.splice(j, 1)[0]!.resume();
    // Then, first paused first resumed, as many as the free room is expected to hold.
    let room = this.limitBytes - this.used;
    while (this.paused.length > 0 && room > 0) {
      this.paused.shift()!.resume();
      room -= RESUME_ROOM_BYTES;
    }
  }
}

export class BudgetHolder {
  held = 0;
  private released = false;
  constructor(
    private readonly budget: BodyBudget,
    readonly resume: () => void,
  ) {}

  /** Counts bytes just read; false: pause reading until `resume` is called. */
  add(bytes: number): boolean {
    if (this.released) return true;
    return this.budget.add(this, bytes);
  }

  /** Gives back everything held, once: when the body is committed, refused or abandoned. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.release(this);
  }
}
