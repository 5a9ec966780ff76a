// Checks on a replay: what each send's answer must be for the run to pass. One definition for the
// server's replay runs (POST /api/endpoints/:id/replay-runs) and the CLI (`hookscope replay`), so a run
// started from the dashboard and one started from CI judge an answer the same way.
//
//   status     the statuses that pass: classes ("2xx") or codes ("409"); default ["2xx"]
//   json       JSON paths in the answer's body and the text each must equal (strings as they are,
//              other values as JSON: `true`, `3`, `null`)
//   maxLatencyMs  the time from the first byte sent to the answer's headers must not exceed this
//
// A send that got no answer (refused, timed out, blocked by the outgoing policy) fails every check.
import { z } from "zod";
import { jsonAt, jsonText, splitJsonPath } from "../format/json-path";
import { ZJsonPath } from "../validation/json-path";

export const MAX_JSON_CHECKS = 20;
/** Answer bodies are kept (and JSON checks read) up to this size. */
export const MAX_CHECKED_BODY_BYTES = 64 * 1024;

export const ZStatusExpectation = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[1-5](xx|\d\d)$/, "Expected status: a class such as 2xx or a code such as 409");

export const ZReplayChecks = z
  .object({
    status: z.array(ZStatusExpectation).min(1, "Expect at least one status").max(10).default(["2xx"]),
    json: z
      .array(z.object({ path: ZJsonPath, equals: z.string().max(4096) }).strict())
      .max(MAX_JSON_CHECKS, `At most ${MAX_JSON_CHECKS} JSON checks`)
      .default([]),
    maxLatencyMs: z.number().int().min(1).max(600_000).nullable().default(null),
  })
  .strict();

export type TReplayChecks = z.infer<typeof ZReplayChecks>;
export const DEFAULT_REPLAY_CHECKS: TReplayChecks = { status: ["2xx"], json: [], maxLatencyMs: null };

/** `--expect 2xx,409` → ["2xx", "409"]; throws a ZodError on a bad entry. */
export function parseStatusList(text: string): string[] {
  return z
    .array(ZStatusExpectation)
    .min(1)
    .parse(text.split(",").filter((s) => s.trim() !== ""));
}

export function statusMatches(expected: readonly string[], status: number): boolean {
  const code = String(status);
  return expected.some((e) => (e.endsWith("xx") ? code[0] === e[0] && code.length === 3 : code === e));
}

/** What a send produced, as the checks read it. */
export interface ReplayOutcome {
  /** null when there was no answer. */
  status: number | null;
  /** Why there was no answer (refused, timed out, blocked). */
  error: string | null;
  /** The answer's body, or its first MAX_CHECKED_BODY_BYTES. */
  body: Uint8Array | null;
  /** Whether `body` is the whole body. */
  bodyComplete: boolean;
  durationMs: number;
}

export interface CheckFailure {
  check: "status" | "json" | "latency" | "answer";
  /** A sentence a person reads: `expected 2xx, got 500`. */
  message: string;
}

/** Every check that failed, in the order status, JSON, latency; empty when the send passed. */
export function evaluateChecks(checks: TReplayChecks, outcome: ReplayOutcome): CheckFailure[] {
  if (outcome.status === null) return [{ check: "answer", message: `no answer: ${outcome.error ?? "unknown error"}` }];
  const failures: CheckFailure[] = [];
  if (!statusMatches(checks.status, outcome.status)) {
    failures.push({ check: "status", message: `expected ${checks.status.join(" or ")}, got ${outcome.status}` });
  }
  if (checks.json.length > 0) {
    let doc: { value: unknown } | null = null;
    let why = "the answer has no body";
    if (outcome.body && outcome.body.length > 0) {
      if (!outcome.bodyComplete) why = `the answer is larger than ${MAX_CHECKED_BODY_BYTES / 1024} KiB`;
      else {
        try {
          doc = { value: JSON.parse(new TextDecoder().decode(outcome.body)) };
        } catch {
          why = "the answer is not JSON";
        }
      }
    }
    for (const c of checks.json) {
      if (doc === null) {
        failures.push({ check: "json", message: `${c.path}: ${why}` });
        continue;
      }
      const v = jsonAt(doc.value, splitJsonPath(c.path));
      if (!v.found) failures.push({ check: "json", message: `${c.path}: missing (expected ${JSON.stringify(c.equals)})` });
      else if (jsonText(v.value) !== c.equals) {
        failures.push({
          check: "json",
          message: `${c.path}: expected ${JSON.stringify(c.equals)}, got ${JSON.stringify(jsonText(v.value))}`,
        });
      }
    }
  }
  if (checks.maxLatencyMs !== null && outcome.durationMs > checks.maxLatencyMs) {
    failures.push({ check: "latency", message: `took ${Math.round(outcome.durationMs)} ms, over ${checks.maxLatencyMs} ms` });
  }
  return failures;
}
