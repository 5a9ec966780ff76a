// `hookscope replay …` arguments → the options of a run, or a usage error worded for a person.
// Pure (no I/O, the environment passed in), so every rule is unit-tested (./replay-args.test.ts).
import { parseArgs } from "node:util";
import { ZReplayChecks, type TReplayChecks } from "../shared/replay/checks";
import { RESIGN_SCHEMES, type TSecretScheme } from "../shared/validation/signatures";
import { parseSource } from "./forward";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Captures one run sends at most. */
export const MAX_REPLAY_LIMIT = 100_000;
export const DEFAULT_REPLAY_LIMIT = 1000;
export const MAX_CONCURRENCY = 50;
const RESIGN_CHOICES: TSecretScheme[] = ["auto", ...RESIGN_SCHEMES];

export interface ReplayOptions {
  origin: string;
  /** The endpoint's id, or its capture URL's slug to look up. */
  endpoint: { id: string } | { slug: string };
  key: string;
  /** Search query selecting the captures (the dashboard's language); "" for all. */
  query: string;
  /** Exactly these captures instead of a query. */
  ids: string[] | null;
  /** The most recent `limit` matching captures (sent oldest first). */
  limit: number;
  to: string;
  checks: TReplayChecks;
  concurrency: number;
  /** Sends started per second at most; null: no limit. */
  rate: number | null;
  /** Headers set on every request (replacing any of the same name), in order. */
  setHeaders: [string, string][];
  /** Header names (lower case) removed from every request. */
  removeHeaders: string[];
  resign?: { scheme: TSecretScheme; secret: string };
  junit: string | null;
  timeoutMs: number;
}

export class UsageError extends Error {}

