// A tiny round-robin HTTP load balancer on node:http for `npm run start:cluster` and the replica
// tests: requests go to the next healthy replica; bodies and responses are streamed both ways
// (so SSE works, and large uploads are not buffered); header names keep their case and order
// (capture stores them as sent); X-Forwarded-For/-Proto/-Host are appended, so replicas run
// with TRUST_PROXY=1. A replica that refuses a connection is skipped for a while; a GET or HEAD
// that hit it is retried on the next one (other methods get 502: their body may be half sent).
// For testing on one machine; in production use nginx, Caddy, HAProxy or a cloud load balancer.
import http from "node:http";
import type net from "node:net";

export interface ProxyOptions {
  host: string;
  port: number;
  /** Replica base URLs, e.g. http://127.0.0.1:3001. */
  upstreams: string[];
  /** How long a replica that refused a connection or failed its health check is skipped. */
  downMs?: number;
  /** Health check interval (GET /api/health); 0 disables it. */
  healthEveryMs?: number;
  log?: (msg: string) => void;
}

export interface RunningProxy {
  url: string;
  port: number;
  /** Requests sent to each upstream so far. */
  counts: Map<string, number>;
  close(): Promise<void>;
}

/** Connection-level headers: they describe one hop and are never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "upgrade",
]);

function forwardable(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

export async function startProxy(opts: ProxyOptions): Promise<RunningProxy> {
  const upstreams = opts.upstreams.map((u) => new URL(u));
  const downUntil = new Map<string, number>();
  const counts = new Map<string, number>(opts.upstreams.map((u) => [new URL(u).origin, 0]));
  const downMs = opts.downMs ?? 2_000;
  let next = 0;
  const log = opts.log ?? (() => {});

  const markDown = (u: URL, why: string) => {
    if (!downUntil.has(u.origin)) log(`${u.origin} is down (${why}); skipped until it answers its health check`);
    downUntil.set(u.origin, Date.now() + downMs);
  };
  const markUp = (u: URL) => {
    if (downUntil.delete(u.origin)) log(`${u.origin} is back`);
  };

  /** The next replica not marked down (all down: plain round robin, so one coming back is found). */
  const pick = (skip: Set<string>): URL | null => {
    const now = Date.now();
    for (let i = 0; i < upstreams.length; i++) {
      const u = upstreams[(next + i) % upstreams.length]!;
      if (skip.has(u.origin) || (downUntil.get(u.origin) ?? 0) > now) continue;
      next = (next + i + 1) % upstreams.length;
      return u;
    }
    const rest = upstreams.filter((u) => !skip.has(u.origin));
    if (rest.length === 0) return null;
    return rest[next++ % rest.length]!;
  };

  const server = http.createServer((req, res) => {
    const socket = req.socket as net.Socket;
    const client = (socket.remoteAddress ?? "").replace(/^::ffff:(?=\d)/, "");
    const headers = forwardable(req.rawHeaders);
    const xff = req.headers["x-forwarded-for"];
    // Our own entry, last: a replica with TRUST_PROXY=1 reads exactly this one.
    const xffValue = xff ? `${Array.isArray(xff) ? xff.join(", ") : xff}, ${client}` : client;
    const cleaned: string[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const n = headers[i]!.toLowerCase();
      if (n !== "x-forwarded-for" && n !== "x-forwarded-proto" && n !== "x-forwarded-host") cleaned.push(headers[i]!, headers[i + 1]!);
    }
    cleaned.push("X-Forwarded-For", xffValue, "X-Forwarded-Proto", "http", "X-Forwarded-Host", req.headers.host ?? "");
    const retryable = req.method === "GET" || req.method === "HEAD";
    const tried = new Set<string>();

    const attempt = () => {
      const u = pick(tried);
      if (!u) return fail(502, "No replica is reachable.");
      tried.add(u.origin);
      counts.set(u.origin, (counts.get(u.origin) ?? 0) + 1);
      const upstream = http.request({
        host: u.hostname,
        port: u.port,
        method: req.method,
        path: req.url,
        headers: cleaned,
        // One upstream connection per client request keeps SSE and uploads independent.
        agent: false,
      });
      let answered = false;
      upstream.on("response", (up) => {
        answered = true;
        res.writeHead(up.statusCode ?? 502, up.statusMessage, forwardable(up.rawHeaders));
        // Stream as it comes: SSE frames reach the client as the replica writes them.
        res.flushHeaders();
        up.pipe(res);
        // A replica that ends a stream cleanly (SIGTERM) ends ours through the pipe; one that dies
        // mid-response resets ours. Either way the client (EventSource) reconnects through us.
        up.on("error", () => res.destroy());
        up.on("close", () => {
          if (!up.complete) res.destroy();
        });
      });
      upstream.on("error", (e: NodeJS.ErrnoException) => {
        if (answered) return res.destroy();
        if (e.code === "ECONNREFUSED" || e.code === "ECONNRESET") markDown(u, e.code);
        if (retryable && tried.size < upstreams.length) return attempt();
        fail(502, `Replica ${u.origin} failed: ${e.code ?? e.message}`);
      });
      res.on("close", () => {
        if (!res.writableFinished) upstream.destroy();
      });
      if (retryable) upstream.end();
      else req.pipe(upstream);
    };

    const fail = (status: number, message: string) => {
      if (res.headersSent) return res.destroy();
      const body = JSON.stringify({ error: { code: "BAD_GATEWAY", message } });
      res.writeHead(status, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(body),
        Connection: "close",
      });
      res.end(body);
    };

    attempt();
  });
  server.keepAliveTimeout = 5_000;
  // Streams and large uploads are long-lived; replicas enforce their own timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 20_000;

  let health: ReturnType<typeof setInterval> | undefined;
  if ((opts.healthEveryMs ?? 2_000) > 0) {
    health = setInterval(() => {
      for (const u of upstreams) {
        fetch(new URL("/api/health", u), { signal: AbortSignal.timeout(1_500) }).then(
          async (r) => {
            await r.arrayBuffer();
            if (r.ok) markUp(u);
            else markDown(u, `health ${r.status}`);
          },
          () => markDown(u, "health check failed"),
        );
      }
    }, opts.healthEveryMs ?? 2_000);
    health.unref();
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, resolve);
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : opts.port;
  return {
    url: `http://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${port}`,
    port,
    counts,
    async close() {
      clearInterval(health);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
