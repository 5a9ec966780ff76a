// A local HTTP target for outgoing-send tests: records every request (raw header names in
// order, exact body bytes) and counts connections, so a test can prove nothing reached it.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  body: Buffer;
}

export interface Target {
  server: http.Server;
  url: string;
  port: number;
  connections: number;
  received: Received[];
  /** Decides the answer to each request (default 200 "ok"). */
  respond: (req: Received, res: http.ServerResponse, n: number) => void;
  close(): Promise<void>;
}

/** A local HTTP server that records every request (raw header names, exact body bytes). */
export async function startTarget(): Promise<Target> {
  const t: Target = {
    server: http.createServer(),
    url: "",
    port: 0,
    connections: 0,
    received: [],
    respond: (_r, res) => res.end("ok"),
    async close() {
      t.server.closeAllConnections();
      await new Promise((r) => t.server.close(r));
    },
  };
  t.server.on("connection", () => t.connections++);
  t.server.on("request", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { method: req.method!, url: req.url!, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks) };
      t.received.push(r);
      t.respond(r, res, t.received.length);
    });
  });
  await new Promise<void>((r) => t.server.listen(0, "127.0.0.1", r));
  t.port = (t.server.address() as AddressInfo).port;
  t.url = `http://127.0.0.1:${t.port}`;
  return t;
}