/** A whole number in [min, max] or a UsageError naming the option. */
function wholeNumber(raw: string | undefined, name: string, fallback: number, min: number, max: number, what: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} is ${what}, from ${min} to ${max.toLocaleString("en-US")} (got "${raw}")`);
  }
  return n;
}

/** `--header 'Name: value'` → [name, value]. */
export function parseHeaderArg(raw: string): [string, string] {
  const colon = raw.indexOf(":");
  const name = colon > 0 ? raw.slice(0, colon).trim() : "";
  if (!HEADER_NAME.test(name)) throw new UsageError(`--header "${raw}" should look like "Name: value"`);
  const value = raw.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new UsageError(`--header "${name}": the value may not hold line breaks`);
  return [name, value];
}

/** `--rate 10/s` or `--rate 10` → 10; `--rate 0.5/s` → one every two seconds. */
export function parseRate(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*s)?\s*$/.exec(raw);
  const n = m ? Number(m[1]) : NaN;
  if (!(n > 0) || n > 10_000) throw new UsageError(`--rate is sends per second, such as 10/s or 0.5/s (got "${raw}")`);
  return n;
}

/** `--expect-json data.status=ok` → { path, equals }; the first "=" splits. */
function parseJsonCheck(raw: string): { path: string; equals: string } {
  const eq = raw.indexOf("=");
  if (eq <= 0) throw new UsageError(`--expect-json "${raw}" should look like path=value, e.g. received=true`);
  return { path: raw.slice(0, eq).trim(), equals: raw.slice(eq + 1) };
}

/** The options of a run, or null when --help was asked for; throws UsageError. */
export function parseReplayArgs(argv: string[], env: Record<string, string | undefined>): ReplayOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: false,
      options: {
        endpoint: { type: "string" },
        server: { type: "string" },
        key: { type: "string" },
        query: { type: "string", short: "q" },
        ids: { type: "string" },
        limit: { type: "string" },
        to: { type: "string" },
        expect: { type: "string" },
        "expect-json": { type: "string", multiple: true },
        "max-latency-ms": { type: "string" },
        concurrency: { type: "string" },
        rate: { type: "string" },
        header: { type: "string", short: "H", multiple: true },
        "remove-header": { type: "string", multiple: true },
        "resign-secret": { type: "string" },
        "resign-scheme": { type: "string" },
        junit: { type: "string" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const o = parsed.values;
  if (o.help) return null;

  if (!o.endpoint) throw new UsageError("--endpoint is required: the endpoint's dashboard link, capture URL, or id (with --server)");
  let origin: string;
  let endpoint: ReplayOptions["endpoint"];
  let linkKey: string | undefined;
  if (UUID.test(o.endpoint)) {
    const server = o.server ?? env.HOOKSCOPE_URL;
    if (!server)
      throw new UsageError("--endpoint <id> needs --server <instance URL> (or HOOKSCOPE_URL), or pass the dashboard link instead");
    try {
      const u = new URL(server);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
      origin = u.origin;
    } catch {
      throw new UsageError(`--server: not an http(s) URL: ${server}`);
    }
    endpoint = { id: o.endpoint.toLowerCase() };
  } else {
    let src;
    try {
      src = parseSource(o.endpoint);
    } catch (e) {
      throw new UsageError(`--endpoint: ${(e as Error).message}`);
    }
    origin = src.origin;
    endpoint = src.endpointId ? { id: src.endpointId } : { slug: src.slug! };
    linkKey = src.key;
  }
  const key = o.key ?? linkKey ?? env.HOOKSCOPE_KEY;
  if (!key) throw new UsageError("--key <management key> is required (or HOOKSCOPE_KEY, or a dashboard link with #key=)");

  if (!o.to) throw new UsageError("--to <url> is required: where should the captures go? e.g. --to http://localhost:3000/webhooks");
  try {
    const t = new URL(o.to);
    if (t.protocol !== "http:" && t.protocol !== "https:") throw new Error();
  } catch {
    throw new UsageError(`--to: not an http(s) URL: ${o.to}`);
  }

  let ids: string[] | null = null;
  if (o.ids !== undefined) {
    if (o.query !== undefined) throw new UsageError("--ids and --query both choose captures: give one");
    ids = [
      ...new Set(
        o.ids
          .split(",")
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    const bad = ids.find((id) => !UUID.test(id));
    if (ids.length === 0 || bad !== undefined)
      throw new UsageError(`--ids takes capture ids (UUIDs) separated by commas${bad ? `; "${bad}" is not one` : ""}`);
    if (ids.length > MAX_REPLAY_LIMIT) throw new UsageError(`--ids: at most ${MAX_REPLAY_LIMIT.toLocaleString("en-US")} captures`);
  }
  const limit = wholeNumber(o.limit, "limit", DEFAULT_REPLAY_LIMIT, 1, MAX_REPLAY_LIMIT, "how many captures to send at most");
  if (ids && o.limit !== undefined) throw new UsageError("--limit goes with --query (or all captures), not with --ids");

  const checks = ZReplayChecks.safeParse({
    status: o.expect === undefined ? undefined : o.expect.split(",").filter((s) => s.trim() !== ""),
    json: (o["expect-json"] ?? []).map(parseJsonCheck),
    maxLatencyMs:
      o["max-latency-ms"] === undefined ? null : wholeNumber(o["max-latency-ms"], "max-latency-ms", 0, 1, 600_000, "milliseconds"),
  });
  if (!checks.success) {
    const issue = checks.error.issues[0]!;
    const option = issue.path[0] === "status" ? "--expect" : issue.path[0] === "json" ? "--expect-json" : "--max-latency-ms";
    throw new UsageError(`${option}: ${issue.message}`);
  }

  const setHeaders = (o.header ?? []).map(parseHeaderArg);
  const removeHeaders = (o["remove-header"] ?? []).map((n) => {
    if (!HEADER_NAME.test(n.trim())) throw new UsageError(`--remove-header takes a header name, not "${n}"`);
    return n.trim().toLowerCase();
  });

  const resignScheme = (o["resign-scheme"] ?? "auto") as TSecretScheme;
  if (!RESIGN_CHOICES.includes(resignScheme)) throw new UsageError(`--resign-scheme is one of ${RESIGN_CHOICES.join(", ")}`);
  if (o["resign-scheme"] !== undefined && o["resign-secret"] === undefined)
    throw new UsageError("--resign-scheme needs --resign-secret <secret>: the secret to sign with");
  const secret = o["resign-secret"];
  if (secret !== undefined && (secret === "" || secret.trim() !== secret))
    throw new UsageError("--resign-secret is empty or starts or ends with whitespace; pass the secret exactly");

  if (o.junit === "") throw new UsageError("--junit takes a file path, e.g. --junit replay.xml");

  return {
    origin,
    endpoint,
    key,
    query: o.query?.trim() ?? "",
    ids,
    limit,
    to: o.to,
    checks: checks.data,
    concurrency: wholeNumber(o.concurrency, "concurrency", 1, 1, MAX_CONCURRENCY, "how many requests at once"),
    rate: o.rate === undefined ? null : parseRate(o.rate),
    setHeaders,
    removeHeaders,
    resign: secret === undefined ? undefined : { scheme: resignScheme, secret },
    junit: o.junit ?? null,
    timeoutMs: wholeNumber(o.timeout, "timeout", 30_000, 1, 600_000, "milliseconds per request"),
  };
}

/** The capture's headers for the target: --remove-header names dropped, then --header values set (replacing). */
export function applyHeaderEdits(
  headers: [string, string][],
  set: readonly [string, string][],
  remove: readonly string[],
): [string, string][] {
  const drop = new Set([...remove, ...set.map(([n]) => n.toLowerCase())]);
  return [...headers.filter(([n]) => !drop.has(n.toLowerCase())), ...set.map(([n, v]): [string, string] => [n, v])];
}
