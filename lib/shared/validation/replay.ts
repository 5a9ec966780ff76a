// Replay run schemas: the request that starts a run (which captures, where to, how, and the
// checks), the run and its sends as the API shows them, and the comparison of two runs.
// Universal: the dashboard's replay screen is typed with these.
import { z } from "zod";
import { MAX_QUERY_LENGTH } from "../search/query";
import { ZReplayChecks } from "../replay/checks";
import { ZHeaderValue } from "./endpoints";
import { ZTargetUrl } from "./forward-rules";
import { ZSchemeOptions, ZSecretScheme } from "./signatures";

/** Captures in one run at most (the set is frozen as rows when the run starts). */
export const MAX_RUN_CAPTURES = 10_000;
export const MAX_RUN_CONCURRENCY = 16;
export const DEFAULT_RUN_CONCURRENCY = 1;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ZName = z
  .string()
  .trim()
  .min(1, "Header name is empty")
  .max(256)
  .regex(HEADER_NAME, "Header name may only contain letters, digits and !#$%&'*+-.^_`|~");

/** Which captures: a search query (the dashboard's syntax; empty = all), ticked ids, or one event type (a glob like `invoice.*` works). */
export const ZReplaySelection = z.discriminatedUnion("kind", [
  z
    .object({ kind: z.literal("query"), query: z.string().max(MAX_QUERY_LENGTH, `The query is limited to ${MAX_QUERY_LENGTH} characters`) })
    .strict(),
  z
    .object({
      kind: z.literal("ids"),
      ids: z
        .array(z.string().uuid("ids must be capture ids"))
        .min(1, "Tick at least one capture")
        .max(MAX_RUN_CAPTURES, `At most ${MAX_RUN_CAPTURES.toLocaleString("en")} captures per run`),
    })
    .strict(),
  z.object({ kind: z.literal("type"), type: z.string().trim().min(1, "Event type is empty").max(200) }).strict(),
]);
export type TReplaySelection = z.infer<typeof ZReplaySelection>;

export const ZReplayOptions = z
  .object({
    /** Sends in flight at once; 1 (the default) keeps the order as received exactly. */
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(MAX_RUN_CONCURRENCY, `Concurrency is 1 to ${MAX_RUN_CONCURRENCY}`)
      .default(DEFAULT_RUN_CONCURRENCY),
    /** Sends started per second at most; null = as fast as the concurrency allows. */
    ratePerSecond: z.number().positive("Rate must be above 0").max(1000, "Rate is at most 1000 per second").nullable().default(null),
    /** Set on every send (replacing the capture's header of that name). */
    setHeaders: z
      .array(z.tuple([ZName, ZHeaderValue]))
      .max(50, "At most 50 headers to set")
      .default([]),
    /** Removed from every send (case-insensitive names). */
    removeHeaders: z.array(ZName).max(50, "At most 50 headers to remove").default([]),
    followRedirects: z.boolean().default(false),
    /** Re-sign every send with one of the endpoint's signing secrets (a test secret). */
    resign: z
      .object({
        scheme: ZSecretScheme.default("auto"),
        secretId: z.string().uuid("secretId must be a signing secret id"),
        options: ZSchemeOptions.optional(),
      })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type TReplayOptions = z.output<typeof ZReplayOptions>;

/** POST /api/endpoints/:id/replay-runs */
export const ZCreateReplayRunRequest = z
  .object({
    selection: ZReplaySelection,
    targetUrl: ZTargetUrl,
    options: ZReplayOptions.default(ZReplayOptions.parse({})),
    checks: ZReplayChecks.default(ZReplayChecks.parse({})),
  })
  .strict();
export type TCreateReplayRunRequest = z.input<typeof ZCreateReplayRunRequest>;

export const REPLAY_RUN_STATES = ["running", "finished", "cancelled", "interrupted"] as const;
export const ZReplayRunState = z.enum(REPLAY_RUN_STATES);
/** passed / failed once finished; running, cancelled or interrupted otherwise. */
export const ZReplayVerdict = z.enum(["running", "passed", "failed", "cancelled", "interrupted"]);
export type TReplayVerdict = z.infer<typeof ZReplayVerdict>;

/** The selection as stored and shown: ids are counted, not listed. */
export const ZReplaySelectionSummary = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("query"), query: z.string() }),
  z.object({ kind: z.literal("ids"), count: z.number().int() }),
  z.object({ kind: z.literal("type"), type: z.string() }),
  z.object({ kind: z.literal("retry"), of: z.string() }),
]);
export type TReplaySelectionSummary = z.infer<typeof ZReplaySelectionSummary>;

