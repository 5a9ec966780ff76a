// Delivery schemas: a resend request, the delivery DTO (what was sent, what came back), the
// list page, and the report the CLI sends after forwarding a capture to a local target.
// Universal: the dashboard's resend editor and delivery list are typed with these.
import { z } from "zod";
import { ZHeaderValue } from "./endpoints";
import { ZResignOption, ZTargetUrl } from "./forward-rules";
import { ZSchemeOptions, ZSecretScheme, ZSignatureScheme } from "./signatures";

const ZHeaderPairs = z.array(z.tuple([z.string(), z.string()]));

export const DELIVERY_KINDS = ["resend", "forward", "cli"] as const;
export const ZDeliveryKind = z.enum(DELIVERY_KINDS);
export type TDeliveryKind = z.infer<typeof ZDeliveryKind>;

/** succeeded: a 2xx came back. failed: anything else, final. retrying: failed, another attempt is scheduled. */
export const DELIVERY_OUTCOMES = ["succeeded", "failed", "retrying"] as const;
export const ZDeliveryOutcome = z.enum(DELIVERY_OUTCOMES);
export type TDeliveryOutcome = z.infer<typeof ZDeliveryOutcome>;

const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Request headers for a resend: any name a request may carry (Host, Content-Length and hop-by-hop ones are set by the sender and dropped). */
const ZRequestHeaders = z
  .array(
    z.tuple([
      z
        .string()
        .min(1, "Header name is empty")
        .max(256)
        .regex(METHOD_TOKEN, "Header name may only contain letters, digits and !#$%&'*+-.^_`|~"),
      ZHeaderValue,
    ]),
  )
  .max(500, "At most 500 headers");

/**
 * POST /api/captures/:id/resend. Every field but `url` defaults to the capture's own: method,
 * headers (minus Host and hop-by-hop ones) and the exact body bytes.
 */
export const ZResendRequest = z
  .object({
    url: ZTargetUrl,
    method: z.string().trim().min(1).max(32).regex(METHOD_TOKEN, "Method may only contain letters, digits and !#$%&'*+-.^_`|~").optional(),
    headers: ZRequestHeaders.optional(),
    /** The body: `{ base64 }` for exact bytes, `{ text }` sent as UTF-8. Absent: the capture's body byte for byte. */
    body: z
      .union([
        z.object({ base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "body.base64 is not base64") }).strict(),
        z.object({ text: z.string() }).strict(),
      ])
      .optional(),
    /** Follow redirects (up to 5), each hop checked by the SSRF guard. Default false: a 3xx is the answer. */
    followRedirects: z.boolean().default(false),
    /** Re-sign with a test secret: give the secret, or the id of one of the endpoint's signing secrets. */
    resign: z
      .union([
        ZResignOption,
        z
          .object({
            scheme: ZSecretScheme.default("auto"),
            secretId: z.string().uuid("secretId must be a signing secret id"),
            options: ZSchemeOptions.optional(),
          })
          .strict(),
      ])
      .nullable()
      .default(null),
  })
  .strict();
export type TResendRequest = z.input<typeof ZResendRequest>;

export const ZDeliveryBody = z.object({
  /** Bytes sent or received. */
  size: z.number().int(),
  /** null when the body is not included (a request body identical to the capture's: see sameAsCapture). */
  base64: z.string().nullable(),
  /** UTF-8 text, or null when not valid UTF-8 (or not included). */
  text: z.string().nullable(),
  /** Request only: the body sent was the capture's, byte for byte. */
  sameAsCapture: z.boolean(),
  /** Response only: more arrived than was kept. */
  truncated: z.boolean(),
});
export type TDeliveryBody = z.infer<typeof ZDeliveryBody>;

export const ZDelivery = z.object({
  id: z.string(),
  captureId: z.string(),
  /** The forward rule behind it; null for resend and CLI deliveries (or a deleted rule). */
  ruleId: z.string().nullable(),
  kind: ZDeliveryKind,
  /** 1 for the first try; forward retries count up. */
  attempt: z.number().int(),
  outcome: ZDeliveryOutcome,
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: ZHeaderPairs,
    body: ZDeliveryBody,
    /** The scheme the request was re-signed with, or null. */
    resignedScheme: z.string().nullable(),
  }),
  response: z
    .object({
      status: z.number().int(),
      statusText: z.string(),
      headers: ZHeaderPairs,
      body: ZDeliveryBody,
      remoteAddress: z.string().nullable(),
    })
    .nullable(),
  redirects: z.array(z.object({ url: z.string(), status: z.number().int() })),
  /** Why it failed: blocked_address, dns_failed, connect_failed, timeout, http_status, … (null on success). */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** Milliseconds from start to the last response byte (or the failure). */
  durationMs: z.number(),
  firstByteMs: z.number().nullable(),
  createdAt: z.string(),
});
export type TDelivery = z.infer<typeof ZDelivery>;

export const MAX_DELIVERY_PAGE = 200;

export const ZDeliveryListQuery = z.object({
  cursor: z.string().uuid("cursor must be the nextCursor value of a previous page").optional(),
  limit: z.coerce
    .number({ error: `limit must be a number from 1 to ${MAX_DELIVERY_PAGE}` })
    .int("limit must be a whole number")
    .min(1, "limit is at least 1")
    .max(MAX_DELIVERY_PAGE, `limit is at most ${MAX_DELIVERY_PAGE}`)
    .default(50),
});

export const ZDeliveryPage = z.object({
  items: z.array(ZDelivery),
  /** Pass as ?cursor= for older deliveries; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TDeliveryPage = z.infer<typeof ZDeliveryPage>;

/** POST /api/captures/:id/deliveries: the CLI reports what a local target answered. */
export const ZReportDeliveryRequest = z
  .object({
    method: z.string().min(1).max(32),
    url: z.string().min(1).max(4096),
    headers: ZHeaderPairs.max(1000),
    /** Omitted when the body sent was the capture's byte for byte (the CLI always sends it so). */
    bodyBase64: z.string().optional(),
    /** Bytes sent. */
    bodySize: z.number().int().min(0),
    /** The scheme the CLI re-signed the request with (--resign-secret), or null. */
    resignedScheme: ZSignatureScheme.nullable().default(null),
    /** Which try this was (the CLI retries while the local target is down; it reports the first failure and the outcome). */
    attempt: z.number().int().min(1).max(1_000_000).default(1),
    /** This try failed and the CLI will try again (recorded as `retrying`, like a forward rule's attempt). */
    willRetry: z.boolean().default(false),
    response: z
      .object({
        status: z.number().int().min(100).max(999),
        statusText: z.string().max(1024).default(""),
        headers: ZHeaderPairs.max(1000),
        bodyBase64: z.string(),
        size: z.number().int().min(0),
        truncated: z.boolean().default(false),
      })
      .strict()
      .nullable(),
    error: z
      .object({ code: z.string().min(1).max(64), message: z.string().max(2000) })
      .nullable()
      .default(null),
    durationMs: z.number().min(0),
  })
  .strict()
  .refine((v) => v.response !== null || v.error !== null, {
    message: "Give the response, or the error when none came back",
    path: ["error"],
  });
export type TReportDeliveryRequest = z.input<typeof ZReportDeliveryRequest>;
