// `hookscope replay --endpoint … --to <url> [--query …] [--expect 2xx] [--junit report.xml]`: sends
// an endpoint's stored captures to a URL from this machine (so a CI job's localhost handler is a
// target), checks each answer with the replay checks the server's runs use
// (lib/shared/replay/checks.ts), prints a line per failure and a summary, exits 1 when a check
// failed (2 on usage or connection errors) and can write JUnit XML (./junit). Captures are chosen
// through the captures API (a search query, or ids), sent oldest first; each is fetched with its
// exact body just before it is sent, so memory holds summaries, not bodies. The request is built
// like `hookscope forward`'s: the capture's path and query appended to --to, its headers minus
// hop-by-hop ones, the same bytes.
import fs from "node:fs/promises";
import path from "node:path";
import { forwardableHeaders, forwardUrl } from "../shared/delivery/forward-request";
import { evaluateChecks, MAX_CHECKED_BODY_BYTES, type CheckFailure, type ReplayOutcome } from "../shared/replay/checks";
import { resignRequest, ResignError } from "../shared/signatures/resign";
import { SecretFormatError } from "../shared/signatures/types";
import { RESIGN_SCHEMES } from "../shared/validation/signatures";
import { sendRequest } from "./http";
import { junitXml, type JUnitCase } from "./junit";
import {
  applyHeaderEdits,
  DEFAULT_REPLAY_LIMIT,
  MAX_CONCURRENCY,
  MAX_REPLAY_LIMIT,
  parseReplayArgs,
  UsageError,
  type ReplayOptions,
} from "./replay-args";
import { seconds } from "./report";
import { ApiError, createServerApi, loadCapture, sleep, type CaptureSummary, type ServerApi } from "./server-api";
import type { CliCommand, CliIo } from "./types";

export const REPLAY_HELP = `Usage: hookscope replay --endpoint <link or id> --to <url> [options]

Sends an endpoint's captures to a URL from this machine (a CI job's localhost works), oldest first,
and checks every answer. Each request is the capture's method, its path after the capture URL and
its query appended to --to (as \`hookscope forward\` does), its headers minus hop-by-hop ones and
Host, and its exact body. Prints a line per failed capture and a summary (sent, passed, failed,
p50/p95 latency). Exit code: 0 every check passed, 1 a check failed, 2 usage or connection error.

Choosing captures:
  --endpoint <link|id>  the endpoint's dashboard link (its #key= works as --key), capture URL, or
                        id with --server <instance URL> (or HOOKSCOPE_URL)
  --key <key>           the endpoint's management key (or HOOKSCOPE_KEY)
  -q, --query <search>  the dashboard's search language, e.g. 'type:invoice.* after:1d'
                        (default: every capture)
  --ids <id,id,…>       exactly these captures instead of a query
  --limit <n>           the n most recent matching captures (default ${DEFAULT_REPLAY_LIMIT}, at most ${MAX_REPLAY_LIMIT.toLocaleString("en-US")})

Sending:
  --to <url>            where to send (required), e.g. http://localhost:3000/webhooks
  -H, --header "Name: value"  set a header on every request, replacing the captured one (repeatable)
  --remove-header <name>      leave a header out (repeatable)
  --resign-secret <secret>    re-sign each request with this (test) secret; --resign-scheme auto
                        (default: the capture's own scheme) or ${RESIGN_SCHEMES.join(", ")}
  --concurrency <n>     requests at once (default 1: one after another; at most ${MAX_CONCURRENCY})
  --rate <n>/s          start at most n requests per second
  --timeout <ms>        per request (default 30000)

Checks (every capture must pass all of them):
  --expect <list>       statuses that pass: classes or codes, e.g. 2xx,409 (default 2xx)
  --expect-json <path=value>  the JSON answer's value at path equals value, e.g. received=true
                        (strings as they are, other values as JSON: true, 3, null; repeatable)
  --max-latency-ms <n>  the answer's headers arrive within n ms

Report:
  --junit <file>        write JUnit XML: one test case per capture
  -h, --help            this help

Example:
  hookscope replay --endpoint "$HOOKSCOPE_LINK" --query 'type:invoice.*' \\
    --to http://localhost:3000/webhooks --expect 2xx --junit replay.xml
`;

/** A capture in the run: what selection needs from its summary. */
type Item = Pick<CaptureSummary, "id" | "seq" | "method" | "path" | "query" | "eventType">;

