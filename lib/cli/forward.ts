// `hookscope forward <capture-or-dashboard-url> --to <local url> --key <management key>`: pulls
// an endpoint's captures over its live (SSE) stream and sends each to a local target, byte for
// byte, so the server never has to reach the developer's machine. This file reads the arguments
// and wires the parts: ./sse-client follows the stream (resuming with Last-Event-ID, paging in
// what a `reset` skipped), ./forward-loop sends captures in order with retries and keeps the
// resume point in the state file (./forward-state), and ./report prints a line per try and
// records each answer as a delivery, so the dashboard shows it. With --resign-secret each request
// is re-signed with a test secret (the body untouched), so a local handler configured with its
// test secret accepts forwarded production events.
import { parseArgs } from "node:util";
import { RESIGN_SCHEMES, type TSecretScheme } from "../shared/validation/signatures";
import { ForwardLoop } from "./forward-loop";
import { cursorFile, readCursor, stateDir } from "./forward-state";
import { createServerApi, type CaptureSummary } from "./server-api";
import { CaptureStream } from "./sse-client";
import type { CliCommand, CliIo } from "./types";

/** Schemes --resign-scheme takes (generic HMAC rules need options: resend or forward rules in the dashboard). */
const RESIGN_CHOICES: TSecretScheme[] = ["auto", ...RESIGN_SCHEMES];

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
                      header the capture carries), ${RESIGN_SCHEMES.join(", ")}
  --timeout <ms>      per request to the local target (default 30000)
  -h, --help          this help

Example:
  hookscope forward https://hooks.example.com/h/k3q9… --to http://localhost:3000/webhooks --key hsk_…
`;

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

/** Runs until `signal` aborts (or a fatal error: bad key, unknown endpoint). Returns the exit code. */
export async function runForward(opts: ForwardOptions, io: CliIo): Promise<number> {
  const src = parseSource(opts.source);
  const api = createServerApi(src.origin, opts.key, opts.signal);

  let endpointId = src.endpointId;
  try {
    if (!endpointId) endpointId = (await api<{ id: string }>(`/api/endpoints/by-slug/${encodeURIComponent(src.slug!)}`)).id;
  } catch (e) {
    io.err(`✗ Could not open the endpoint: ${(e as Error).message}`);
    return 1;
  }

  const cursor = { origin: src.origin, endpointId, to: opts.to };
  const stateFile = cursorFile(cursor, opts.stateDir ?? stateDir());
  let lastSeq: number | null = null;
  const fromId = opts.from;
  if (fromId) {
    try {
      const c = await api<CaptureSummary>(`/api/captures/${fromId}`);
      lastSeq = c.seq - 1;
    } catch (e) {
      io.err(`✗ --from ${fromId}: ${(e as Error).message}`);
      return 1;
    }
  } else {
    lastSeq = await readCursor(stateFile);
    if (lastSeq !== null) io.out(`Resuming after #${lastSeq}, the last capture sent to ${opts.to} (--from to start elsewhere).`);
  }

  const loop = new ForwardLoop({ ...opts, api, io, stateFile, cursor });
  const worker = loop.run();
  const stream = new CaptureStream({ ...opts, api, io, origin: src.origin, endpointId, lastSeq }, loop);
  io.out(`Forwarding ${src.origin} endpoint ${endpointId} → ${opts.to} (Ctrl-C to stop)`);
  const code = await stream.run();
  if (code !== 0) return code;
  loop.wake();
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
    if (!RESIGN_CHOICES.includes(resignScheme)) {
      io.err(`--resign-scheme is one of ${RESIGN_CHOICES.join(", ")}`);
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
