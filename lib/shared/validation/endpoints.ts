// Endpoint request/response schemas: validate API input, type the settings form, shape DTOs.
import { z } from "zod";
import { ZEndpointAlias } from "./endpoint-alias";
import { type TEventKeySetting } from "../events/event-key";
import { ZJsonPath } from "./json-path";

/** RFC 9110 token: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible ASCII, space and tab, plus obs-text; no CR, LF or NUL. */
export const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
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

/** The shape of stored response headers. Stored rows may predate answerHeaderRefusal; readers strip those (allowedAnswerHeaders). */
export const ZResponseHeaders = z.array(z.tuple([ZHeaderName, ZHeaderValue])).max(50, "At most 50 response headers");

/** Headers Hookscope puts on every capture answer so it stays inert in a browser (lib/shared/capture/answer.ts). */
const INERT_HEADERS = new Set(["content-security-policy", "x-content-type-options"]);

/**
 * Headers that act on the whole origin (every page and later request of the host) rather than on
 * the one answer, with why. The capture host is shared by every endpoint, anyone may configure an
 * endpoint, and unless CAPTURE_BASE_URL is set it is the dashboard's host too: refused everywhere.
 */
const ORIGIN_HEADERS = new Map<string, string>([
  ["set-cookie", "it would store a cookie for the whole host (a page of cookies locks a browser out with 431)"],
  ["set-cookie2", "it would store a cookie for the whole host"],
  ["service-worker-allowed", "it lets a service worker take over the whole host"],
  ["clear-site-data", "it wipes the host's cookies and storage, signing people out of the dashboard"],
  ["refresh", "browsers follow it like a redirect, to any site"],
  ["link", "preload, prefetch and stylesheet links load into the host's pages and caches"],
  ["strict-transport-security", "it changes how browsers reach the whole host"],
  ["alt-svc", "it sends later requests for the host to another server"],
  ["nel", "it sends reports about the host's traffic to another site"],
  ["report-to", "it sends reports about the host's traffic to another site"],
  ["reporting-endpoints", "it sends reports about the host's traffic to another site"],
  ["accept-ch", "it changes the client hints browsers send to the whole host"],
  ["critical-ch", "it changes the client hints browsers send to the whole host"],
  ["origin-agent-cluster", "it changes how browsers isolate the host's pages"],
  ["public-key-pins", "it pins the host's certificates"],
  ["public-key-pins-report-only", "it reports on the host's certificates to another site"],
  ["expect-ct", "it reports on the host's certificates to another site"],
  ["set-login", "it changes the host's sign-in status in the browser"],
  ["speculation-rules", "it makes browsers prefetch and prerender pages of the host"],
]);

/** A path on the capture URL's own host: one leading "/" but not "//" or "/\\" (another host), no whitespace (browsers drop tabs). */
const LOCAL_PATH = /^\/(?![/\\])[^\s\\]*$/;

/**
 * Why a configured answer header may not be sent (null when it may), and which part is at fault.
 * The settings API and form refuse these (400); the capture path drops them from rows stored
 * before the rule, so an old endpoint cannot send them either.
 */
export function answerHeaderRefusal(name: string, value: string): { part: "name" | "value"; message: string } | null {
  const lower = name.toLowerCase();
  if (INERT_HEADERS.has(lower)) {
    return { part: "name", message: `${name} is set by Hookscope on every capture answer (so it runs nothing) and cannot be changed` };
  }
  // Sec- names are reserved for browser features, some of which act on the whole host
  // (Sec-Session-Registration binds sessions for it); no webhook sender reads one.
  const why =
    ORIGIN_HEADERS.get(lower) ??
    (lower.startsWith("sec-") ? "Sec- headers are reserved for browser features that act on the whole host" : undefined);
  if (why) return { part: "name", message: `${name} cannot be configured: ${why}. Capture answers may only act on themselves` };
  if (lower === "location" && !LOCAL_PATH.test(value)) {
    return {
      part: "value",
      message:
        "Location must be a path on this host, starting with a single / (e.g. /h/<slug>/done): a capture URL never redirects to another site",
    };
  }
  return null;
}

/** Response headers as settings input: ZResponseHeaders minus what answerHeaderRefusal refuses. */
export const ZAnswerHeaders = z
  .array(
    z.tuple([ZHeaderName, ZHeaderValue]).superRefine(([name, value], ctx) => {
      const refusal = answerHeaderRefusal(name, value);
      if (refusal) ctx.addIssue({ code: "custom", message: refusal.message, path: [refusal.part === "name" ? 0 : 1] });
    }),
  )
  .max(50, "At most 50 response headers");