export interface Result {
  item: Item;
  failures: CheckFailure[];
  /** Deleted before it was sent. */
  skipped?: string;
  status: number | null;
  statusText: string;
  /** To the answer's headers; null without an answer. */
  latencyMs: number | null;
  elapsedMs: number;
  url: string;
  /** The answer's first bytes, kept for failures only. */
  answer: string;
}

/** A usage or connection problem: the run stops with exit code 2. */
class FatalError extends Error {}

const PAGE = 500;
const ANSWER_SNIPPET = 2000;

/** `POST /stripe?x=1 invoice.paid`: method, path, query and event type. */
export function itemTarget(i: Item): string {
  return `${i.method} ${i.path || "/"}${i.query !== null ? `?${i.query}` : ""}${i.eventType ? ` ${i.eventType}` : ""}`;
}

/** The JUnit test case's name and the failure line's subject. */
export function itemLabel(i: Item): string {
  return `${itemTarget(i)} (capture ${i.id})`;
}

function apiProblem(e: unknown, what: string): FatalError {
  if (e instanceof ApiError) {
    const hint = e.status === 401 || e.status === 403 || e.status === 404 ? " (check the endpoint and its management key)" : "";
    return new FatalError(`${what}: ${e.message}${hint}`);
  }
  const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
  return new FatalError(`${what}: the instance did not answer (${cause?.code ?? cause?.message ?? (e as Error).message})`);
}

async function resolveEndpoint(api: ServerApi, opts: ReplayOptions): Promise<string> {
  if ("id" in opts.endpoint) {
    try {
      await api(`/api/endpoints/${opts.endpoint.id}`);
    } catch (e) {
      throw apiProblem(e, `Could not open endpoint ${opts.endpoint.id}`);
    }
    return opts.endpoint.id;
  }
  try {
    return (await api<{ id: string }>(`/api/endpoints/by-slug/${encodeURIComponent(opts.endpoint.slug)}`)).id;
  } catch (e) {
    throw apiProblem(e, "Could not open the endpoint");
  }
}