export const ZReplayRun = z.object({
  id: z.string(),
  endpointId: z.string(),
  state: ZReplayRunState,
  verdict: ZReplayVerdict,
  selection: ZReplaySelectionSummary,
  targetUrl: z.string(),
  options: ZReplayOptions,
  checks: ZReplayChecks,
  total: z.number().int(),
  sent: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  /** The run whose failed sends this one sends again. */
  retryOf: z.string().nullable(),
  /** Why it stopped early (interrupted). */
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type TReplayRun = z.infer<typeof ZReplayRun>;

export const ZReplayRunList = z.object({ items: z.array(ZReplayRun) });

const ZPairs = z.array(z.tuple([z.string(), z.string()]));

export const ZCheckFailure = z.object({ check: z.enum(["status", "json", "latency", "answer"]), message: z.string() });

export const ZReplaySend = z.object({
  position: z.number().int(),
  captureId: z.string(),
  captureSeq: z.number().int(),
  state: z.enum(["pending", "passed", "failed"]),
  request: z.object({ method: z.string(), url: z.string(), headers: ZPairs, bodySize: z.number().int() }).nullable(),
  response: z
    .object({
      status: z.number().int(),
      headers: ZPairs,
      body: z.object({ size: z.number().int(), base64: z.string(), text: z.string().nullable(), truncated: z.boolean() }),
    })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  failures: z.array(ZCheckFailure),
  durationMs: z.number().nullable(),
  firstByteMs: z.number().nullable(),
  sentAt: z.string().nullable(),
});
export type TReplaySend = z.infer<typeof ZReplaySend>;

export const ZReplayRunDetail = z.object({
  run: ZReplayRun,
  /** Failures first, then the rest, each in the order received. */
  sends: z.array(ZReplaySend),
  nextOffset: z.number().int().nullable(),
});
export type TReplayRunDetail = z.infer<typeof ZReplayRunDetail>;

export const ZReplaySendsQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** failed: only the failed sends. */
  only: z.enum(["all", "failed"]).default("all"),
});

export const ZCompareRunsQuery = z.object({
  a: z.string().uuid("a must be a run id"),
  b: z.string().uuid("b must be a run id"),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const REPLAY_DIFFERENCES = ["outcome", "status", "headers", "body", "error"] as const;

/** One capture sent in both runs whose answers differ. */
export const ZRunDifference = z.object({
  captureId: z.string(),
  captureSeq: z.number().int(),
  positionA: z.number().int(),
  positionB: z.number().int(),
  /** passed in A, failed in B. */
  regression: z.boolean(),
  /** failed in A, passed in B. */
  fixed: z.boolean(),
  differences: z.array(z.enum(REPLAY_DIFFERENCES)),
  /** Header names whose values differ (volatile ones such as Date ignored). */
  headerNames: z.array(z.string()),
  a: z.object({ state: z.string(), status: z.number().nullable(), error: z.string().nullable(), failures: z.array(ZCheckFailure) }),
  b: z.object({ state: z.string(), status: z.number().nullable(), error: z.string().nullable(), failures: z.array(ZCheckFailure) }),
});
export type TRunDifference = z.infer<typeof ZRunDifference>;

export const ZRunComparison = z.object({
  a: ZReplayRun,
  b: ZReplayRun,
  /** The same captures (same frozen set)? */
  sameSet: z.boolean(),
  counts: z.object({
    compared: z.number().int(),
    same: z.number().int(),
    different: z.number().int(),
    regressions: z.number().int(),
    fixed: z.number().int(),
    onlyA: z.number().int(),
    onlyB: z.number().int(),
  }),
  /** Regressions first, then other differences, in the order received; at most `limit`. */
  items: z.array(ZRunDifference),
  truncated: z.boolean(),
});
export type TRunComparison = z.infer<typeof ZRunComparison>;

/** Response headers that differ between any two answers (time, request ids): not a difference. */
export const VOLATILE_HEADERS = new Set([
  "date",
  "age",
  "expires",
  "last-modified",
  "etag",
  "x-request-id",
  "request-id",
  "x-runtime",
  "x-response-time",
  "server-timing",
  "cf-ray",
  "traceparent",
  "x-amzn-requestid",
  "x-amz-cf-id",
  "content-length",
  "keep-alive",
  "connection",
]);
