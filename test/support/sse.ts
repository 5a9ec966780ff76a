// A minimal Server-Sent Events client over node:http for tests and benchmarks: it keeps the raw
// bytes (to check exact framing), parses events as they arrive (with eventsource-parser), and lets
// callers wait for a condition instead of sleeping. No EventSource reconnect logic: tests
// reconnect explicitly.
import { EventEmitter } from "node:events";
import http from "node:http";
import { createParser } from "eventsource-parser";

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  /** performance.now() when the event's last byte arrived. */
  at: number;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  raw = "";
  /** The server ended the response cleanly. */
  ended = false;
  /** The connection failed or was reset (not a clean end). */
  error: Error | null = null;
  private readonly changed = new EventEmitter();
  /** performance.now() when the chunk being parsed arrived. */
  private chunkAt = 0;
  private readonly parser = createParser({
    onEvent: (e) => this.events.push({ id: e.id, event: e.event ?? "message", data: e.data, at: this.chunkAt }),
    onComment: (text) => this.comments.push(text.trim()),
  });

  private constructor(
    readonly status: number,
    readonly headers: http.IncomingHttpHeaders,
    private readonly req: http.ClientRequest,
    private readonly res: http.IncomingMessage,
  ) {
    this.changed.setMaxListeners(0);
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => this.feed(chunk));
    res.on("end", () => {
      this.ended = true;
      this.changed.emit("change");
    });
    const fail = (e: Error) => {
      if (this.ended) return;
      this.error ??= e;
      this.changed.emit("change");
    };
    res.on("error", fail);
    res.on("aborted", () => fail(new Error("response aborted")));
    req.on("error", fail);
  }

  /** Opens a stream; resolves when the response head arrives (any status). */
  static open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: "text/event-stream", ...headers }, agent: false }, (res) => {
        resolve(new SseClient(res.statusCode ?? 0, res.headers, req, res));
      });
      req.once("error", reject);
    });
  }

  /** Capture events only, with their data parsed. */
  captures<T = { seq: number }>(): (T & { _id: string | undefined; _at: number })[] {
    return this.events.filter((e) => e.event === "capture").map((e) => ({ ...(JSON.parse(e.data) as T), _id: e.id, _at: e.at }));
  }

  /** Resolves when `cond` holds (checked now and after every chunk); rejects on timeout or stream failure. */
  waitFor(cond: (c: SseClient) => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    if (cond(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (cond(this)) return done();
        if (this.error || this.ended)
          return done(new Error(`stream ${this.error ? `failed (${this.error.message})` : "ended"} while waiting for ${what}`));
      };
      const timer = setTimeout(
        () => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.describe()}`)),
        timeoutMs,
      );
      const done = (e?: Error) => {
        clearTimeout(timer);
        this.changed.off("change", check);
        if (e) reject(e);
        else resolve();
      };
      this.changed.on("change", check);
    });
  }

  /** Resolves when the stream ends or fails (for shutdown checks). */
  waitForClose(timeoutMs = 30_000): Promise<void> {
    return this.waitForAny((c) => c.ended || c.error !== null, "the stream to close", timeoutMs);
  }

  close(): void {
    this.req.destroy();
    this.res.destroy();
  }

  describe(): string {
    const kinds = this.events.map((e) => (e.event === "capture" ? `capture#${e.id}` : e.event));
    return `[${kinds.slice(-20).join(", ")}] (${this.events.length} events, ended=${this.ended}, error=${this.error?.message ?? null})`;
  }

  private waitForAny(cond: (c: SseClient) => boolean, what: string, timeoutMs: number): Promise<void> {
    if (cond(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!cond(this)) return;
        clearTimeout(timer);
        this.changed.off("change", check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.changed.off("change", check);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      this.changed.on("change", check);
    });
  }

  private feed(chunk: string): void {
    this.chunkAt = performance.now();
    this.raw += chunk;
    this.parser.feed(chunk);
    this.changed.emit("change");
  }
}