/** The headers of stored settings that may still be sent (rows written before answerHeaderRefusal existed). */
export function allowedAnswerHeaders(headers: [string, string][]): [string, string][] {
  return headers.filter(([n, v]) => answerHeaderRefusal(n, v) === null);
}

export const ZResponseSettings = z.object({
  // 1xx codes are interim responses: a request cannot end with one, so they are refused.
  status: z.number().int("Status must be a whole number").min(200, "Status must be 200–599").max(599, "Status must be 200–599"),
  headers: ZAnswerHeaders,
  body: z.string().max(MAX_RESPONSE_BODY_CHARS, "Response body is limited to 256 KiB").nullable(),
  contentType: ZHeaderValue.min(1).max(256).nullable(),
  delayMs: z
    .number()
    .int("Delay must be a whole number of milliseconds")
    .min(0, "Delay must be 0–30000 ms")
    .max(MAX_RESPONSE_DELAY_MS, "Delay must be 0–30000 ms"),
  /** Answer provider handshakes (Slack url_verification, Meta hub.challenge, …) before the settings above. */
  handshakes: z.boolean({ error: "handshakes must be true or false" }),
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

/** Where an endpoint's event key comes from (lib/shared/events/event-key.ts): links retries of one event. */
export const ZEventKeySetting = z.discriminatedUnion(
  "source",
  [
    z.object({ source: z.literal("auto") }).strict(),
    z.object({ source: z.literal("off") }).strict(),
    z
      .object({
        source: z.literal("header"),
        name: z
          .string({ error: "Enter a header name" })
          .trim()
          .min(1, "Enter a header name")
          .max(256, "At most 256 characters")
          .regex(HEADER_NAME, "A header name may only contain letters, digits and !#$%&'*+-.^_`|~"),
      })
      .strict(),
    z
      .object({
        source: z.literal("json"),
        path: z.string({ error: "Enter a JSON path such as data.id" }).trim().min(1, "Enter a JSON path such as data.id").pipe(ZJsonPath),
      })
      .strict(),
  ],
  { error: 'The key source must be "auto", "header", "json" or "off"' },
) satisfies z.ZodType<TEventKeySetting>;

export const ZEndpointName = z.string().trim().min(1, "Name is empty").max(100, "Name is limited to 100 characters");

/** Request side: any subset of the settings, and nothing else (a misspelt field is an error, not a no-op). */
const ZResponseSettingsPatch = ZResponseSettings.partial().strict();

export const ZCreateEndpointRequest = z
  .object({
    name: ZEndpointName.optional(),
    /** A chosen capture URL name; an existing one answers 200 with that endpoint when the request carries its key (docs/api.md). */
    alias: ZEndpointAlias.nullable().optional(),
    response: ZResponseSettingsPatch.optional(),
    retention: ZRetentionSettings.partial().strict().optional(),
    eventKey: ZEventKeySetting.optional(),
  })
  .strict();
export type TCreateEndpointRequest = z.infer<typeof ZCreateEndpointRequest>;

export const ZUpdateEndpointRequest = z
  .object({
    name: ZEndpointName.optional(),
    /** A new alias, or null to remove it (the old one stops answering at once). */
    alias: ZEndpointAlias.nullable().optional(),
    response: ZResponseSettingsPatch.optional(),
    retention: ZRetentionSettings.partial().strict().optional(),
    eventKey: ZEventKeySetting.optional(),
  })
  .strict();
export type TUpdateEndpointRequest = z.infer<typeof ZUpdateEndpointRequest>;

export const ZEndpoint = z.object({
  id: z.string(),
  slug: z.string(),
  /** The chosen name of the capture URL, or null. */
  alias: z.string().nullable(),
  name: z.string(),
  /** The URL to give providers: /h/<alias> when there is one, else /h/<slug>. */
  captureUrl: z.string(),
  /** /h/<slug>: always answers too, alias or not. */
  slugUrl: z.string(),
  dashboardUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  captureCount: z.number().int(),
  lastCaptureAt: z.string().nullable(),
  response: ZResponseSettings,
  retention: ZRetentionSettings,
  /** Where the event key that links retries of one event comes from. */
  eventKey: ZEventKeySetting,
});
export type TEndpoint = z.infer<typeof ZEndpoint>;

export const ZCreateEndpointResponse = ZEndpoint.extend({
  /** Shown once; only its hash is stored. */
  managementKey: z.string(),
});
export type TCreateEndpointResponse = z.infer<typeof ZCreateEndpointResponse>;

/** POST /api/endpoints/:id/dashboard-link: the full-access link (key in its #fragment) and the key itself. */
export const ZDashboardLink = z.object({ url: z.string(), managementKey: z.string() });
export type TDashboardLink = z.infer<typeof ZDashboardLink>;

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
