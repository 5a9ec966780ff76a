// Which IP addresses a server-side send may connect to. Pure: classifies one address (any
// textual form net.isIP accepts, brackets and zone ids allowed) with ipaddr.js, whose range()
// knows the IANA IPv4 and IPv6 special-purpose registries. Only what it calls "unicast" may be
// reached; forms that carry an IPv4 address (IPv4-mapped ::ffff:127.0.0.1, IPv4-translated
// ::ffff:0:7f00:1, NAT64 64:ff9b::a9fe:a9fe, 6to4 2002:7f00:1::) are judged by that address.
// Special-purpose but globally reachable ranges (AS112 DNS sinks, AMT relays) are refused too:
// no webhook receiver lives there. Hostnames are not handled here: the sender resolves them and
// checks every resulting address at connect time.
import net from "node:net";
import ipaddr from "ipaddr.js";

export interface BlockedRange {
  /** CIDR of the range, e.g. 127.0.0.0/8. */
  cidr: string;
  /** What the range is, for the refusal message. */
  name: string;
}

/** ipaddr.js range names, as a person reads them. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: "“this network” or unspecified (reaches the local host)",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local (includes the cloud metadata service 169.254.169.254)",
  loopback: "loopback",
  carrierGradeNat: "carrier-grade NAT (shared address space)",
  private: "private network",
  reserved: "reserved, protocol-assignment or documentation",
  as112: "AS112 DNS sink",
  as112v6: "AS112 DNS sink",
  amt: "AMT relay",
  benchmarking: "benchmarking",
  uniqueLocal: "unique local (private network)",
  deprecatedSiteLocal: "site-local (deprecated)",
  discard: "discard-only",
  rfc6052: "local-use NAT64",
  teredo: "Teredo tunnelling",
  deprecatedOrchid: "ORCHID (deprecated)",
  orchid2: "ORCHIDv2",
  droneRemoteIdProtocolEntityTags: "drone remote ID entity tags",
  segmentRouting: "SRv6 segment identifiers",
};

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** IANA allocates IPv6 global unicast from 2000::/3 only; ipaddr.js calls the rest "unicast" too. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR("2000::/3");
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR("64:ff9b::/96");

/** The CIDR of ipaddr.js's range `name` that holds `addr` (its table is not in the typings). */
function cidrOf(addr: Address, name: string): string {
  const table = (addr as unknown as { SpecialRanges: Record<string, [Address, number] | [Address, number][]> }).SpecialRanges;
  const entry = table[name];
  const list = entry === undefined ? [] : Array.isArray(entry[0]) ? (entry as [Address, number][]) : [entry as [Address, number]];
  const hit = list.find(([net, bits]) => addr.match(net, bits));
  return hit ? `${hit[0].toString()}/${hit[1]}` : name;
}

function describe(addr: Address, range: string): BlockedRange {
  return { cidr: cidrOf(addr, range), name: RANGE_NAMES[range] ?? range };
}

/** The IPv4 address an IPv6 address carries and what the carrying form is called, or null. */
function embeddedV4(addr: ipaddr.IPv6, range: string): { v4: ipaddr.IPv4; kind: string } | null {
  const b = addr.toByteArray();
  const tail = () => new ipaddr.IPv4(b.slice(12, 16));
  if (range === "ipv4Mapped") return { v4: tail(), kind: "IPv4-mapped" };
  if (range === "rfc6145") return { v4: tail(), kind: "IPv4-translated" };
  if (range === "rfc6052" && addr.match(NAT64_WELL_KNOWN)) return { v4: tail(), kind: "NAT64" };
  if (range === "6to4") return { v4: new ipaddr.IPv4(b.slice(2, 6)), kind: "6to4" };
  return null;
}

function classify(addr: Address): BlockedRange | null {
  const range = addr.range();
  if (addr.kind() === "ipv4") return range === "unicast" ? null : describe(addr, range);
  const v6 = addr as ipaddr.IPv6;
  const carried = embeddedV4(v6, range);
  if (carried) {
    const inner = classify(carried.v4);
    return inner ? { cidr: `${cidrOf(v6, range)} → ${inner.cidr}`, name: `${carried.kind} ${inner.name}` } : null;
  }
  if (range !== "unicast") return describe(v6, range);
  // 100:0:0:1::/64 (dummy prefix), ::/96 (IPv4-compatible) and whatever IANA reserves next.
  if (!v6.match(GLOBAL_UNICAST_V6)) return { cidr: "outside 2000::/3", name: "IETF-reserved (not global unicast)" };
  return null;
}

/**
 * The blocked range an IP address falls in, or null when it is a public unicast address.
 * Throws on text that is not an IP address.
 */
export function blockedRangeOf(ip: string): BlockedRange | null {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  // net.isIP first: ipaddr.js also reads shorthand forms ("127.1") that are not address text.
  if (!net.isIP(bare)) throw new Error(`not an IP address: ${ip}`);
  return classify(ipaddr.parse(bare));
}

/** Address text without IPv6 brackets, or null when the host is a name rather than an IP. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return net.isIP(bare) ? bare : null;
}
