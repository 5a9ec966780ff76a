// Every server-side send (test events now; resend and forward later) goes through sendOutgoing.
// SSRF guard: literal IPs are checked before connecting; host names are resolved by a custom
// `lookup` on the request, which checks EVERY resolved address and hands the socket only those,
// so the address connected to is the address checked (DNS rebinding cannot slip a private
// address in between a check and the connect). One fresh connection per request (no agent
// pooling), redirects only when asked and each hop checked the same way, one deadline for the
// whole exchange, and a capped response body. ALLOW_PRIVATE_TARGETS lifts the address check.
import "server-only";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { env } from "@/lib/server/env";
import { headerPairs } from "@/lib/shared/format/header";
import { isSecretHeader } from "@/lib/shared/format/redact-headers";
import { blockedRangeOf, ipLiteral, type BlockedRange } from "./address-policy";

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

export interface OutgoingRequest {
  method: string;
  url: string;
  /** Sent in this order, names as written. Host, Content-Length, Transfer-Encoding and Connection are set by the sender. */
  headers?: readonly (readonly [string, string])[];
  body?: Buffer | string | null;
  /** false (default): a 3xx is the answer. true or a number: follow up to that many hops (true = 5). */
  followRedirects?: boolean | number;
  timeoutMs?: number;
  /** Response bytes kept; the rest is not read. */
  maxResponseBytes?: number;
  /**
   * Allow private, loopback and other internal addresses. Defaults to ALLOW_PRIVATE_TARGETS. Set
   * it only for URLs the server builds itself (the endpoint's own capture URL), never for input.
   */
  allowPrivate?: boolean;
  /** Replaces the address rules (tests, or callers with stricter rules); ignored when allowPrivate. */
  addressPolicy?: AddressPolicy;
  signal?: AbortSignal;
}

/** The blocked range an address falls in, or null to allow it. */
export type AddressPolicy = (ip: string) => BlockedRange | null;

export interface OutgoingResponse {
  status: number;
  statusText: string;
  /** As received: original case, order and repeats. */
  headers: [string, string][];
  body: Buffer;
  /** Bytes received (more than body.length when truncated). */
  bodySize: number;
  truncated: boolean;
  /** The URL that answered (differs from the request's after redirects). */
  url: string;
  remoteAddress: string | null;
}

export type OutgoingErrorCode =
  | "invalid_url"
  | "blocked_address"
  | "dns_failed"
  | "connect_failed"
  | "timeout"
  | "too_many_redirects"
  | "insecure_redirect"
  | "aborted"
  | "request_failed";

export interface OutgoingHop {
  url: string;
  status: number;
}

export type OutgoingResult =
  | { ok: true; response: OutgoingResponse; redirects: OutgoingHop[]; durationMs: number; firstByteMs: number }
  | { ok: false; error: { code: OutgoingErrorCode; message: string }; redirects: OutgoingHop[]; durationMs: number };

/**
 * The headers to send on to a redirect's next hop. Never from HTTPS down to plain HTTP (the
 * request and its signature would cross the network in clear): refused. To another origin (but
 * the same host's HTTPS on the default ports), without the credential and signature headers share
 * links hide by name (Authorization, Cookie, API keys, each scheme's signature header):
 * credentials and signatures stay with the host they were meant for.
 */
export function headersForHop(from: URL, to: URL, headers: readonly (readonly [string, string])[]): readonly (readonly [string, string])[] {
  if (from.protocol === "https:" && to.protocol === "http:") {
    throw new OutgoingError("insecure_redirect", `Refused to follow a redirect from HTTPS to plain HTTP (${to.origin}).`);
  }
  // The same host moving a plain HTTP target to HTTPS (a common redirect) is not another party.
  const upgrade = from.protocol === "http:" && to.protocol === "https:" && from.host === to.hostname && to.port === "";
  return to.origin === from.origin || upgrade ? headers : headers.filter(([n]) => !isSecretHeader(n));
}

