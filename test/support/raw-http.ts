// HTTP/1.1 over a bare node:net socket: sends exactly the bytes a test gives it (unknown
// methods, absolute-form targets, duplicate mixed-case headers, latin1 header bytes, partial
// bodies) and parses the responses by hand, so nothing in between normalises either side.
import net from "node:net";

export interface RawResponse {
  httpVersion: string;
  status: number;
  statusText: string;
  /** Header lines in the order received, names as sent, values decoded as latin1. */
  headers: [string, string][];
  body: Buffer;
  /** First value of a header (case-insensitive), or undefined. */
  header(name: string): string | undefined;
  /** Every value of a header in order. */
  all(name: string): string[];
}

interface Waiter {
  head: boolean;
  resolve: (r: RawResponse) => void;
  reject: (e: Error) => void;
}

const CRLF2 = Buffer.from("\r\n\r\n");

/** One client connection; responses are parsed as they arrive and handed out in order. */
export class RawConnection {
  private buf = Buffer.alloc(0);
  private ready: RawResponse[] = [];
  private waiters: Waiter[] = [];
  private ended = false;
  private error: Error | null = null;
  /** Body bytes written so far (counts only bytes accepted by the socket). */
  bytesWritten = 0;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.parse();
    });
    socket.on("error", (e) => {
      this.error = e;
    });
    this.closed = new Promise((resolve) =>
      socket.once("close", () => {
        this.ended = true;
        this.parse();
        const err = this.error ?? new Error("connection closed before a complete response arrived");
        for (const w of this.waiters.splice(0)) w.reject(err);
        resolve();
      }),
    );
  }

  static open(port: number, host = "127.0.0.1"): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => {
        s.off("error", reject);
        resolve(new RawConnection(s));
      });
      s.once("error", reject);
    });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  /** Writes bytes and waits until the socket takes them (backpressure); rejects once the peer has gone. */
  write(data: string | Buffer): Promise<void> {
    const bytes = typeof data === "string" ? Buffer.from(data, "latin1") : data;
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed || this.socket.writableEnded) return reject(this.error ?? new Error("socket is closed"));
      this.socket.write(bytes, (err) => {
        if (err) return reject(err);
        this.bytesWritten += bytes.length;
        resolve();
      });
    });
  }

  /**
   * The next complete response. `head` says the request was HEAD, so the response has no body
   * whatever its Content-Length says. Interim 1xx responses are skipped.
   */
  response(opts: { head?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i !== -1) this.waiters.splice(i, 1);
        reject(new Error(`no complete response within ${timeoutMs} ms; received so far: ${JSON.stringify(this.buf.toString("latin1"))}`));
      }, timeoutMs);
      const w: Waiter = {
        head: opts.head ?? false,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.push(w);
      this.parse();
      if (this.ended && this.waiters.includes(w)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.reject(this.error ?? new Error("connection closed before a complete response arrived"));
      }
    });
  }

  end(): void {
    this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private parse(): void {
    while (this.waiters.length > 0) {
      const w = this.waiters[0]!;
      let r: RawResponse | null;
      try {
        r = this.parseOne(w.head);
      } catch (e) {
        this.waiters.shift();
        w.reject(e as Error);
        continue;
      }
      if (!r) return;
      this.waiters.shift();
      w.resolve(r);
    }
  }

  /** Takes one full response off the buffer, or returns null if more bytes are needed. */
  private parseOne(head: boolean): RawResponse | null {
    for (;;) {
      const end = this.buf.indexOf(CRLF2);
      if (end === -1) return null;
      const lines = this.buf.subarray(0, end).toString("latin1").split("\r\n");
      const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]!);
      if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(lines[0])}`);
      const status = Number(m[2]);
      const headers: [string, string][] = lines.slice(1).map((l) => {
        const c = l.indexOf(":");
        return [l.slice(0, c), l.slice(c + 1).trim()];
      });
      const rest = this.buf.subarray(end + 4);
      if (status >= 100 && status < 200) {
        this.buf = rest;
        continue;
      }
      const get = (name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];
      let body: Buffer;
      let used: number;
      if (head || status === 204 || status === 304) {
        body = Buffer.alloc(0);
        used = 0;
      } else if (get("transfer-encoding")?.toLowerCase().includes("chunked")) {
        const parsed = dechunk(rest);
        if (!parsed) return null;
        [body, used] = parsed;
      } else if (get("content-length") !== undefined) {
        const n = Number(get("content-length"));
        if (rest.length < n) return null;
        body = Buffer.from(rest.subarray(0, n));
        used = n;
      } else {
        // Delimited by the connection closing.
        if (!this.ended) return null;
        body = Buffer.from(rest);
        used = rest.length;
      }
      this.buf = rest.subarray(used);
      return {
        httpVersion: m[1]!,
        status,
        statusText: m[3] ?? "",
        headers,
        body,
        header: (name) => get(name.toLowerCase()),
        all: (name) => headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v),
      };
    }
  }
}

/** [body, bytes consumed] of a complete chunked body, or null if incomplete. */
function dechunk(buf: Buffer): [Buffer, number] | null {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf("\r\n", pos);
    if (eol === -1) return null;
    const size = parseInt(buf.subarray(pos, eol).toString("latin1").split(";")[0]!, 16);
    pos = eol + 2;
    if (size === 0) {
      // Skip trailers up to the blank line.
      const t = buf.indexOf("\r\n", pos);
      if (t === -1) return null;
      if (t === pos) return [Buffer.concat(parts), pos + 2];
      const endTrailers = buf.indexOf(CRLF2, pos);
      return endTrailers === -1 ? null : [Buffer.concat(parts), endTrailers + 4];
    }
    if (buf.length < pos + size + 2) return null;
    parts.push(buf.subarray(pos, pos + size));
    pos += size + 2;
  }
}

/** Sends one request's exact bytes on a fresh connection and returns its response. */
export async function rawRequest(
  port: number,
  bytes: string | Buffer,
  opts: { head?: boolean; timeoutMs?: number } = {},
): Promise<RawResponse> {
  const c = await RawConnection.open(port);
  try {
    const res = c.response(opts);
    await c.write(bytes);
    return await res;
  } finally {
    c.destroy();
  }
}

/** Builds request bytes: request line, header lines exactly as given, blank line, body. */
export function requestBytes(requestLine: string, headers: [string, string][], body?: string | Buffer): Buffer {
  const head = `${requestLine}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`;
  const b = body === undefined ? Buffer.alloc(0) : typeof body === "string" ? Buffer.from(body, "utf8") : body;
  return Buffer.concat([Buffer.from(head, "latin1"), b]);
}

/** One chunk of a chunked body. */
export function chunk(data: Buffer | string): Buffer {
  const b = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  return Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`, "latin1"), b, Buffer.from("\r\n", "latin1")]);
}

export const LAST_CHUNK = Buffer.from("0\r\n\r\n", "latin1");
