// The address a request came from: the socket's peer, or the X-Forwarded-For entry added by the
// outermost trusted proxy (TRUST_PROXY hops). Stored with each capture; also decides who counts as
// loopback for /api/metrics.
import "server-only";
import type { IncomingMessage } from "node:http";

/** The client's address as text, IPv4-mapped IPv6 (`::ffff:1.2.3.4`) written as IPv4. */
export function clientAddress(req: IncomingMessage, trustProxy: number): string {
  let addr = req.socket.remoteAddress ?? "";
  if (trustProxy > 0) {
    const xff = req.headers["x-forwarded-for"];
    const list = (Array.isArray(xff) ? xff.join(",") : (xff ?? ""))
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    // The entry added by the outermost trusted proxy is trustProxy places from the end.
    const pick = list[list.length - trustProxy];
    if (pick) addr = pick;
  }
  return addr.startsWith("::ffff:") && addr.includes(".") ? addr.slice(7) : addr;
}