class OutgoingError extends Error {
  constructor(
    readonly code: OutgoingErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function blockedMessage(host: string, address: string, r: BlockedRange): string {
  const via = host === address ? address : `${host} resolves to ${address}`;
  return `Refused: ${via}, a ${r.name} address (${r.cidr}). Hookscope does not send to internal networks; a self-hoster can allow it with ALLOW_PRIVATE_TARGETS=true.`;
}

/** dns.lookup that fails when any resolved address is blocked, and otherwise returns them all. */
function guardedLookup(policy: AddressPolicy | null, onAddress: (address: string) => void): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "", 0);
      if (policy) {
        for (const a of addresses) {
          const r = policy(a.address);
          if (r) return callback(new OutgoingError("blocked_address", blockedMessage(hostname, a.address, r)), "", 0);
        }
      }
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: "ENOTFOUND" }), "", 0);
      onAddress(addresses[0]!.address);
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** Sent when a request has no User-Agent of its own. */
const DEFAULT_USER_AGENT = ["User-Agent", "Hookscope"] as const;

function hasUserAgent(headers: readonly (readonly [string, string])[]): boolean {
  return headers.some(([n]) => n.toLowerCase() === "user-agent");
}

/** The headers as sendOutgoing sends them (its default User-Agent added), so a delivery record shows what went out. */
export function withDefaultUserAgent(headers: [string, string][]): [string, string][] {
  return hasUserAgent(headers) ? headers : [...headers, [...DEFAULT_USER_AGENT]];
}

const MANAGED = new Set(["host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer"]);

function describeSocketError(e: NodeJS.ErrnoException, url: URL): OutgoingError {
  if (e instanceof OutgoingError) return e;
  const code = e.code ?? "";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ENODATA")
    return new OutgoingError("dns_failed", `Could not resolve ${url.hostname} (${code}).`);
  if (["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE"].includes(code))
    return new OutgoingError("connect_failed", `Could not connect to ${url.host}: ${code}.`);
  if (code.startsWith("ERR_TLS") || /certificate|SSL|TLS/i.test(e.message))
    return new OutgoingError("connect_failed", `TLS with ${url.host} failed: ${e.message}`);
  return new OutgoingError("request_failed", `The request to ${url.host} failed: ${e.message}`);
}

interface HopInput {
  url: URL;
  method: string;
  headers: readonly (readonly [string, string])[];
  body: Buffer | null;
  deadline: number;
  maxBytes: number;
  /** null: every address is allowed. */
  policy: AddressPolicy | null;
  signal?: AbortSignal;
  onFirstByte: () => void;
}

