// The receiving half of `hookscope forward`: follows an endpoint's live stream (GET …/events) and
// hands every capture to the forward loop. It remembers the seq of the last capture it took and
// reconnects with Last-Event-ID, so captures that arrive while it is disconnected (laptop asleep,
// server restarted) are replayed on reconnect; when more were missed than the stream replays (a
// `reset` event), it pages them in through the captures API. While the loop's backlog is full it
// leaves the stream and comes back once the backlog drains.
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { BacklogFull, MAX_BACKLOG, type ForwardLoop } from "./forward-loop";
import { sleep, type CaptureSummary, type ServerApi } from "./server-api";
import type { CliIo } from "./types";

export interface CaptureStreamOptions {
  api: ServerApi;
  io: CliIo;
  origin: string;
  key: string;
  endpointId: string;
  /** Resume after this seq (null: from now on). */
  lastSeq: number | null;
  /** Reconnect delay bounds (tests shorten them). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  signal?: AbortSignal;
}

export class CaptureStream {
  /** Highest seq taken from the stream (or paged in); reconnects resume after it. */
  private lastSeq: number | null;
  private live = false;

  constructor(
    private readonly opts: CaptureStreamOptions,
    private readonly loop: ForwardLoop,
  ) {
    this.lastSeq = opts.lastSeq;
  }

  /** Follows the stream until the signal aborts (0) or the server refuses it (1). */
  async run(): Promise<number> {
    const { io, signal } = this.opts;
    let backoff = this.opts.minBackoffMs ?? 500;
    let connectedOnce = false;
    while (!signal?.aborted) {
      try {
        const headers: Record<string, string> = { authorization: `Bearer ${this.opts.key}`, accept: "text/event-stream" };
        if (this.lastSeq !== null) headers["last-event-id"] = String(this.lastSeq);
        const res = await fetch(`${this.opts.origin}/api/endpoints/${this.opts.endpointId}/events`, { headers, signal });
        if (res.status === 401 || res.status === 404) {
          io.err(`✗ The server refused the stream (${res.status}): check the URL and --key.`);
          return 1;
        }
        if (!res.ok || !res.body) throw new Error(`the stream answered ${res.status}`);
        if (connectedOnce) io.out("Reconnected; catching up on what was missed.");
        connectedOnce = true;
        backoff = this.opts.minBackoffMs ?? 500;
        await this.read(res.body);
        throw new Error("the stream ended");
      } catch (e) {
        if (signal?.aborted) break;
        if (e instanceof BacklogFull) {
          // Leaving the stream drops nothing: the captures are in the server's database, and the
          // reconnect resumes after the last one queued.
          io.err(`… ${this.loop.length} captures waiting for the target; the stream pauses until it catches up`);
          await this.loop.waitForRoom();
          continue;
        }
        io.err(`… disconnected (${(e as Error).message}); reconnecting in ${Math.round(backoff / 100) / 10} s`);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, this.opts.maxBackoffMs ?? 10_000);
      }
    }
    return 0;
  }

  /** Handles the stream's events in order until it ends. */
  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    // Parsed frames wait in `frames` so handling them (paging in after a reset) can await.
    let frames: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (e) => frames.push(e) });
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      const batch = frames;
      frames = [];
      for (const { event, data } of batch) {
        if (event === "capture") {
          const s = JSON.parse(data) as CaptureSummary;
          if (this.lastSeq === null || s.seq > this.lastSeq) this.take(s);
        } else if (event === "ready") {
          const { latestSeq } = JSON.parse(data) as { latestSeq: number };
          if (this.lastSeq === null) this.lastSeq = latestSeq;
          if (!this.live) this.opts.io.out("Live: new captures are forwarded as they arrive.");
          this.live = true;
        } else if (event === "reset") {
          const { latestSeq } = JSON.parse(data) as { latestSeq: number };
          await this.backfill(latestSeq);
        }
      }
    }
  }

  private take(s: CaptureSummary): void {
    this.loop.enqueue(s);
    this.lastSeq = Math.max(this.lastSeq ?? 0, s.seq);
  }

  /** Pages in captures with seq > lastSeq through the list API (after a `reset`: too many missed for the stream). */
  private async backfill(upTo: number): Promise<void> {
    const after = this.lastSeq ?? upTo;
    const room = MAX_BACKLOG - this.loop.length;
    // Newest first from the API; only the oldest `room` are kept, the rest come after a reconnect.
    let missed: CaptureSummary[] = [];
    let cut = false;
    let cursor: string | null = null;
    for (;;) {
      const page: { items: CaptureSummary[]; nextCursor: string | null } = await this.opts.api(
        `/api/endpoints/${this.opts.endpointId}/captures?limit=500${cursor ? `&cursor=${cursor}` : ""}`,
      );
      for (const s of page.items) if (s.seq > after && s.seq <= upTo) missed.push(s);
      if (missed.length > room) {
        missed = missed.slice(missed.length - room);
        cut = true;
      }
      cursor = page.nextCursor;
      if (!cursor || page.items.length === 0 || page.items[page.items.length - 1]!.seq <= after) break;
    }
    missed.sort((a, b) => a.seq - b.seq);
    for (const s of missed) this.take(s);
    if (cut) throw new BacklogFull();
    this.lastSeq = Math.max(after, upTo);
  }
}
