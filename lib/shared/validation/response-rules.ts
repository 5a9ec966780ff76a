// Response rules: an endpoint's ordered list of "when a request looks like this, answer that",
// first match wins, the endpoint's own answer the default. Also failure on purpose per rule.
// Validates the API (PUT /api/endpoints/:id/response-rules), types the editor, shapes the DTO.
// Compiled and matched by lib/shared/capture/rules.ts.
import { z } from "zod";
import { compileHeaderRegex, compilePathGlob, MAX_RULES_PROGRAM, PatternError } from "../capture/patterns";
import { ZJsonPath } from "./json-path";
import { templateError } from "../capture/templates";
import { MAX_RESPONSE_BODY_CHARS, MAX_RESPONSE_DELAY_MS, ZAnswerHeaders, ZHeaderName, ZHeaderValue } from "./endpoints";

export const MAX_RESPONSE_RULES = 50;
/** The slow answer of failure on purpose may wait longer than a normal one: past a provider's timeout (most give up at 10–30 s). */
export const MAX_SLOW_DELAY_MS = 60_000;
/** Regex and glob sources are short; a header value is tested over at most this many characters. */
export const MAX_PATTERN_CHARS = 512;
export const MAX_REGEX_INPUT_CHARS = 8192;

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export const ZRuleId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "Rule id: 1–40 letters, digits, - or _");

export { ZJsonPath };

/**
 * A glob over the path after /h/{slug} (e.g. /orders/**). Stored rules are read with this shape
 * alone; what lib/shared/capture/patterns.ts can run is checked when rules are saved or tried
 * (checkPatterns), so a pattern saved before those checks costs its own rule, not the list.
 */
const ZPathGlob = z.string().min(1, "Path glob is empty").max(MAX_PATTERN_CHARS);

/**
 * A regex tested against a header value, in RE2 syntax, run in time linear in the value
 * (lib/shared/capture/patterns.ts; checked on save by checkPatterns); the value tested is cut to
 * MAX_REGEX_INPUT_CHARS. So one request cannot stall the capture path whatever the pattern.
 */
const ZHeaderRegex = z.string().min(1, "Regex is empty").max(MAX_PATTERN_CHARS, `Regex is limited to ${MAX_PATTERN_CHARS} characters`);

export const ZQueryMatch = z
  .object({
    name: z.string().min(1, "Query parameter name is empty").max(256),
    /** null: the parameter is present, whatever its value. */
    value: z.string().max(4096).nullable(),
  })
  .strict();

export const ZHeaderMatch = z.discriminatedUnion("op", [
  z.object({ op: z.literal("present"), name: ZHeaderName }).strict(),
  z.object({ op: z.literal("equals"), name: ZHeaderName, value: ZHeaderValue }).strict(),
  z.object({ op: z.literal("regex"), name: ZHeaderName, value: ZHeaderRegex }).strict(),
]);
export type THeaderMatch = z.infer<typeof ZHeaderMatch>;

export const ZBodyMatch = z.discriminatedUnion("op", [
  /** The JSON value at `path` equals `value` (strings as they are; numbers, booleans and null by their JSON text). */
  z.object({ op: z.literal("jsonEquals"), path: ZJsonPath, value: z.string().max(4096) }).strict(),
  z.object({ op: z.literal("jsonExists"), path: ZJsonPath }).strict(),
  z.object({ op: z.literal("contains"), text: z.string().min(1, "Text to look for is empty").max(4096) }).strict(),
]);
export type TBodyMatch = z.infer<typeof ZBodyMatch>;

export const ZRuleMatch = z
  .object({
    /** null: any method. An empty list could never match and is refused. */
    methods: z
      .array(z.enum(METHODS, { error: `Method must be one of ${METHODS.join(", ")}` }))
      .min(1, "A rule with no methods can never match: leave methods out (null) for any method")
      .nullable(),
    /** picomatch glob over the path after /h/{slug} ("" is matched as "/"); null: any path. */
    path: ZPathGlob.nullable(),
    /** Every one must match. */
    query: z.array(ZQueryMatch).max(20, "At most 20 query conditions"),
    /** Every one must match. */
    headers: z.array(ZHeaderMatch).max(20, "At most 20 header conditions"),
    body: ZBodyMatch.nullable(),
  })
  .strict();
export type TRuleMatch = z.infer<typeof ZRuleMatch>;

/** The answer a rule sends: the same fields, caps and header checks as the endpoint's own answer (ZResponseSettings). */
export const ZRuleAnswer = z
  .object({
    status: z.number().int("Status must be a whole number").min(200, "Status must be 200–599").max(599, "Status must be 200–599"),
    headers: ZAnswerHeaders,
    body: z.string().max(MAX_RESPONSE_BODY_CHARS, "Response body is limited to 256 KiB").nullable(),
    contentType: ZHeaderValue.min(1).max(256).nullable(),
    delayMs: z
      .number()
      .int("Delay must be a whole number of milliseconds")
      .min(0, "Delay must be 0–30000 ms")
      .max(MAX_RESPONSE_DELAY_MS, "Delay must be 0–30000 ms"),
  })
  .strict()
  .superRefine((answer, ctx) => {
    // Body and header values may be Liquid templates (lib/shared/capture/templates.ts): one that does not parse is refused here.
    const bodyError = answer.body === null ? null : templateError(answer.body);
    if (bodyError) ctx.addIssue({ code: "custom", message: `Body template does not parse: ${bodyError}`, path: ["body"] });
    answer.headers.forEach(([name, value], i) => {
      const error = templateError(value);
      if (error) ctx.addIssue({ code: "custom", message: `Header ${name} template does not parse: ${error}`, path: ["headers", i, 1] });
    });
  });
