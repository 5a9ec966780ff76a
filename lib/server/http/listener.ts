// The one node:http server, set up for what it serves: capture must not lose headers or invite
// bodies it will refuse, node's own refusals carry the error envelope, any method token reaches
// capture, and one client address cannot hold every connection.
import "server-only";
import http from "node:http";
import { acceptAnyMethod } from "@/lib/server/capture/any-method";
import { isCaptureTarget } from "@/lib/server/capture/target";
import { answerClientError } from "./client-error";
import { limitConnectionsPerIp } from "./connection-limit";
import { acceptProxyProtocol } from "./proxy-protocol";

export interface ListenerOptions {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Capture bodies above this get 413 without "100 Continue" first. */
  maxBodyBytes: number;
  /** Open connections per client address (IPv6: per /64); 0 for no cap. */
  maxConnectionsPerIp: number;
  /** Every connection starts with a PROXY protocol header (PROXY_PROTOCOL=1). */
  proxyProtocol?: boolean;
  log?: (msg: string) => void;
}

export function createListener(onRequest: http.RequestListener, o: ListenerOptions): http.Server {
  const server = http.createServer(
    {
      maxHeaderSize: 16 * 1024,
      headersTimeout: o.headersTimeoutMs,
      requestTimeout: o.requestTimeoutMs,
      keepAliveTimeout: 5_000,
      // How often node looks for connections past those two timeouts. Its default (30 s) would
      // let a stalled client hold its socket up to 30 s longer than the settings say.
      connectionsCheckingInterval: 1_000,
    },
    onRequest,
  );
  // node keeps only the first 2000 header lines (1000 pairs) and silently drops the rest; capture
  // must not lose headers, so there is no count limit: maxHeaderSize (431 past 16 KiB) bounds them.
  server.maxHeadersCount = 0;
  // A client that sends its whole capture request and then shuts its sending side (`nc -N`,
  // printf | nc, some devices) still gets its answer, and its request is stored: by default node
  // aborts every request not yet answered when the client's FIN arrives, and capture answers after
  // a commit. The socket still ends once the last answer is written; a FIN mid-body is still an
  // abort. Everything else keeps node's default: a FIN is the client leaving, so a live stream
  // (which never finishes by itself) ends at once rather than at its next failed write.
  (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.prependListener("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (isCaptureTarget(req.url ?? "")) return;
    const socket = req.socket;
    const gone = () => socket.destroy();
    if (socket.readableEnded) return void gone();
    socket.once("end", gone);
    res.once("close", () => socket.off("end", gone));
  });
  // With a listener here node no longer sends "100 Continue" by itself: a capture whose declared
  // body is over the cap gets its 413 without first inviting the body.
  server.on("checkContinue", (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!(isCaptureTarget(req.url ?? "") && declaredLength(req) > o.maxBodyBytes)) res.writeContinue();
    server.emit("request", req, res);
  });
  // Unparseable requests, oversized headers and timeouts: node's status, with the error envelope.
  server.on("clientError", answerClientError);
  // node:http alone answers unknown method tokens (FOO) with 400; capture stores them.
  acceptAnyMethod(server, { headersTimeoutMs: o.headersTimeoutMs });
  // Last, so it wraps every other connection listener.
  if (o.maxConnectionsPerIp > 0) limitConnectionsPerIp(server, o.maxConnectionsPerIp);
  // Outermost: every listener above sees the client's address from the header, not the balancer's.
  if (o.proxyProtocol) acceptProxyProtocol(server, { timeoutMs: o.headersTimeoutMs, log: o.log });
  return server;
}

/**
 * Resolves when every connection of a closed server has ended, or after `ms` (a long download
 * is not waited for). Keep-alive connections go idle once answered and are closed as they do.
 */
export async function connectionsEnded(server: http.Server, closed: Promise<void>, ms: number): Promise<void> {
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearInterval(sweep);
    clearTimeout(timer);
  }
}

/** The request's Content-Length as a number; -1 when absent or not plain digits. */
function declaredLength(req: http.IncomingMessage): number {
  const cl = req.headers["content-length"];
  return cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : -1;
}
