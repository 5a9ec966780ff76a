// Which IP addresses a server-side send may connect to. Pure: classifies one address (any
// textual form net.isIP accepts, brackets and zone ids allowed) by normalising it to bytes, so
// IPv4-mapped (::ffff:127.0.0.1), NAT64 (64:ff9b::a9fe:a9fe) and 6to4 (2002:7f00:1::) forms are
// judged by the IPv4 address inside them. Hostnames are not handled here: the sender resolves
// them and checks every resulting address at connect time.
import net from "node:net";

export interface BlockedRange {
  /** CIDR of the range, e.g. 127.0.0.0/8. */
  cidr: string;
  /** What the range is, for the refusal message. */
  name: string;
}

interface Range extends BlockedRange {
  bytes: number[];
  prefix: number;
}

function v4Bytes(ip: string): number[] {
  return ip.split(".").map(Number);
}

function range(cidr: string, name: string): Range {
  const [addr, bits] = cidr.split("/") as [string, string];
  return { cidr, name, bytes: addr.includes(":") ? v6Bytes(addr)! : v4Bytes(addr), prefix: Number(bits) };
}

/** IPv6 text to 16 bytes (null when not IPv6). */
export function v6Bytes(text: string): number[] | null {
  let s = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  const zone = s.indexOf("%");
  if (zone !== -1) s = s.slice(0, zone);
  if (!net.isIPv6(s)) return null;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const [a, b, c, d] = v4Bytes(tail[1]!);
    s = s.slice(0, tail.index) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, rest] = s.includes("::") ? (s.split("::") as [string, string]) : [s, null];
  const h = head ? head.split(":") : [];
  const r = rest === null ? [] : rest ? rest.split(":") : [];
  const groups = rest === null ? h : [...h, ...Array<string>(8 - h.length - r.length).fill("0"), ...r];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const v = parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

function inRange(bytes: number[], r: Range): boolean {
  if (bytes.length !== r.bytes.length) return false;
  let bits = r.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (r.bytes[i]! & mask)) return false;
  }
  return true;
}

const V4: Range[] = [
  range("0.0.0.0/8", "“this network” (0.0.0.0 reaches the local host)"),
  range("10.0.0.0/8", "private network"),
  range("100.64.0.0/10", "carrier-grade NAT (shared address space)"),
  range("127.0.0.0/8", "loopback"),
  range("169.254.0.0/16", "link-local (includes the cloud metadata service 169.254.169.254)"),
  range("172.16.0.0/12", "private network"),
  range("192.0.0.0/24", "IETF protocol assignments"),
  range("192.0.2.0/24", "documentation (TEST-NET-1)"),
  range("192.88.99.0/24", "6to4 relay anycast"),
  range("192.168.0.0/16", "private network"),
  range("198.18.0.0/15", "benchmarking"),
  range("198.51.100.0/24", "documentation (TEST-NET-2)"),
  range("203.0.113.0/24", "documentation (TEST-NET-3)"),
  range("224.0.0.0/4", "multicast"),
  range("240.0.0.0/4", "reserved (includes broadcast 255.255.255.255)"),
];

const V6: Range[] = [
  range("::/128", "unspecified address (reaches the local host)"),
  range("::1/128", "loopback"),
  range("::/96", "IPv4-compatible (deprecated)"),
  range("64:ff9b:1::/48", "local-use NAT64"),
  range("100::/64", "discard-only"),
  range("2001::/32", "Teredo tunnelling"),
  range("2001:db8::/32", "documentation"),
  range("fc00::/7", "unique local (private network)"),
  range("fe80::/10", "link-local"),
  range("fec0::/10", "site-local (deprecated)"),
  range("ff00::/8", "multicast"),
];

/** IPv6 ranges that carry an IPv4 address: the IPv4 address decides. */
const EMBEDDING: { range: Range; at: number; kind: string }[] = [
  { range: range("::ffff:0:0/96", "IPv4-mapped"), at: 12, kind: "IPv4-mapped" },
  { range: range("64:ff9b::/96", "NAT64"), at: 12, kind: "NAT64" },
  { range: range("2002::/16", "6to4"), at: 2, kind: "6to4" },
];

function checkV4(bytes: number[]): BlockedRange | null {
  const r = V4.find((x) => inRange(bytes, x));
  return r ? { cidr: r.cidr, name: r.name } : null;
}

/**
 * The blocked range an IP address falls in, or null when it is a public unicast address.
 * Throws on text that is not an IP address.
 */
export function blockedRangeOf(ip: string): BlockedRange | null {
  if (net.isIPv4(ip)) return checkV4(v4Bytes(ip));
  const bytes = v6Bytes(ip);
  if (!bytes) throw new Error(`not an IP address: ${ip}`);
  for (const e of EMBEDDING) {
    if (!inRange(bytes, e.range)) continue;
    const inner = checkV4(bytes.slice(e.at, e.at + 4));
    return inner ? { cidr: `${e.range.cidr} → ${inner.cidr}`, name: `${e.kind} ${inner.name}` } : null;
  }
  const r = V6.find((x) => inRange(bytes, x));
  return r ? { cidr: r.cidr, name: r.name } : null;
}

/** Address text without IPv6 brackets, or null when the host is a name rather than an IP. */
export function ipLiteral(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return net.isIP(bare) ? bare : null;
}
