// The PROXY protocol (HAProxy's, v1 and v2) on the one node:http listener, for PROXY_PROTOCOL=1:
// a TCP load balancer in front (`npm run start:cluster`, compose.yaml) passes the bytes of every
// request through untouched (header case and order, bodies, SSE) and says who the client is in a
// header before them. Every connection must then start with that header: it sets the socket's
// remoteAddress, so capture's stored address, the per-address connection cap and /api/metrics'
// loopback check all see the client rather than the balancer. A connection without one is
// closed: anyone reaching the port directly could otherwise claim any address.
// Spec: https://www.haproxy.org/download/2.6/doc/proxy-protocol.txt
import "server-only";
import type http from "node:http";
import { holdConnections } from "./held-connections";

const V2_SIGNATURE = Buffer.from("0d0a0d0a000d0a515549540a", "hex");
const V1_PREFIX = Buffer.from("PROXY ", "latin1");
/** v1 headers are at most 107 bytes with their CRLF. */
const V1_MAX = 107;

export type ProxyHeader =
  | { kind: "wait" }
  | { kind: "bad"; reason: string }
  /** address null: LOCAL (v2) or UNKNOWN (v1), the balancer's own connection (a health check). */
  | { kind: "ok"; length: number; address: string | null; port: number | null };

/** Reads a PROXY protocol header at the start of `buf`. */
export function parseProxyHeader(buf: Buffer): ProxyHeader {
  if (buf.length === 0) return { kind: "wait" };
  if (buf[0] === V2_SIGNATURE[0]) return parseV2(buf);
  if (buf[0] === V1_PREFIX[0]) return parseV1(buf);
  return { kind: "bad", reason: "no PROXY protocol header" };
}

function parseV2(buf: Buffer): ProxyHeader {
  const sig = buf.subarray(0, V2_SIGNATURE.length);
  if (!V2_SIGNATURE.subarray(0, sig.length).equals(sig)) return { kind: "bad", reason: "no PROXY protocol header" };
  if (buf.length < 16) return { kind: "wait" };
  const verCmd = buf[12]!;
  if (verCmd >> 4 !== 2) return { kind: "bad", reason: `PROXY protocol version ${verCmd >> 4}` };
  const length = 16 + buf.readUInt16BE(14);
  if (buf.length < length) return { kind: "wait" };
  const cmd = verCmd & 0x0f;
  if (cmd === 0) return { kind: "ok", length, address: null, port: null };
  if (cmd !== 1) return { kind: "bad", reason: `PROXY protocol command ${cmd}` };
  const family = buf[13]! >> 4;
  const body = buf.subarray(16, length);
  if (family === 1 && body.length >= 12)
    return { kind: "ok", length, address: [...body.subarray(0, 4)].join("."), port: body.readUInt16BE(8) };
  if (family === 2 && body.length >= 36) {
    const groups = Array.from({ length: 8 }, (_, i) => body.readUInt16BE(i * 2).toString(16));
    return { kind: "ok", length, address: compactIpv6(groups), port: body.readUInt16BE(32) };
  }
  // AF_UNSPEC (and unix sockets): no client address to take.
  if (family === 0 || family === 3) return { kind: "ok", length, address: null, port: null };
  return { kind: "bad", reason: `PROXY protocol address family ${family}` };
}

function parseV1(buf: Buffer): ProxyHeader {
  const start = buf.subarray(0, V1_PREFIX.length);
  if (!V1_PREFIX.subarray(0, start.length).equals(start)) return { kind: "bad", reason: "no PROXY protocol header" };
  const end = buf.indexOf("\r\n", 0, "latin1");
  if (end === -1) return buf.length >= V1_MAX ? { kind: "bad", reason: "PROXY protocol v1 line too long" } : { kind: "wait" };
  const parts = buf.subarray(0, end).toString("latin1").split(" ");
  const length = end + 2;
  if (parts[1] === "UNKNOWN") return { kind: "ok", length, address: null, port: null };
  const [, proto, src, , sport] = parts;
  const port = Number(sport);
  if (parts.length !== 6 || (proto !== "TCP4" && proto !== "TCP6") || !src || !Number.isInteger(port))
    return { kind: "bad", reason: "malformed PROXY protocol v1 line" };
  return { kind: "ok", length, address: src, port };
}

/** 2001:db8:0:0:0:0:0:1 → 2001:db8::1; ::ffff:a.b.c.d stays hex (clientAddress handles the dotted form). */
function compactIpv6(groups: string[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === "0") j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  if (best === -1) return groups.join(":");
  return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`;
}

/**
 * Makes every connection to `server` start with a PROXY protocol header, read before any other
 * connection listener sees the socket (call after every other one is installed: it wraps them).
 * `timeoutMs` bounds the wait for the header.
 */
export function acceptProxyProtocol(server: http.Server, opts: { timeoutMs: number; log?: (msg: string) => void }): void {
  holdConnections(server, (socket, held) => {
    let buf: Buffer = Buffer.alloc(0);
    const detach = () => {
      held.release(socket);
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", drop);
      socket.off("error", drop);
    };
    const drop = () => {
      detach();
      socket.destroy();
    };
    const onData = (d: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      const h = parseProxyHeader(buf);
      if (h.kind === "wait") return;
      if (h.kind === "bad") {
        opts.log?.(`connection from ${socket.remoteAddress} refused: ${h.reason} (PROXY_PROTOCOL=1)`);
        return drop();
      }
      detach();
      if (h.address !== null) {
        // Own properties shadow net.Socket's getters for everyone reading this socket later.
        const family = h.address.includes(":") ? "IPv6" : "IPv4";
        Object.defineProperty(socket, "remoteAddress", { value: h.address, configurable: true });
        Object.defineProperty(socket, "remotePort", { value: h.port, configurable: true });
        Object.defineProperty(socket, "remoteFamily", { value: family, configurable: true });
      }
      held.handOver(socket, buf.subarray(h.length));
    };
    const timer = setTimeout(drop, opts.timeoutMs);
    socket.on("data", onData);
    socket.on("end", drop);
    socket.on("error", drop);
  });
}
