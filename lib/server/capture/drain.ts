// Shutdown bookkeeping for the capture path. Once closing, no capture is stored any more (the
// handler answers 503 SHUTTING_DOWN instead), and every capture already stored keeps its
// connection until its configured answer, delay included, has gone out. A stored capture that is
// never answered is the worst outcome: the provider retries it and the user sees it twice.
import "server-only";
import type { ServerResponse } from "node:http";
import type { Socket } from "node:net";

export class CaptureDrain {
  private closingNow = false;
  /** Stored captures whose answer has not finished (or whose client has not gone). */
  private unanswered = 0;
  private idleWaiters: (() => void)[] = [];
  /** Capture responses not yet closed, each with its connection's list (in request order). */
  private readonly open = new Map<ServerResponse, ServerResponse[]>();
  private readonly bySocket = new WeakMap<Socket, ServerResponse[]>();
  /** Responses this drain turned to `Connection: close` (and may turn back). */
  private readonly closedHere = new WeakSet<ServerResponse>();

  get closing(): boolean {
    return this.closingNow;
  }

  /** Follows a capture request from arrival until its response closes. */
  track(socket: Socket, res: ServerResponse): void {
    const list = this.bySocket.get(socket) ?? [];
    if (this.closingNow) {
      // A request pipelined behind earlier ones: they keep the connection open for its answer.
      for (const r of list) this.keepOpen(r);
      this.endConnection(res);
    }
    list.push(res);
    this.bySocket.set(socket, list);
    this.open.set(res, list);
    res.once("close", () => {
      this.open.delete(res);
      list.splice(list.indexOf(res), 1);
    });
  }

  /**
   * Called just before a capture's row is queued. False once closing: the handler then answers
   * 503 and stores nothing. True: the capture counts as unanswered until `res` closes.
   */
  admit(res: ServerResponse): boolean {
    if (this.closingNow) return false;
    if (res.destroyed || res.writableFinished) return true; // its client is gone: nothing to wait for
    this.unanswered++;
    res.once("close", () => {
      if (--this.unanswered === 0) for (const w of this.idleWaiters.splice(0)) w();
    });
    return true;
  }

  /**
   * Stops storing captures, and makes the answer to the last capture request on each connection
   * say `Connection: close`, so clients stop sending on sockets that are about to go. Resolves
   * once every stored capture has been answered.
   */
  close(): Promise<void> {
    this.closingNow = true;
    for (const [res, list] of this.open) if (list[list.length - 1] === res) this.endConnection(res);
    if (this.unanswered === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private endConnection(res: ServerResponse): void {
    if (res.headersSent || !res.shouldKeepAlive) return;
    res.shouldKeepAlive = false;
    this.closedHere.add(res);
  }

  private keepOpen(res: ServerResponse): void {
    if (res.headersSent || !this.closedHere.delete(res)) return;
    res.shouldKeepAlive = true;
  }
}
