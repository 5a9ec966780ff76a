// Forward rule schemas: API input (create, update), the DTO the API returns, and the re-sign
// option shared with resend. Universal: the dashboard types its rule forms with these.
import { z } from "zod";
import { ZSchemeOptions, ZSecretScheme } from "./signatures";

/** Attempts a rule may be set to (each failed one is retried with backoff until this many). */
export const MAX_FORWARD_ATTEMPTS = 20;
export const MAX_FORWARD_RULES_PER_ENDPOINT = 20;
export const MAX_TARGET_URL_LENGTH = 4096;

const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** An absolute http(s) URL without credentials (the SSRF guard checks the address when sending). */
export const ZTargetUrl = z
  .string()
  .trim()
  .min(1, "Target URL is empty")
  .max(MAX_TARGET_URL_LENGTH, `Target URL is limited to ${MAX_TARGET_URL_LENGTH} characters`)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === "http:" || u.protocol === "https:";
    } catch {
      return false;
    }
  }, "Target must be an absolute http:// or https:// URL")
  .refine((s) => {
    try {
      const u = new URL(s);
      return !u.username && !u.password;
    } catch {
      return true;
    }
  }, "Target URLs may not carry a user name or password; put credentials in a header");

/** A method token, stored upper case. */
export const ZMethodFilter = z
  .string()
  .trim()
  .min(1, "Method is empty")
  .max(32, "Method is limited to 32 characters")
  .regex(METHOD_TOKEN, "Method may only contain letters, digits and !#$%&'*+-.^_`|~")
  .transform((m) => m.toUpperCase());

/** Compared with the capture's path after /h/{slug} ("" for the bare capture URL), as sent. */
export const ZPathPrefix = z
  .string()
  .max(2048, "Path prefix is limited to 2048 characters")
  .refine((p) => p.startsWith("/"), 'Path prefix must start with "/"');

const ZResignSecret = z
  .string()
  .min(1, "Secret is empty")
  .max(1024, "Secret is limited to 1024 characters")
  .refine((s) => s.trim() === s, "The secret starts or ends with whitespace; paste it without spaces or line breaks");

/**
 * Re-sign before sending: the scheme's signature headers (and its timestamp) are replaced with
 * ones made with this (test) secret; the body is never touched. "auto" signs with the scheme
 * whose header the capture carries.
 */
export const ZResignOption = z
  .object({
    scheme: ZSecretScheme.default("auto"),
    secret: ZResignSecret,
    options: ZSchemeOptions.optional(),
  })
  .strict()
  .refine((v) => v.scheme !== "generic" || Boolean(v.options?.generic), {
    message: "Re-signing with a generic HMAC needs options.generic (header, algorithm, encoding…)",
    path: ["options", "generic"],
  });
export type TResignOption = z.input<typeof ZResignOption>;

export const ZCreateForwardRuleRequest = z
  .object({
    targetUrl: ZTargetUrl,
    /** Only captures with this method; null or absent = any method. */
    method: ZMethodFilter.nullable().default(null),
    /** Only captures whose path starts with this (e.g. "/stripe"); null or absent = any path. */
    pathPrefix: ZPathPrefix.nullable().default(null),
    enabled: z.boolean().default(true),
    /** null or absent: the server's FORWARD_MAX_ATTEMPTS (default 5). */
    maxAttempts: z
      .number()
      .int("Max attempts must be a whole number")
      .min(1, `Max attempts must be 1–${MAX_FORWARD_ATTEMPTS}`)
      .max(MAX_FORWARD_ATTEMPTS, `Max attempts must be 1–${MAX_FORWARD_ATTEMPTS}`)
      .nullable()
      .default(null),
    followRedirects: z.boolean().default(false),
    resign: ZResignOption.nullable().default(null),
  })
  .strict();
export type TCreateForwardRuleRequest = z.input<typeof ZCreateForwardRuleRequest>;

/** Every field optional; `resign: null` stops re-signing, a new object replaces the secret. */
export const ZUpdateForwardRuleRequest = z
  .object({
    targetUrl: ZTargetUrl.optional(),
    method: ZMethodFilter.nullable().optional(),
    pathPrefix: ZPathPrefix.nullable().optional(),
    enabled: z.boolean().optional(),
    maxAttempts: z.number().int().min(1).max(MAX_FORWARD_ATTEMPTS).nullable().optional(),
    followRedirects: z.boolean().optional(),
    resign: ZResignOption.nullable().optional(),
  })
  .strict();
export type TUpdateForwardRuleRequest = z.input<typeof ZUpdateForwardRuleRequest>;

export const ZForwardRule = z.object({
  id: z.string(),
  endpointId: z.string(),
  targetUrl: z.string(),
  method: z.string().nullable(),
  pathPrefix: z.string().nullable(),
  enabled: z.boolean(),
  /** As set on the rule; null = the server default (effectiveMaxAttempts). */
  maxAttempts: z.number().int().nullable(),
  effectiveMaxAttempts: z.number().int(),
  followRedirects: z.boolean(),
  /** Re-signing, when set: the secret itself is never returned, only a hint such as whsec_…3f9a. */
  resign: z.object({ scheme: ZSecretScheme, hint: z.string(), options: ZSchemeOptions }).nullable(),
  /** Outbox entries of this rule by state. */
  counts: z.object({ pending: z.number().int(), delivered: z.number().int(), failed: z.number().int() }),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TForwardRule = z.infer<typeof ZForwardRule>;

export const ZForwardRuleList = z.object({ items: z.array(ZForwardRule) });
export type TForwardRuleList = z.infer<typeof ZForwardRuleList>;

/** POST …/forward-rules/:ruleId/retry-failed: how many failed captures were queued again. */
export const ZRetryFailedResult = z.object({
  requeued: z.number().int(),
  /** False: the rule is switched off, and what was queued waits until it is on. */
  enabled: z.boolean(),
});
export type TRetryFailedResult = z.infer<typeof ZRetryFailedResult>;
