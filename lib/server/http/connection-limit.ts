// A cap on open connections per client address for the one node:http listener: one sender
// holding thousands of sockets (slowloris, a leaky client) cannot take every file descriptor
// and starve everyone else. The cap counts TCP peers, an IPv6 peer by its /64 like the capture
// rate limit (one subscriber holds a whole /64), so behind a reverse proxy it counts the proxy
// (server.ts leaves it off then unless set).
import "server-only";
import type net from "node:net";
import { clientGroup } from "./client-group";
import { rawErrorEnvelope } from "./node-response";

/** How long a refused connection may linger (reading and discarding) before it is cut. */
const REFUSED_GRACE_MS = 2_000;

const BUSY_RESPONSE = rawErrorEnvelope(503, "RATE_LIMITED", "Too many open connections from your address; close some and retry.", {
  "Retry-After": "1",
});

export interface ConnectionLimit {
  /** Open connections counted for an address (its /64 for IPv6) now. */
  count(address: string): number;
  /** Connections refused since start. */
  readonly refused: number;
}

/**
 * Lets at most `max` connections per client address (IPv6: per /64) reach `server`'s other connection
 * listeners; one more is answered 503 (Retry-After: 1) and closed. Call after every other
 * listener on "connection" is installed (acceptAnyMethod's included): it wraps them.
 */
export function limitConnectionsPerIp(server: net.Server, max: number): ConnectionLimit {
  const open = new Map<string, number>();
  let refused = 0;
  const inner = server.listeners("connection") as ((socket: net.Socket) => void)[];
  server.removeAllListeners("connection");
  server.on("connection", (socket: net.Socket) => {
    const addr = clientGroup(socket.remoteAddress ?? "");
    const n = open.get(addr) ?? 0;
    if (n >= max) {
      refused++;
      socket.on("error", () => {});
      // Read and drop what the client sends, so closing does not reset the connection (a reset
      // would throw the 503 away before the client reads it).
      socket.resume();
      socket.end(BUSY_RESPONSE);
      setTimeout(() => socket.destroy(), REFUSED_GRACE_MS).unref();
      return;
    }
    open.set(addr, n + 1);
    socket.once("close", () => {
      const left = (open.get(addr) ?? 1) - 1;
      if (left <= 0) open.delete(addr);
      else open.set(addr, left);
    });
    for (const l of inner) l.call(server, socket);
  });
  return {
    count: (address) => open.get(clientGroup(address)) ?? 0,
    get refused() {
      return refused;
    },
  };
}
