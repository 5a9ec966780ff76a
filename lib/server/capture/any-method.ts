// Node's HTTP parser (llhttp) knows a fixed list of methods and answers any other token (FOO,
// BREW, lower-case "post") with a bare 400 before a handler runs. Capture promises to store any
// method token, so for capture URLs the first request line of a connection is read before
// node:http sees it: an unknown token is swapped for a stand-in the parser accepts, and the real
// token is put back on req.method before any request listener runs.
//
// Because node:http's parser starts only when the first request line is handed over, its own
// headersTimeout would count from then, not from the connection: a client silent for most of
// the timeout and then trickling its head held a socket for twice the setting. So the head
// deadline is kept here, from the connection until the first request's headers are parsed.
//
// Limit: only the first request of a connection can be rewritten (later ones would need a full
// HTTP parser to find their start). Such a request's answer closes the connection, so a client
// that sends unknown methods reconnects and each of its requests is again the first.
import "server-only";
import http from "node:http";
import type net from "node:net";
import { writeClientError } from "@/lib/server/http/client-error";
import { holdConnections } from "@/lib/server/http/held-connections";

const KNOWN_METHODS = new Set(http.METHODS);
/** RFC 9110 token characters: what a method may consist of. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Longer "methods" are not worth rescuing; node:http refuses them as before. */
export const MAX_METHOD_LENGTH = 64;
/** Parsed like any request with a body (Content-Length or chunked); never seen by handlers. */
const STAND_IN = "POST";
const CAPTURE_PREFIX = " /h/";

export type FirstLineDecision = { kind: "wait" } | { kind: "pass" } | { kind: "rewrite"; bytes: Buffer; method: string };

/**
 * What to do with the first bytes of a connection: wait for more, pass them on untouched, or
 * rewrite an unknown method token on a capture target to the stand-in.
 */
export function decideFirstLine(buf: Buffer): FirstLineDecision {
  const space = buf.indexOf(0x20);
  if (space === -1) {
    // Only a token can still become a method; anything else (a TLS hello, garbage) is node's to refuse.
    const mayBeMethod = buf.length <= MAX_METHOD_LENGTH && (buf.length === 0 || TOKEN.test(buf.toString("latin1")));
    return mayBeMethod ? { kind: "wait" } : { kind: "pass" };
  }
  if (space === 0 || space > MAX_METHOD_LENGTH) return { kind: "pass" };
  const method = buf.subarray(0, space).toString("latin1");
  if (KNOWN_METHODS.has(method) || !TOKEN.test(method)) return { kind: "pass" };
  const prefix = buf.subarray(space, space + CAPTURE_PREFIX.length).toString("latin1");
  if (prefix.length < CAPTURE_PREFIX.length) return CAPTURE_PREFIX.startsWith(prefix) ? { kind: "wait" } : { kind: "pass" };
  if (prefix !== CAPTURE_PREFIX) return { kind: "pass" };
  return { kind: "rewrite", bytes: Buffer.concat([Buffer.from(STAND_IN, "latin1"), buf.subarray(space)]), method };
}

const realMethods = new WeakMap<net.Socket, string>();
/** Head deadlines of connections whose first request's headers have not been parsed yet. */
const headDeadlines = new WeakMap<net.Socket, ReturnType<typeof setTimeout>>();

/**
 * Makes `server` accept any method token on capture URLs. Call once, before listen().
 * `headersTimeoutMs` bounds the time from a connection's start to the end of its first
 * request's headers; past it the connection gets 408 (the error envelope, as server.ts answers
 * node's own timeouts) and is closed. Match headersTimeout.
 */
export function acceptAnyMethod(server: http.Server, opts: { headersTimeoutMs: number }): void {
  holdConnections(server, (socket, held) => {
    let buf: Buffer = Buffer.alloc(0);
    let settled = false;
    const detach = () => {
      held.release(socket);
      settled = true;
      socket.off("data", onData);
      socket.off("end", onGone);
      socket.off("error", onGone);
    };
    const settle = (bytes: Buffer | null) => {
      if (settled) return;
      detach();
      held.handOver(socket, bytes);
    };
    const onData = (d: Buffer) => {
      buf = buf.length ? Buffer.concat([buf, d]) : d;
      const decision = decideFirstLine(buf);
      if (decision.kind === "wait") return;
      if (decision.kind === "rewrite") {
        realMethods.set(socket, decision.method);
        return settle(decision.bytes);
      }
      settle(buf);
    };
    // Gone before its first request line: there is nobody to answer.
    const onGone = () => {
      if (settled) return;
      detach();
      socket.destroy();
    };
    // A client whose first request head is not complete within the header timeout gets what
    // node:http answers a late header block with, whether or not node:http has it by now.
    const timer = setTimeout(() => {
      headDeadlines.delete(socket);
      if (!settled) detach();
      socket.on("error", () => {});
      writeClientError(socket, "ERR_HTTP_REQUEST_TIMEOUT");
      // Destroyed, not ended: node:http's parser must not go on to a request nobody can answer.
      socket.destroy();
    }, opts.headersTimeoutMs);
    timer.unref();
    headDeadlines.set(socket, timer);
    socket.once("close", () => clearTimeout(timer));
    socket.on("data", onData);
    socket.once("end", onGone);
    socket.once("error", onGone);
  });

  // Runs before every other request listener, so handlers and Next only ever see the real token.
  // (server.ts's checkContinue listener emits "request" too.)
  server.prependListener("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    // The head is complete; the body is REQUEST_TIMEOUT's, later requests node:http's own.
    const deadline = headDeadlines.get(req.socket);
    if (deadline !== undefined) {
      clearTimeout(deadline);
      headDeadlines.delete(req.socket);
    }
    const method = realMethods.get(req.socket);
    if (method === undefined) return;
    realMethods.delete(req.socket);
    req.method = method;
    res.shouldKeepAlive = false;
  });
}
