// `hookscope forward <capture-or-dashboard-url> --to <local url> --key <management key>`: pulls
// an endpoint's captures over its live (SSE) stream and sends each to a local target, byte for
// byte, so the server never has to reach the developer's machine. It remembers the seq of the
// last event it saw and reconnects with Last-Event-ID, so captures that arrive while it is
// disconnected (laptop asleep, server restarted) are replayed on reconnect; when more were missed
// than the stream replays (a `reset` event), it pages them in through the captures API.
// While the local target is down (no answer, 5xx or 429) the capture is retried with backoff and
// the ones after it wait, so the target sees every capture once, in order; a 4xx is the target's
// answer and is not retried. The seq of the last capture the target answered is kept in a state
// file (./forward-state), so a restarted CLI resumes after it without --from.
// Each local answer is reported back as a delivery, so the dashboard shows it. With
// --resign-secret each request is re-signed with a test secret (the body untouched), so a local
// handler configured with its test secret accepts forwarded production events.
import { parseArgs } from "node:util";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { forwardableHeaders, forwardUrl } from "@/lib/shared/delivery/forward-request";
import { resignRequest, ResignError } from "@/lib/shared/signatures/resign";
import { SecretFormatError } from "@/lib/shared/signatures/types";
import { SIGNATURE_SCHEMES, type TSecretScheme, type TSignatureScheme } from "@/lib/shared/validation/signatures";
import { cursorFile, readCursor, stateDir, writeCursor } from "./forward-state";
import { sendRequest, type CliResponse } from "./http";
import type { CliCommand, CliIo } from "./types";

/** Schemes --resign-scheme takes (generic HMAC rules need options: resend or forward rules in the dashboard). */
const RESIGN_SCHEMES: TSecretScheme[] = ["auto", ...SIGNATURE_SCHEMES.filter((s) => s !== "generic")];

export const FORWARD_HELP = `Usage: hookscope forward <capture-or-dashboard-url> --to <url> --key <management key> [options]

Sends every new capture of an endpoint to a local URL: method, the path after the capture URL,
query, headers (without hop-by-hop ones and Host) and the exact body bytes. One line per request.
After a disconnect it resumes where it stopped, so nothing captured meanwhile is skipped.
While the target is down (connection refused, timeout, 5xx, 429) the capture is retried with
backoff (1 s doubling to 30 s) and later ones wait their turn; a 4xx answer is final. The last
capture the target answered is remembered (in $HOOKSCOPE_STATE_DIR, else $XDG_STATE_HOME/hookscope,
else ~/.hookscope), so running the same command again resumes after it.

Arguments:
  <capture-or-dashboard-url>  the capture URL (https://hooks.example.com/h/<slug>) or the
                              dashboard URL of the endpoint or of one capture (its #key= works as --key)

Options:
  --to <url>          where to send, e.g. http://localhost:3000/webhooks (required)
  --key <key>         the endpoint's management key (or HOOKSCOPE_KEY)
  --from <capture id> first replay every capture from this one on (oldest first), then go live
                      (without it: resume after the last capture sent to this --to, if any)
  --max-attempts <n>  give up on a capture after n tries while the target is down, report it
                      failed and go on (default: keep trying)
  --resign-secret <secret>  re-sign each request with this (test) secret before sending, so a
                      handler that verifies with its test secret accepts production events
  --resign-scheme <scheme>  the scheme to sign with: auto (default: the one whose signature
                      header the capture carries), ${RESIGN_SCHEMES.filter((s) => s !== "auto").join(", ")}
  --timeout <ms>      per request to the local target (default 30000)
  -h, --help          this help

Example:
  hookscope forward https://hooks.example.com/h/k3q9… --to http://localhost:3000/webhooks --key hsk_…
`;

interface Summary {
  id: string;
  seq: number;
  method: string;
  path: string;
  query: string | null;
}

interface FullCapture extends Summary {
  headers: [string, string][];
  body: { base64: string };
}