/** The captures to send, oldest first, and whether --limit left older matches out. */
async function select(api: ServerApi, endpointId: string, opts: ReplayOptions): Promise<{ items: Item[]; more: boolean }> {
  const slim = (s: CaptureSummary): Item => ({
    id: s.id,
    seq: s.seq,
    method: s.method,
    path: s.path,
    query: s.query,
    eventType: s.eventType ?? null,
  });
  if (opts.ids) {
    const items: Item[] = [];
    for (const id of opts.ids) {
      let c;
      try {
        c = await api<CaptureSummary & { endpointId: string }>(`/api/captures/${id}`);
      } catch (e) {
        throw apiProblem(e, `--ids: capture ${id}`);
      }
      if (c.endpointId !== endpointId) throw new FatalError(`--ids: capture ${id} belongs to another endpoint`);
      items.push(slim(c));
    }
    return { items: items.sort((a, b) => a.seq - b.seq), more: false };
  }
  // The list is newest first: page until --limit, then reverse so the oldest goes first.
  const items: Item[] = [];
  let cursor: string | null = null;
  let more = false;
  for (;;) {
    const params = new URLSearchParams({ limit: String(Math.min(PAGE, opts.limit - items.length)) });
    if (opts.query) params.set("q", opts.query);
    if (cursor) params.set("cursor", cursor);
    let page: { items: CaptureSummary[]; nextCursor: string | null };
    try {
      page = await api(`/api/endpoints/${endpointId}/captures?${params}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) throw new FatalError(`--query: ${e.message.replace(/^400: /, "")}`);
      throw apiProblem(e, "Could not list the captures");
    }
    items.push(...page.items.map(slim));
    cursor = page.nextCursor;
    if (!cursor) break;
    if (items.length >= opts.limit) {
      more = true;
      break;
    }
  }
  return { items: items.reverse(), more };
}

/** Nearest-rank percentile of sorted numbers. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The progress the run shows: a redrawn bar on a terminal, a line every tenth of the run otherwise. */
export class Progress {
  private done = 0;
  private failed = 0;
  private readonly step: number;

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
  ) {
    this.step = Math.max(1, Math.ceil(total / 10));
  }

  private draw(): void {
    const width = 24;
    const filled = Math.round((this.done / this.total) * width);
    const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
    this.io.tty?.write(`\r\x1b[2K${bar} ${this.done}/${this.total} · ${this.failed} failed`);
  }

  /** Prints a line above the bar (the bar is redrawn after). */
  line(text: string): void {
    if (this.io.tty) this.io.tty.write("\r\x1b[2K");
    this.io.out(text);
    if (this.io.tty) this.draw();
  }

  record(r: Result): void {
    this.done++;
    if (r.failures.length > 0) {
      this.failed++;
      this.line(`✗ ${itemLabel(r.item)} → ${r.failures.map((f) => f.message).join("; ")}`);
    } else if (r.skipped) this.line(`- ${itemLabel(r.item)}: ${r.skipped}`);
    if (this.io.tty) this.draw();
    else if (this.done % this.step === 0 || this.done === this.total)
      this.io.out(`… ${this.done}/${this.total} sent, ${this.failed} failed`);
  }

  finish(): void {
    if (this.io.tty) this.io.tty.write("\r\x1b[2K");
  }
}

export async function runReplay(opts: ReplayOptions, io: CliIo, signal?: AbortSignal): Promise<number> {
  const started = performance.now();
  const startedAt = new Date();
  const api = createServerApi(opts.origin, opts.key, signal);
  let items: Item[];
  let more: boolean;
  let endpointId: string;
  try {
    endpointId = await resolveEndpoint(api, opts);
    ({ items, more } = await select(api, endpointId, opts));
  } catch (e) {
    if (e instanceof FatalError) {
      io.err(`✗ ${e.message}`);
      return 2;
    }
    throw e;
  }
  const chosen = opts.ids ? `${items.length} chosen captures` : `${items.length} captures${opts.query ? ` matching ${opts.query}` : ""}`;
  if (items.length === 0) {
    io.err(`✗ Nothing to replay: no captures${opts.query ? ` match ${opts.query}` : ""} on endpoint ${endpointId}.`);
    return 2;
  }
  io.out(`Replaying ${chosen} (oldest first${more ? `; the ${opts.limit} most recent, --limit for more` : ""}) → ${opts.to}`);

  const results: Result[] = new Array<Result>(items.length);
  const progress = new Progress(io, items.length);
  let next = 0;
  let nextStart = 0;
  let fatal: FatalError | null = null;

  /** Waits for the next start the --rate allows. */
  const slot = async () => {
    if (opts.rate === null) return;
    const now = performance.now();
    const at = Math.max(now, nextStart);
    nextStart = at + 1000 / opts.rate;
    if (at > now) await sleep(at - now, signal);
  };

  const sendOne = async (item: Item): Promise<Result> => {
    const base = { item, status: null, statusText: "", latencyMs: null, url: "", answer: "" };
    const t0 = performance.now();
    let loaded;
    for (let tries = 0; ; tries++) {
      try {
        loaded = await loadCapture(api, item.id);
        break;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404)
          return { ...base, failures: [], skipped: "deleted before it was sent", elapsedMs: 0 };
        // The instance restarting: a few tries, then the run stops.
        if (tries >= 3 || signal?.aborted || (e instanceof ApiError && e.status < 500))
          throw apiProblem(e, `Could not fetch capture ${item.id}`);
        await sleep(500 * 2 ** tries, signal);
      }
    }
    const { capture, body } = loaded;
    let url = forwardUrl(opts.to, capture.path, capture.query);
    let headers = applyHeaderEdits(forwardableHeaders(capture.headers), opts.setHeaders, opts.removeHeaders);
    let outcome: ReplayOutcome;
    let statusText = "";
    let answer = "";
    let notSent: string | null = null;
    if (opts.resign) {
      try {
        ({ url, headers } = resignRequest({ method: capture.method, url, headers, body }, opts.resign));
      } catch (e) {
        if (!(e instanceof ResignError || e instanceof SecretFormatError)) throw e;
        notSent = `not sent: re-signing failed. ${e.message}`;
      }
    }
    if (notSent) outcome = { status: null, error: notSent, body: null, bodyComplete: true, durationMs: 0 };
    else {
      await slot();
      try {
        const res = await sendRequest({ method: capture.method, url, headers, body, timeoutMs: opts.timeoutMs });
        const checked = res.body.subarray(0, MAX_CHECKED_BODY_BYTES);
        outcome = {
          status: res.status,
          error: null,
          body: checked,
          bodyComplete: res.size <= MAX_CHECKED_BODY_BYTES,
          durationMs: res.headersMs,
        };
        statusText = res.statusText;
        answer = res.body.subarray(0, ANSWER_SNIPPET).toString("utf8");
      } catch (e) {
        outcome = { status: null, error: (e as Error).message, body: null, bodyComplete: true, durationMs: performance.now() - t0 };
      }
    }
    const failures = evaluateChecks(opts.checks, outcome);
    return {
      item: { ...item, eventType: capture.eventType ?? item.eventType },
      failures,
      status: outcome.status,
      statusText,
      latencyMs: outcome.status === null ? null : outcome.durationMs,
      elapsedMs: performance.now() - t0,
      url,
      answer: failures.length > 0 ? answer : "",
    };
  };

  const worker = async () => {
    while (!fatal && !signal?.aborted && next < items.length) {
      const i = next++;
      try {
        results[i] = await sendOne(items[i]!);
        progress.record(results[i]!);
      } catch (e) {
        if (!(e instanceof FatalError)) throw e;
        fatal ??= e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, items.length) }, worker));
  progress.finish();
  if (fatal) {
    io.err(`✗ ${(fatal as FatalError).message}`);
    return 2;
  }
  const done = results.filter(Boolean);
  if (signal?.aborted) {
    io.err(`✗ Interrupted after ${done.length} of ${items.length} captures.`);
    return 2;
  }

  const failed = done.filter((r) => r.failures.length > 0);
  const skipped = done.filter((r) => r.skipped);
  const latencies = done.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs])).sort((a, b) => a - b);
  const ms = (v: number | null) => (v === null ? "–" : `${Math.round(v)} ms`);
  const totalMs = performance.now() - started;
  io.out("");
  io.out(`Replayed ${done.length - skipped.length} captures to ${opts.to} in ${seconds(totalMs)}`);
  io.out(
    `  sent ${done.length - skipped.length} · passed ${done.length - skipped.length - failed.length} · failed ${failed.length}${skipped.length ? ` · skipped ${skipped.length}` : ""}`,
  );
  io.out(`  latency to the answer's headers: p50 ${ms(percentile(latencies, 0.5))} · p95 ${ms(percentile(latencies, 0.95))}`);
  if (failed.length > 0) {
    io.out(`Failures:`);
    const shown = failed.slice(0, 50);
    for (const r of shown) io.out(`  ✗ ${r.item.id} ${itemTarget(r.item)}: ${r.failures.map((f) => f.message).join("; ")}`);
    if (failed.length > shown.length) io.out(`  … and ${failed.length - shown.length} more${opts.junit ? ` (all in ${opts.junit})` : ""}`);
  }

  if (opts.junit) {
    const cases: JUnitCase[] = done.map((r) => ({
      name: itemLabel(r.item),
      classname: `hookscope.replay.${r.item.eventType ?? "capture"}`,
      timeSeconds: r.elapsedMs / 1000,
      skipped: r.skipped,
      failure:
        r.failures.length > 0
          ? {
              message: r.failures.map((f) => f.message).join("; "),
              type: r.failures[0]!.check,
              text: [
                ...r.failures.map((f) => `${f.check}: ${f.message}`),
                "",
                `sent: ${r.item.method} ${r.url}`,
                r.status === null ? "answer: none" : `answer: ${r.status} ${r.statusText} in ${ms(r.latencyMs)}`,
                ...(r.answer ? ["", r.answer] : []),
              ].join("\n"),
            }
          : undefined,
    }));
    const xml = junitXml({
      name: `hookscope replay ${endpointId} → ${opts.to}`,
      timestamp: startedAt,
      timeSeconds: totalMs / 1000,
      properties: [
        ["instance", opts.origin],
        ["endpoint", endpointId],
        ["target", opts.to],
        ["query", opts.query],
        ["expect", opts.checks.status.join(",")],
      ],
      cases,
    });
    try {
      await fs.mkdir(path.dirname(path.resolve(opts.junit)), { recursive: true });
      await fs.writeFile(opts.junit, xml);
    } catch (e) {
      io.err(`✗ --junit: could not write ${opts.junit}: ${(e as Error).message}`);
      return 2;
    }
    io.out(`JUnit report: ${opts.junit}`);
  }
  return failed.length > 0 ? 1 : 0;
}

export const replay: CliCommand = {
  name: "replay",
  summary: "send stored captures to a URL, check the answers (exit 1 on a failure, JUnit for CI)",
  help: REPLAY_HELP,
  async run(argv: string[], io: CliIo): Promise<number> {
    let opts;
    try {
      opts = parseReplayArgs(argv, process.env);
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      io.err(`${e.message}\n\nRun \`hookscope replay --help\` for every option.`);
      return 2;
    }
    if (!opts) {
      io.out(REPLAY_HELP);
      return 0;
    }
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      return await runReplay(opts, io, controller.signal);
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    }
  },
};
