// The unit one sender is counted as, for the capture rate limit (lib/server/capture/rate-limit.ts) and
// the connection cap (lib/server/http/connection-limit.ts). IPv6 hands out a /64 per subscriber, so
// one sender could otherwise rotate through 2^64 addresses of its own: an IPv6 address counts
// as its /64. IPv4 (and IPv4-mapped IPv6) addresses count as themselves.
import "server-only";
import net from "node:net";
import ipaddr from "ipaddr.js";

/** The key `address` is counted under; text that is not an IP address is its own key. */
export function clientGroup(address: string): string {
  if (!net.isIPv6(address)) return address;
  const a = ipaddr.IPv6.parse(address);
  if (a.isIPv4MappedAddress()) return a.toIPv4Address().toString();
  return `${a.parts
    .slice(0, 4)
    .map((p) => p.toString(16))
    .join(":")}::/64`;
}
