// A lean SSE client for benchmarks with many streams: counts capture events and remembers the
// last id and the arrival time of chosen capture ids, without keeping the stream's text
// (test/support/sse.ts keeps everything, which 1,000 busy streams cannot afford).
import http from "node:http";
import { createParser, type EventSourceMessage } from "eventsource-parser";

export class SseCounter {
  captures = 0;
  /** `coalesced` frames (a list's stream under a burst: many captures in one frame) and the captures they stood for. */
  coalesced = 0;
  coalescedCaptures = 0;
  lastId: number | null = null;
  ready = false;
  ended = false;
  error: Error | null = null;
  /** performance.now() at arrival, for capture ids the caller asked to time (see `timeIds`). */
  readonly arrivals = new Map<string, number>();
  /** When true, every capture's id and arrival time are kept in `arrivals`. */
  timeIds = false;
  /** performance.now() when the chunk being parsed arrived. */
  private chunkAt = 0;
  private readonly parser = createParser({ onEvent: (e) => this.onEvent(e) });

  private constructor(
    readonly status: number,
    private readonly req: http.ClientRequest,
    private readonly res: http.IncomingMessage,
  ) {
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => this.feed(chunk));
    res.on("end", () => (this.ended = true));
    const fail = (e: Error) => {
      if (!this.ended) this.error ??= e;
    };
    res.on("error", fail);
    req.on("error", fail);
  }

  static open(url: string, headers: Record<string, string>): Promise<SseCounter> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { headers: { accept: "text/event-stream", ...headers }, agent: false }, (res) =>
        resolve(new SseCounter(res.statusCode ?? 0, req, res)),
      );
      req.once("error", reject);
    });
  }

  close(): void {
    this.req.destroy();
    this.res.destroy();
  }

  private feed(chunk: string): void {
    this.chunkAt = performance.now();
    this.parser.feed(chunk);
  }

  private onEvent(e: EventSourceMessage): void {
    if (e.event === "capture") {
      this.captures++;
      if (e.id !== undefined && /^\d+$/.test(e.id)) this.lastId = Number(e.id);
      if (this.timeIds) {
        const cid = /"id":"([^"]+)"/.exec(e.data);
        if (cid) this.arrivals.set(cid[1]!, this.chunkAt);
      }
    } else if (e.event === "coalesced") {
      this.coalesced++;
      if (e.id !== undefined && /^\d+$/.test(e.id)) this.lastId = Number(e.id);
      const count = /"count":(\d+)/.exec(e.data);
      if (count) this.coalescedCaptures += Number(count[1]);
    } else if (e.event === "ready") {
      this.ready = true;
    }
  }
}