function sendOnce(h: HopInput): Promise<OutgoingResponse> {
  return new Promise((resolve, reject) => {
    const { url } = h;
    const literal = ipLiteral(url.hostname);
    if (literal !== null && h.policy) {
      const r = h.policy(literal);
      if (r) return reject(new OutgoingError("blocked_address", blockedMessage(literal, literal, r)));
    }
    const startedAt = Date.now();
    let remoteAddress: string | null = literal;
    const raw: string[] = ["Host", url.host];
    for (const [n, v] of h.headers) if (!MANAGED.has(n.toLowerCase())) raw.push(n, v);
    if (!hasUserAgent(h.headers)) raw.push(...DEFAULT_USER_AGENT);
    if (h.body !== null || !["GET", "HEAD", "OPTIONS", "DELETE"].includes(h.method))
      raw.push("Content-Length", String(h.body?.length ?? 0));
    raw.push("Connection", "close");

    const mod = url.protocol === "https:" ? https : http;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(e instanceof OutgoingError ? e : describeSocketError(e as NodeJS.ErrnoException, url));
    };
    const req = mod.request({
      protocol: url.protocol,
      hostname: literal ?? url.hostname,
      port: url.port || (url.protocol === "https:" ? 443 : 80),
      path: `${url.pathname}${url.search}`,
      method: h.method,
      headers: raw,
      agent: false,
      lookup: guardedLookup(h.policy, (a) => (remoteAddress = a)),
      servername: literal === null ? url.hostname : undefined,
    });
    const timer = setTimeout(
      () =>
        fail(new OutgoingError("timeout", `No complete answer from ${url.host} within ${Math.round((h.deadline - startedAt) / 1000)} s.`)),
      Math.max(0, h.deadline - Date.now()),
    );
    const onAbort = () => fail(new OutgoingError("aborted", "The send was cancelled."));
    h.signal?.addEventListener("abort", onAbort, { once: true });
    req.once("close", () => h.signal?.removeEventListener("abort", onAbort));
    req.on("error", fail);
    req.on("response", (res) => {
      h.onFirstByte();
      const chunks: Buffer[] = [];
      let kept = 0;
      let size = 0;
      let truncated = false;
      const finish = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? "",
          headers: headerPairs(res.rawHeaders),
          body: Buffer.concat(chunks, kept),
          bodySize: size,
          truncated,
          url: url.toString(),
          remoteAddress: res.socket?.remoteAddress ?? remoteAddress,
        });
        req.destroy();
      };
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        const room = h.maxBytes - kept;
        if (chunk.length > room) {
          if (room > 0) chunks.push(chunk.subarray(0, room));
          kept += Math.max(room, 0);
          truncated = true;
          // Stop reading: the rest of an oversized answer is never buffered.
          finish();
          res.destroy();
          return;
        }
        chunks.push(chunk);
        kept += chunk.length;
      });
      res.once("end", finish);
      res.once("error", fail);
      res.once("aborted", () => fail(new OutgoingError("request_failed", `${url.host} closed the connection mid-answer.`)));
    });
    req.end(h.body ?? undefined);
  });
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutgoingError("invalid_url", `Not a URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new OutgoingError("invalid_url", `Only http and https URLs can be sent to, not ${url.protocol}`);
  if (url.username || url.password)
    throw new OutgoingError("invalid_url", "URLs with a user name or password are not sent to; put credentials in a header.");
  return url;
}

/**
 * Sends one request with the SSRF guard. Never throws for network outcomes: a refusal, DNS
 * failure, timeout or redirect limit is `{ ok: false, error }`; any HTTP status is `ok: true`.
 */
export async function sendOutgoing(input: OutgoingRequest): Promise<OutgoingResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  let firstByteMs = 0;
  const redirects: OutgoingHop[] = [];
  const maxHops =
    input.followRedirects === true ? DEFAULT_MAX_REDIRECTS : typeof input.followRedirects === "number" ? input.followRedirects : 0;
  // One setting for every outgoing send (forward attempts, resends, test events): 30 s by default.
  const deadline = Date.now() + (input.timeoutMs ?? env().FORWARD_TIMEOUT_SECONDS * 1000);
  const policy = (input.allowPrivate ?? env().ALLOW_PRIVATE_TARGETS) ? null : (input.addressPolicy ?? blockedRangeOf);
  let method = input.method.toUpperCase();
  let body =
    input.body === undefined || input.body === null ? null : Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body, "utf8");
  let headers = input.headers ?? [];
  try {
    let url = parseTarget(input.url);
    for (;;) {
      const response = await sendOnce({
        url,
        method,
        headers,
        body,
        deadline,
        maxBytes: input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
        policy,
        signal: input.signal,
        onFirstByte: () => (firstByteMs = elapsed()),
      });
      const location = response.headers.find(([n]) => n.toLowerCase() === "location")?.[1];
      if (maxHops === 0 || !location || ![301, 302, 303, 307, 308].includes(response.status)) {
        return { ok: true, response, redirects, durationMs: elapsed(), firstByteMs };
      }
      if (redirects.length >= maxHops) throw new OutgoingError("too_many_redirects", `Stopped after ${maxHops} redirects.`);
      redirects.push({ url: url.toString(), status: response.status });
      const next = parseTarget(new URL(location, url).toString());
      // Like browsers: 303, and 301/302 after a POST, continue as GET without the body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        if (method !== "HEAD") method = "GET";
        body = null;
        headers = headers.filter(([n]) => !/^content-/i.test(n));
      }
      headers = headersForHop(url, next, headers);
      url = next;
    }
  } catch (e) {
    const err = e instanceof OutgoingError ? e : new OutgoingError("request_failed", e instanceof Error ? e.message : String(e));
    return { ok: false, error: { code: err.code, message: err.message }, redirects, durationMs: elapsed() };
  }
}