export interface ForwardOptions {
  source: string;
  to: string;
  key: string;
  from?: string;
  timeoutMs: number;
  /** Re-sign every request with this secret before sending. */
  resign?: { scheme: TSecretScheme; secret: string };
  signal?: AbortSignal;
  /** Tries per capture while the target is down; undefined keeps trying. */
  maxAttempts?: number;
  /** Where the resume cursor lives (default stateDir()). */
  stateDir?: string;
  /** Reconnect delay bounds (tests shorten them). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Retry delay bounds while the target is down (default 1 s doubling to 30 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

/** Captures held in memory while the target is down; past this the stream pauses (its cursor is enough to resume). */
const MAX_BACKLOG = 1000;

/** Thrown to leave the stream when the backlog is full; it reconnects from the cursor once the backlog drains. */
class BacklogFull extends Error {}

/** No answer, 429 or 5xx: the target is down or overloaded, so the same capture is tried again. */
function shouldRetry(res: CliResponse | null): boolean {
  return res === null || res.status === 429 || res.status >= 500;
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

class ForwardError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Origin, endpoint id or slug, capture id and key from a capture or dashboard URL. */
export function parseSource(raw: string): { origin: string; endpointId?: string; slug?: string; captureId?: string; key?: string } {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ForwardError(`Not a URL: ${raw}`);
  }
  const key = new URLSearchParams(u.hash.slice(1)).get("key") ?? undefined;
  const parts = u.pathname.split("/").filter(Boolean);
  const h = parts.indexOf("h");
  if (h !== -1 && parts[h + 1]) return { origin: u.origin, slug: parts[h + 1], key };
  const e = parts.indexOf("endpoints");
  if (e !== -1 && parts[e + 1] && UUID.test(parts[e + 1]!)) {
    const c = parts.indexOf("captures");
    const captureId = c !== -1 && parts[c + 1] && UUID.test(parts[c + 1]!) ? parts[c + 1] : undefined;
    return { origin: u.origin, endpointId: parts[e + 1]!.toLowerCase(), captureId, key };
  }
  throw new ForwardError(`${raw} is neither a capture URL (…/h/<slug>) nor a dashboard URL (…/endpoints/<id>)`);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}

/** Runs until `signal` aborts (or a fatal error: bad key, unknown endpoint). Returns the exit code. */
export async function runForward(opts: ForwardOptions, io: CliIo): Promise<number> {
  const src = parseSource(opts.source);
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const r = await fetch(`${src.origin}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${opts.key}`, ...(init.body ? { "content-type": "application/json" } : {}) },
      signal: opts.signal,
    });
    const text = await r.text();
    if (!r.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        // not our envelope
      }
      const err = new ForwardError(`${r.status}: ${message}`);
      (err as ForwardError & { status?: number }).status = r.status;
      throw err;
    }
    return (text ? JSON.parse(text) : null) as T;
  };

  let endpointId = src.endpointId;
  try {
    if (!endpointId) endpointId = (await api<{ id: string }>(`/api/endpoints/by-slug/${encodeURIComponent(src.slug!)}`)).id;
  } catch (e) {
    io.err(`✗ Could not open the endpoint: ${(e as Error).message}`);
    return 1;
  }

  const cursor = { origin: src.origin, endpointId, to: opts.to };
  const stateFile = cursorFile(cursor, opts.stateDir ?? stateDir());
  /** Highest seq taken from the stream (or paged in); reconnects resume after it. */
  let lastSeq: number | null = null;
  const fromId = opts.from;
  if (fromId) {
    try {
      const c = await api<Summary>(`/api/captures/${fromId}`);
      lastSeq = c.seq - 1;
    } catch (e) {
      io.err(`✗ --from ${fromId}: ${(e as Error).message}`);
      return 1;
    }
  } else {
    lastSeq = await readCursor(stateFile);
    if (lastSeq !== null) io.out(`Resuming after #${lastSeq}, the last capture sent to ${opts.to} (--from to start elsewhere).`);
  }

  /** Fetches the capture and sends it until the target answers. False when stopped first (not handled: a restart sends it again). */
  const forwardOne = async (s: Summary): Promise<boolean> => {
    let capture: FullCapture;
    for (let tries = 0; ; tries++) {
      try {
        capture = await api<FullCapture>(`/api/captures/${s.id}`);
        break;
      } catch (e) {
        if ((e as { status?: number }).status === 404) {
          io.err(`  #${s.seq} was deleted before it could be forwarded`);
          return true;
        }
        if (opts.signal?.aborted) return false;
        // The server is restarting: try again shortly.
        await sleep(Math.min(500 * 2 ** tries, 5_000), opts.signal);
      }
    }
    let url = forwardUrl(opts.to, capture.path, capture.query);
    let headers = forwardableHeaders(capture.headers);
    const body = Buffer.from(capture.body.base64, "base64");
    let resignError: { code: string; message: string } | null = null;
    let resignedScheme: TSignatureScheme | null = null;
    if (opts.resign) {
      try {
        const signed = resignRequest({ method: capture.method, url, headers, body }, opts.resign);
        ({ url, headers } = signed);
        resignedScheme = signed.scheme;
      } catch (e) {
        if (!(e instanceof ResignError || e instanceof SecretFormatError)) throw e;
        // Like the server's forward worker: not sent unsigned when re-signing was asked for.
        resignError = { code: "resign_failed", message: `Not sent: re-signing failed. ${e.message}` };
      }
    }
    const target = `${capture.method} ${capture.path || "/"}${capture.query !== null ? `?${capture.query}` : ""}`;
    const resigned = resignedScheme ? ` (re-signed, ${resignedScheme})` : "";

    /** Records one try as a `cli` delivery (the first failure and the outcome, not every retry of an outage). */
    const report = async (
      attempt: number,
      willRetry: boolean,
      res: CliResponse | null,
      error: { code: string; message: string } | null,
      ms: number,
    ) => {
      const payload = {
        method: capture.method,
        url,
        headers,
        bodySize: body.length,
        resignedScheme,
        attempt,
        willRetry,
        response: res
          ? {
              status: res.status,
              statusText: res.statusText,
              headers: res.headers,
              bodyBase64: res.body.toString("base64"),
              size: res.size,
              truncated: res.size > res.body.length,
            }
          : null,
        error,
        durationMs: ms,
      };
      let sent: object = payload;
      for (let tries = 0; tries < 5 && !opts.signal?.aborted; tries++) {
        try {
          await api(`/api/captures/${capture.id}/deliveries`, { method: "POST", body: JSON.stringify(sent) });
          return;
        } catch (e) {
          const status = (e as { status?: number }).status;
          if (status === 404) return;
          // A server older than this CLI refuses the fields it does not know: report without them, once.
          if (status === 400 && sent === payload) {
            const { attempt: _a, willRetry: _w, ...older } = payload;
            sent = older;
            continue;
          }
          if (status !== undefined && status < 500) return io.err(`  the server refused the report (${(e as Error).message})`);
          await sleep(Math.min(500 * 2 ** tries, 5_000), opts.signal);
        }
      }
    };

    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let res: CliResponse | null = null;
      let error = resignError;
      if (!error) {
        try {
          res = await sendRequest({ method: capture.method, url, headers, body, timeoutMs: opts.timeoutMs });
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          error = { code: err.code === "ECONNREFUSED" ? "connect_failed" : "request_failed", message: err.message };
        }
      }
      const durationMs = res?.durationMs ?? performance.now() - started;
      const answer = `#${capture.seq} ${target} → ${res ? `${res.status} ${res.statusText}` : `✗ ${error!.message}`} ${Math.round(durationMs)} ms${resigned}`;
      const again = !resignError && shouldRetry(res);
      if (again && (opts.maxAttempts === undefined || attempt < opts.maxAttempts)) {
        const base = Math.min(opts.retryMaxMs ?? 30_000, (opts.retryBaseMs ?? 1_000) * 2 ** (attempt - 1));
        // Jitter (50–100 % of the step), so many CLIs behind one restarted target do not retry in step.
        const wait = Math.round(base / 2 + (Math.random() * base) / 2);
        io.out(`${answer}; target ${res ? "failing" : "down"}, retry ${attempt} in ${seconds(wait)}`);
        if (attempt === 1) await report(attempt, true, res, error, durationMs);
        await sleep(wait, opts.signal);
        if (opts.signal?.aborted) return false;
        continue;
      }
      // Handled: remember it before saying so, so a restart never sends it again.
      await writeCursor(stateFile, cursor, capture.seq).catch((e: Error) => io.err(`  could not save the resume point: ${e.message}`));
      io.out(again ? `${answer}; giving up after ${attempt} attempts (--max-attempts)` : answer);
      await report(attempt, false, res, error, durationMs);
      return true;
    }
  };

  // One at a time, in seq order: the local handler sees requests in the order they arrived, and a
  // capture the target has not answered holds back the ones after it.
  const queue: Summary[] = [];
  const waker: { fn: (() => void) | null } = { fn: null };
  /** Resolves the paused stream once the backlog has room again. */
  const drained: { fn: (() => void) | null } = { fn: null };
  const enqueue = (s: Summary) => {
    if (queue.length >= MAX_BACKLOG) throw new BacklogFull();
    queue.push(s);
    lastSeq = Math.max(lastSeq ?? 0, s.seq);
    waker.fn?.();
  };
  const worker = (async () => {
    while (!opts.signal?.aborted) {
      const next = queue[0];
      if (!next) {
        await new Promise<void>((r) => {
          waker.fn = r;
          opts.signal?.addEventListener("abort", () => r(), { once: true });
        });
        waker.fn = null;
        continue;
      }
      if (!(await forwardOne(next))) break;
      queue.shift();
      if (queue.length <= MAX_BACKLOG / 2) drained.fn?.();
    }
  })();

  /** Pages in captures with seq > lastSeq through the list API (after a `reset`: too many missed for the stream). */
  const backfill = async (upTo: number): Promise<void> => {
    const after = lastSeq ?? upTo;
    const room = MAX_BACKLOG - queue.length;
    // Newest first from the API; only the oldest `room` are kept, the rest come after a reconnect.
    let missed: Summary[] = [];
    let cut = false;
    let cursor: string | null = null;
    for (;;) {
      const page: { items: Summary[]; nextCursor: string | null } = await api(
        `/api/endpoints/${endpointId}/captures?limit=500${cursor ? `&cursor=${cursor}` : ""}`,
      );
      for (const s of page.items) if (s.seq > after && s.seq <= upTo) missed.push(s);
      if (missed.length > room) {
        missed = missed.slice(missed.length - room);
        cut = true;
      }
      cursor = page.nextCursor;
      if (!cursor || page.items.length === 0 || page.items[page.items.length - 1]!.seq <= after) break;
    }
    missed.sort((a, b) => a.seq - b.seq);
    for (const s of missed) enqueue(s);
    if (cut) throw new BacklogFull();
    lastSeq = Math.max(after, upTo);
  };

  io.out(`Forwarding ${src.origin} endpoint ${endpointId} → ${opts.to} (Ctrl-C to stop)`);
  let backoff = opts.minBackoffMs ?? 500;
  let connectedOnce = false;
  let live = false;
  while (!opts.signal?.aborted) {
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${opts.key}`, accept: "text/event-stream" };
      if (lastSeq !== null) headers["last-event-id"] = String(lastSeq);
      const res = await fetch(`${src.origin}/api/endpoints/${endpointId}/events`, { headers, signal: opts.signal });
      if (res.status === 401 || res.status === 404) {
        io.err(`✗ The server refused the stream (${res.status}): check the URL and --key.`);
        return 1;
      }
      if (!res.ok || !res.body) throw new Error(`the stream answered ${res.status}`);
      if (connectedOnce) io.out("Reconnected; catching up on what was missed.");
      connectedOnce = true;
      backoff = opts.minBackoffMs ?? 500;
      const decoder = new TextDecoder();
      // Parsed frames wait in `frames` so handling them (paging in after a reset) can await.
      let frames: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (e) => frames.push(e) });
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(chunk, { stream: true }));
        const batch = frames;
        frames = [];
        for (const { event, data } of batch) {
          if (event === "capture") {
            const s = JSON.parse(data) as Summary;
            if (lastSeq === null || s.seq > lastSeq) enqueue(s);
          } else if (event === "ready") {
            const { latestSeq } = JSON.parse(data) as { latestSeq: number };
            if (lastSeq === null) lastSeq = latestSeq;
            if (!live) io.out("Live: new captures are forwarded as they arrive.");
            live = true;
          } else if (event === "reset") {
            const { latestSeq } = JSON.parse(data) as { latestSeq: number };
            await backfill(latestSeq);
          }
        }
      }
      throw new Error("the stream ended");
    } catch (e) {
      if (opts.signal?.aborted) break;
      if (e instanceof BacklogFull) {
        // Leaving the stream drops nothing: the captures are in the server's database, and the
        // reconnect resumes after the last one queued.
        io.err(`… ${queue.length} captures waiting for the target; the stream pauses until it catches up`);
        if (queue.length > MAX_BACKLOG / 2) {
          await new Promise<void>((r) => {
            drained.fn = r;
            opts.signal?.addEventListener("abort", () => r(), { once: true });
          });
          drained.fn = null;
        }
        continue;
      }
      io.err(`… disconnected (${(e as Error).message}); reconnecting in ${Math.round(backoff / 100) / 10} s`);
      await sleep(backoff, opts.signal);
      backoff = Math.min(backoff * 2, opts.maxBackoffMs ?? 10_000);
    }
  }
  waker.fn?.();
  await worker;
  return 0;
}

export const forward: CliCommand = {
  name: "forward",
  summary: "forward an endpoint's captures to a local URL as they arrive (resumes after disconnects)",
  help: FORWARD_HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          to: { type: "string" },
          key: { type: "string" },
          from: { type: "string" },
          timeout: { type: "string" },
          "max-attempts": { type: "string" },
          "resign-secret": { type: "string" },
          "resign-scheme": { type: "string" },
          help: { type: "boolean", short: "h" },
        },
      });
    } catch (e) {
      io.err(`${(e as Error).message}\n\n${FORWARD_HELP}`);
      return 2;
    }
    const { values: o, positionals } = parsed;
    if (o.help) {
      io.out(FORWARD_HELP);
      return 0;
    }
    const source = positionals[0];
    if (!source) {
      io.err(`Which endpoint? Give its capture or dashboard URL.\n\n${FORWARD_HELP}`);
      return 2;
    }
    if (!o.to) {
      io.err("--to <url> is required: where should captures go? e.g. --to http://localhost:3000/webhooks");
      return 2;
    }
    try {
      const t = new URL(o.to);
      if (t.protocol !== "http:" && t.protocol !== "https:") throw new Error();
    } catch {
      io.err(`--to: not an http(s) URL: ${o.to}`);
      return 2;
    }
    let src;
    try {
      src = parseSource(source);
    } catch (e) {
      io.err((e as Error).message);
      return 2;
    }
    const key = o.key ?? src.key ?? process.env.HOOKSCOPE_KEY;
    if (!key) {
      io.err("--key <management key> is required (or HOOKSCOPE_KEY, or a dashboard link with #key=)");
      return 2;
    }
    if (o.from !== undefined && !UUID.test(o.from)) {
      io.err("--from takes a capture id (a UUID)");
      return 2;
    }
    const timeoutMs = o.timeout === undefined ? 30_000 : Number(o.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      io.err("--timeout is a whole number of milliseconds");
      return 2;
    }
    const maxAttempts = o["max-attempts"] === undefined ? undefined : Number(o["max-attempts"]);
    if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
      io.err("--max-attempts is a whole number of tries, 1 or more (leave it out to keep trying)");
      return 2;
    }
    const resignScheme = (o["resign-scheme"] ?? "auto") as TSecretScheme;
    if (!RESIGN_SCHEMES.includes(resignScheme)) {
      io.err(`--resign-scheme is one of ${RESIGN_SCHEMES.join(", ")}`);
      return 2;
    }
    if (o["resign-scheme"] !== undefined && o["resign-secret"] === undefined) {
      io.err("--resign-scheme needs --resign-secret <secret>: the secret to sign with");
      return 2;
    }
    const resignSecret = o["resign-secret"];
    if (resignSecret !== undefined && (resignSecret === "" || resignSecret.trim() !== resignSecret)) {
      io.err("--resign-secret is empty or starts or ends with whitespace; pass the secret exactly");
      return 2;
    }
    const resign = resignSecret === undefined ? undefined : { scheme: resignScheme, secret: resignSecret };
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      return await runForward({ source, to: o.to, key, from: o.from, timeoutMs, maxAttempts, resign, signal: controller.signal }, io);
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  },
};
