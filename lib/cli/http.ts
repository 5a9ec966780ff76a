// The CLI's sender: plain node:http(s), headers sent in order with their names as written. No
// SSRF guard on purpose: the CLI runs on the user's machine and localhost is the usual target.
import http from "node:http";
import https from "node:https";
import { headerPairs } from "../shared/format/header";

export interface CliResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  body: Buffer;
  /** Bytes that arrived (the body keeps at most 1 MiB). */
  size: number;
  /** Milliseconds from sending to the last response byte. */
  durationMs: number;
  /** Milliseconds from sending to the response's headers (what a replay's latency check bounds). */
  headersMs: number;
}

const MAX_BODY = 1024 * 1024;

export function sendRequest(opts: {
  method: string;
  url: string;
  headers: [string, string][];
  body: string | Buffer;
  timeoutMs: number;
}): Promise<CliResponse> {
  const url = new URL(opts.url);
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return Promise.reject(new Error(`only http and https URLs, not ${url.protocol}`));
  const started = performance.now();
  const body = typeof opts.body === "string" ? Buffer.from(opts.body, "utf8") : opts.body;
  const raw: string[] = ["Host", url.host];
  for (const [n, v] of opts.headers) if (!/^(host|content-length|connection|transfer-encoding)$/i.test(n)) raw.push(n, v);
  // A bodiless GET goes out without Content-Length: 0, as it arrived.
  if (body.length > 0 || !["GET", "HEAD", "OPTIONS", "DELETE"].includes(opts.method.toUpperCase()))
    raw.push("Content-Length", String(body.length));
  raw.push("Connection", "close");
  return new Promise((resolve, reject) => {
    const req = (url.protocol === "https:" ? https : http).request(
      {
        hostname: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port || (url.protocol === "https:" ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        method: opts.method,
        headers: raw,
        agent: false,
        timeout: opts.timeoutMs,
      },
      (res) => {
        const headersMs = performance.now() - started;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < MAX_BODY) chunks.push(c);
          size += c.length;
        });
        res.on("end", () => {
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? "",
            headers: headerPairs(res.rawHeaders),
            body: Buffer.concat(chunks).subarray(0, MAX_BODY),
            size,
            durationMs: performance.now() - started,
            headersMs,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}
