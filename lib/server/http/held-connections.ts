// Reading a connection's first bytes before node:http (or the next such reader) gets the socket:
// the PROXY protocol header (proxy-protocol.ts) and the first request line of a capture
// (lib/server/capture/any-method.ts). Both wrap the server's "connection" listeners the same way.
import "server-only";
import type http from "node:http";
import type net from "node:net";

export interface HeldConnections {
  /** Gives the socket to the listeners it was held from, with `bytes` (read and not used up) put back first. */
  handOver(socket: net.Socket, bytes: Buffer | null): void;
  /** The socket is not held any more (handed over or closed). */
  release(socket: net.Socket): void;
}

/**
 * Takes `server`'s "connection" listeners installed so far, and calls `onConnection` for every new
 * socket instead; it reads what it needs, then hands the socket over. Until then the socket is
 * held: not node:http's yet, so its closeIdleConnections() (used at shutdown) would not see it and
 * server.close() would wait; closeIdleConnections() destroys held sockets too.
 */
export function holdConnections(server: http.Server, onConnection: (socket: net.Socket, held: HeldConnections) => void): void {
  const inner = server.listeners("connection") as ((socket: net.Socket) => void)[];
  server.removeAllListeners("connection");
  const waiting = new Set<net.Socket>();
  const closeIdle = server.closeIdleConnections.bind(server);
  server.closeIdleConnections = () => {
    for (const s of waiting) s.destroy();
    closeIdle();
  };
  const held: HeldConnections = {
    handOver(socket, bytes) {
      waiting.delete(socket);
      socket.pause();
      if (bytes?.length) socket.unshift(bytes);
      for (const l of inner) l.call(server, socket);
      socket.resume();
    },
    release: (socket) => void waiting.delete(socket),
  };
  server.on("connection", (socket: net.Socket) => {
    waiting.add(socket);
    socket.once("close", () => waiting.delete(socket));
    onConnection(socket, held);
  });
}
