// Endpoint request/response schemas: validate API input, type the settings form, shape DTOs.
import { z } from "zod";

/** RFC 9110 token: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space and tab, plus obs-text; no CR, LF or NUL. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Framing headers Hookscope computes itself; letting users set them would corrupt responses. */
const RESERVED_HEADERS = new Set(["content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "trailer", "te"]);

export const MAX_RESPONSE_DELAY_MS = 30_000;
export const MAX_RESPONSE_BODY_CHARS = 256 * 1024;

export const ZHeaderName = z
  .string()
  .min(1, "Header name is empty")
  .max(256)
  .regex(HEADER_NAME, "Header name may only contain letters, digits and !#$%&'*+-.^_`|~")
  .refine((n) => !RESERVED_HEADERS.has(n.toLowerCase()), "This header is set by Hookscope and cannot be overridden");

export const ZHeaderValue = z.string().max(8192).regex(HEADER_VALUE, "Header value may not contain line breaks or NUL");

export const ZResponseHeaders = z.array(z.tuple([ZHeaderName, ZHeaderValue])).max(50, "At most 50 response headers");

export const ZResponseSettings = z.object({
  // 1xx codes are interim responses: a request cannot end with one, so they are refused.
  status: z.number().int("Status must be a whole number").min(200, "Status must be 200–599").max(599, "Status must be 200–599"),
  headers: ZResponseHeaders,
  body: z.string().max(MAX_RESPONSE_BODY_CHARS, "Response body is limited to 256 KiB").nullable(),
  contentType: ZHeaderValue.min(1).max(256).nullable(),
  delayMs: z
    .number()
    .int("Delay must be a whole number of milliseconds")
    .min(0, "Delay must be 0–30000 ms")
    .max(MAX_RESPONSE_DELAY_MS, "Delay must be 0–30000 ms"),
});
export type TResponseSettings = z.infer<typeof ZResponseSettings>;

export const DEFAULT_RETENTION = { maxCaptures: 10_000, maxAgeDays: 30 } as const;

/** Per-endpoint retention; the instance's ceilings (GET /api/instance) cap both, checked by the server. */
export const ZRetentionSettings = z.object({
  maxCaptures: z
    .number({ error: "Keep at most: enter a number of captures" })
    .int("Keep at most: a whole number of captures")
    .min(1, "Keep at least 1 capture")
    .max(100_000_000, "Keep at most 100,000,000 captures"),
  maxAgeDays: z
    .number({ error: "Delete after: enter a number of days" })
    .int("Delete after: a whole number of days")
    .min(1, "Delete after at least 1 day")
    .max(36_500, "Delete after at most 36,500 days"),
});
export type TRetentionSettings = z.infer<typeof ZRetentionSettings>;

export const ZEndpointName = z.string().trim().min(1, "Name is empty").max(100, "Name is limited to 100 characters");

/** Request side: any subset of the settings, and nothing else (a misspelt field is an error, not a no-op). */
const ZResponseSettingsPatch = ZResponseSettings.partial().strict();

export const ZCreateEndpointRequest = z
  .object({
    name: ZEndpointName.optional(),
    response: ZResponseSettingsPatch.optional(),
    retention: ZRetentionSettings.partial().strict().optional(),
  })
  .strict();
export type TCreateEndpointRequest = z.infer<typeof ZCreateEndpointRequest>;

export const ZUpdateEndpointRequest = z
  .object({
    name: ZEndpointName.optional(),
    response: ZResponseSettingsPatch.optional(),
    retention: ZRetentionSettings.partial().strict().optional(),
  })
  .strict();
export type TUpdateEndpointRequest = z.infer<typeof ZUpdateEndpointRequest>;

export const ZEndpoint = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  captureUrl: z.string(),
  dashboardUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  captureCount: z.number().int(),
  lastCaptureAt: z.string().nullable(),
  response: ZResponseSettings,
  retention: ZRetentionSettings,
});
export type TEndpoint = z.infer<typeof ZEndpoint>;

export const ZCreateEndpointResponse = ZEndpoint.extend({
  /** Shown once; only its hash is stored. */
  managementKey: z.string(),
});
export type TCreateEndpointResponse = z.infer<typeof ZCreateEndpointResponse>;

export const ZEndpointList = z.object({ items: z.array(ZEndpoint) });
export type TEndpointList = z.infer<typeof ZEndpointList>;

/** What this instance allows (GET /api/instance): the home page and settings read it. */
export const ZInstanceInfo = z.object({
  /** Creating an endpoint needs `Authorization: Bearer <token>` (CREATE_ENDPOINT_TOKEN). */
  createEndpointRequiresToken: z.boolean(),
  retention: z.object({ defaults: ZRetentionSettings, ceilings: ZRetentionSettings }),
  /** Endpoints unused this many days are deleted; null when they never expire. */
  expireUnusedAfterDays: z.number().int().nullable(),
});
export type TInstanceInfo = z.infer<typeof ZInstanceInfo>;