export type TRuleAnswer = z.infer<typeof ZRuleAnswer>;

const ZErrorStatus = z
  .number()
  .int("Status must be a whole number")
  .min(400, "Error status must be 400–599")
  .max(599, "Error status must be 400–599");

/** Where first-N failure tells one event from another: a header (webhook-id, X-GitHub-Delivery) or a JSON path (Stripe's id). */
export const ZEventKey = z.discriminatedUnion("from", [
  z.object({ from: z.literal("header"), name: ZHeaderName }).strict(),
  z.object({ from: z.literal("json"), path: ZJsonPath }).strict(),
]);
export type TEventKey = z.infer<typeof ZEventKey>;

export const ZRuleFailure = z.discriminatedUnion("mode", [
  /** Answer `status` to `percent` % of requests (chosen at random), the rule's answer to the rest. */
  z
    .object({
      mode: z.literal("percentage"),
      percent: z.number().min(0, "Percent must be 0–100").max(100, "Percent must be 0–100"),
      status: ZErrorStatus,
    })
    .strict(),
  /** Answer `status` to the first `count` deliveries of each event (told apart by `key`), then the rule's answer. */
  z
    .object({
      mode: z.literal("firstN"),
      count: z.number().int("Count must be a whole number").min(1, "Count must be 1–100").max(100, "Count must be 1–100"),
      key: ZEventKey,
      status: ZErrorStatus,
    })
    .strict(),
  /** Send the rule's answer only after `delayMs`: longer than the provider waits. */
  z
    .object({
      mode: z.literal("slow"),
      delayMs: z
        .number()
        .int("Delay must be a whole number of milliseconds")
        .min(1, `Delay must be 1–${MAX_SLOW_DELAY_MS} ms`)
        .max(MAX_SLOW_DELAY_MS, `Delay must be 1–${MAX_SLOW_DELAY_MS} ms`),
    })
    .strict(),
  /** Store the request, then close the connection without an answer. */
  z.object({ mode: z.literal("close") }).strict(),
]);
export type TRuleFailure = z.infer<typeof ZRuleFailure>;

export const ZResponseRule = z
  .object({
    id: ZRuleId,
    name: z.string().max(100, "Name is limited to 100 characters"),
    match: ZRuleMatch,
    answer: ZRuleAnswer,
    failure: ZRuleFailure.nullable(),
  })
  .strict();
export type TResponseRule = z.infer<typeof ZResponseRule>;

function uniqueIds(rules: { id?: string }[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (r.id === undefined) return;
    if (seen.has(r.id)) ctx.addIssue({ code: "custom", message: `Two rules have the id ${r.id}`, path: [i, "id"] });
    seen.add(r.id);
  });
}

export const ZResponseRules = z.array(ZResponseRule).max(MAX_RESPONSE_RULES).superRefine(uniqueIds);
export type TResponseRules = z.infer<typeof ZResponseRules>;

/** PUT body: the whole ordered list. A rule without an id gets one; keep ids to keep first-N counts. */
export const ZPutResponseRulesRequest = z
  .object({
    rules: z
      .array(ZResponseRule.extend({ id: ZRuleId.optional(), name: ZResponseRule.shape.name.default("") }))
      .max(MAX_RESPONSE_RULES, `At most ${MAX_RESPONSE_RULES} rules`)
      .superRefine(uniqueIds)
      .superRefine(checkPatterns),
  })
  .strict();
export type TPutResponseRulesRequest = z.input<typeof ZPutResponseRulesRequest>;
export type TPutResponseRules = z.output<typeof ZPutResponseRulesRequest>;

/** GET/PUT answer: the list and the response revision it belongs to. */
export const ZResponseRulesDto = z.object({ rules: ZResponseRules, responseRev: z.number().int() });
export type TResponseRulesDto = z.infer<typeof ZResponseRulesDto>;

/** What failure on purpose did to one capture (stored with it; null when nothing was done). */
export const ZAppliedFailure = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("percentage"), percent: z.number(), failed: z.boolean() }),
  /** `delivery` counts this event's deliveries to this rule (1 = first); key null when the request had none (answered normally). */
  z.object({
    mode: z.literal("firstN"),
    key: z.string().nullable(),
    delivery: z.number().int().nullable(),
    count: z.number().int(),
    failed: z.boolean(),
  }),
  z.object({ mode: z.literal("slow"), delayMs: z.number().int() }),
  z.object({ mode: z.literal("close") }),
]);
export type TAppliedFailure = z.infer<typeof ZAppliedFailure>;

/**
 * Every glob and regex of the rules compiles for RE2 (lib/shared/capture/patterns.ts), each issue
 * on its field, and all of them together stay within MAX_RULES_PROGRAM.
 */
function checkPatterns(rules: readonly Pick<TResponseRule, "match">[], ctx: z.RefinementCtx): void {
  let total = 0;
  const compile = (path: (string | number)[], what: string, run: () => { size: number }) => {
    try {
      total += run().size;
    } catch (e) {
      if (!(e instanceof PatternError)) throw e;
      ctx.addIssue({ code: "custom", message: `Invalid ${what}: ${e.message}`, path });
    }
  };
  rules.forEach(({ match }, i) => {
    if (match.path !== null) compile([i, "match", "path"], "path glob", () => compilePathGlob(match.path!));
    match.headers.forEach((h, j) => {
      if (h.op === "regex") compile([i, "match", "headers", j, "value"], "regex", () => compileHeaderRegex(h.value));
    });
  });
  if (total > MAX_RULES_PROGRAM) {
    ctx.addIssue({
      code: "custom",
      message: `These rules' globs and regexes are too complex together (${total} steps per character, at most ${MAX_RULES_PROGRAM}): drop large repetition counts such as {1,500}`,
    });
  }
}
