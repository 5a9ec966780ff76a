// Capture schemas: list query, summaries (what lists and live events carry) and full captures.
import { z } from "zod";
import { EVENT_SOURCES } from "../events/event-type";
import { ZAppliedFailure } from "./response-rules";
import { BODY_PREVIEW_BYTES } from "../format/body-preview";
import { ZSignatureSummary } from "./signatures";

export const MAX_PAGE_SIZE = 500;

export const ZCaptureListQuery = z.object({
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, "cursor must be the nextCursor value of a previous page")
    .transform(Number)
    .optional(),
  limit: z.coerce
    .number({ error: `limit must be a number from 1 to ${MAX_PAGE_SIZE}` })
    .int("limit must be a whole number")
    .min(1, "limit is at least 1")
    .max(MAX_PAGE_SIZE, `limit is at most ${MAX_PAGE_SIZE}`)
    .default(50),
  /** Only captures on exactly this path ("compare with previous"; the search's `path` is a prefix or glob). */
  exactPath: z.string().max(8000, "exactPath is at most 8000 characters").optional(),
});
export type TCaptureListQuery = z.infer<typeof ZCaptureListQuery>;

export const ZHeaderList = z.array(z.tuple([z.string(), z.string()]));
export type THeaderList = z.infer<typeof ZHeaderList>;

/** One difference from the inferred schema: a new field, a field that was always there missing, or a new type. */
export const ZDriftChange = z.object({
  kind: z.enum(["added", "removed", "type"]),
  path: z.string(),
  before: z.array(z.string()),
  after: z.array(z.string()),
});
export type TDriftChangeDto = z.infer<typeof ZDriftChange>;

export const ZCaptureSummary = z.object({
  id: z.string(),
  endpointId: z.string(),
  seq: z.number().int(),
  method: z.string(),
  path: z.string(),
  query: z.string().nullable(),
  size: z.number().int(),
  contentType: z.string().nullable(),
  /** ISO 8601 with microseconds, UTC. */
  receivedAt: z.string(),
  oversize: z.boolean(),
  /** The provider's event type ("payment_intent.succeeded", "push", "pull_request.opened"; lib/shared/events/event-type.ts), or null. */
  // The three below are in every list, detail and live summary; optional so a summary built
  // elsewhere (exports, older cached pages) still parses.
  eventType: z.string().nullable().optional(),
  /** Which rule named the event type: a provider, or "generic" for a top-level type/event field; null with no type. */
  eventSource: z.enum(EVENT_SOURCES).nullable().optional(),
  /** The request's Content-Encoding ("gzip", "br", …) when its body is compressed, else null. */
  contentEncoding: z.string().nullable().optional(),
  /** What stays the same when the provider delivers this event again (lib/shared/events/event-key.ts), or null. */
  eventKey: z.string().nullable().optional(),
  /** Which delivery of its event key this capture is among those stored (1 = the first), or null without a key. */
  deliveryNumber: z.number().int().nullable().optional(),
  /** When the first stored delivery of the key arrived (ISO 8601 with microseconds), or null without a key. */
  firstDeliveryAt: z.string().nullable().optional(),
  /**
   * How the capture differed from its event type's inferred schema before it (lib/shared/schema/infer.ts
   * driftOf): set by the schema worker shortly after capture; null or absent when none (or not merged yet).
   */
  drift: z.array(ZDriftChange).nullable().optional(),
  /** Signature verdict for badges, when already judged (see lib/server/signatures/judge.ts); absent in live events. */
  signature: ZSignatureSummary.optional(),
});
export type TCaptureSummary = z.infer<typeof ZCaptureSummary>;

export const ZCapturePage = z.object({
  items: z.array(ZCaptureSummary),
  /** Pass as ?cursor= to get the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TCapturePage = z.infer<typeof ZCapturePage>;

/** Most deliveries of one event key a capture's detail lists. */
export const MAX_EVENT_DELIVERIES = 100;

/** One delivery of an event key, as a capture's detail lists them. */
export const ZEventDelivery = z.object({
  id: z.string(),
  seq: z.number().int(),
  /** ISO 8601 with microseconds, UTC. */
  receivedAt: z.string(),
  /** The status Hookscope answered this delivery with. */
  responseStatus: z.number().int(),
});
export type TEventDelivery = z.infer<typeof ZEventDelivery>;

/** The answer Hookscope sent a capture (lib/shared/capture/answer.ts), rebuilt from the response settings revision that answered it. */
export const ZSentResponse = z.object({
  status: z.number().int(),
  /** As written, in order; node adds Date, Connection and Keep-Alive after them. */
  headers: ZHeaderList,
  /** The body sent (UTF-8 text); null when none was (HEAD, 204, 205, 304, a CORS preflight). */
  body: z.string().nullable(),
  /** How long the answer was held back after the capture was stored. */
  delayMs: z.number().int(),
  /** The provider handshake answered instead of the configured answer (e.g. "Slack url_verification"), or null. */
  handshake: z.string().nullable(),
  /** The response rule that answered (its id, name and place in the list of its revision), or null for the endpoint's own answer. */
  rule: z.object({ id: z.string(), name: z.string(), index: z.number().int() }).nullable(),
  /** What the rule's failure on purpose did (lib/shared/validation/response-rules.ts), or null. */
  failure: ZAppliedFailure.nullable(),
  /** True when the connection was closed without an answer (failure on purpose): the rest is what was not sent. */
  closed: z.boolean(),
  /** Why the rule's answer was not sent (a template error, or its output or time limit hit): the endpoint's own answer went instead. */
  error: z.string().nullable().meta({
    description:
      "Why the matched rule's answer was not sent (its template failed to render or hit the 64 KiB / 10 ms limit): the endpoint's own answer went instead. Null otherwise.",
  }),
});
export type TSentResponse = z.infer<typeof ZSentResponse>;

export const ZBodyPreview = z
  .object({
    /** "utf8": `data` is the text; "base64": `data` is the bytes in standard base64. */
    encoding: z.enum(["utf8", "base64"]),
    data: z.string(),
  })
  .meta({
    description: `The body's first ${BODY_PREVIEW_BYTES / 1024} KiB (all of it when bodyTruncated is false), in one representation.`,
  });
export type TBodyPreview = z.infer<typeof ZBodyPreview>;

export const ZCapture = ZCaptureSummary.extend({
  headers: ZHeaderList,
  /** Trailer fields sent after a chunked body ([name, value][] like headers); null when none arrived. */
  trailers: ZHeaderList.nullable(),
  declaredLength: z.number().nullable(),
  remoteAddress: z.string(),
  httpVersion: z.string(),
  durationUs: z.number().int(),
  responseStatus: z.number().int(),
  /**
   * The whole answer sent, or null where it is not known: refused requests (413, answered with an
   * error body) and captures stored before Hookscope kept response revisions.
   */
  response: ZSentResponse.nullable(),
  /**
   * Every stored delivery of the capture's event key, oldest first (at most MAX_EVENT_DELIVERIES,
   * the newest of them), this one included; absent without a key and from share links.
   */
  deliveries: z.array(ZEventDelivery).optional(),
  /**
   * The body, once: its first BODY_PREVIEW_BYTES (lib/shared/format/body-preview.ts; all of it
   * unless bodyTruncated), as UTF-8 text when those bytes are valid UTF-8, else as base64.
   */
  body: ZBodyPreview,
  /** Bytes of the stored body (0 for a refused oversize request, whose `size` is what was seen). */
  bodySize: z.number().int(),
  /** Whether `body` is only the first part: the exact bytes are at `bodyUrl`. */
  bodyTruncated: z.boolean(),
  /**
   * Where the exact body bytes are, served as a download: a path on this origin, or under a share
   * link a reference relative to the capture's URL (`<id>/body`), so the answer never holds the token.
   */
  bodyUrl: z.string(),
});
export type TCapture = z.infer<typeof ZCapture>;

/** A header value left out on purpose (share links hide secrets): says that a value was sent, not what. */
export const ZRedactedValue = z.object({
  redacted: z.literal(true),
  /** Bytes the hidden value had (share links send it; lib/shared/format/redact-headers.ts). */
  length: z.number().int().min(0).optional(),
});
export type TRedactedValue = z.infer<typeof ZRedactedValue>;

/**
 * What the capture detail view shows (components/capture/capture-detail-view.tsx): a capture
 * whose header values may be redacted. A full ZCapture is one of these.
 */
const ZViewHeaderList = z.array(z.tuple([z.string(), z.union([z.string(), ZRedactedValue])]));

export const ZCaptureView = ZCapture.extend({
  headers: ZViewHeaderList,
  trailers: ZViewHeaderList.nullable(),
  response: ZSentResponse.extend({ headers: ZViewHeaderList }).nullable(),
});
export type TCaptureView = z.infer<typeof ZCaptureView>;

/** GET /api/captures/:id/body?decode=: Content-Encodings to undo, in the order they were applied. */
export const ZCaptureBodyQuery = z.object({
  decode: z
    .string()
    .transform((s) => s.split(",").map((t) => t.trim().toLowerCase()))
    .pipe(
      z
        .array(z.enum(["gzip", "deflate", "br"], { error: "decode takes gzip, deflate or br (comma-separated)" }))
        .min(1)
        .max(4),
    )
    .optional()
    .meta({
      description:
        "Undo these Content-Encodings (gzip, deflate, br; comma-separated in the order applied) and return the decoded bytes, capped at 1 MiB; X-Hookscope-Truncated says whether the cap cut them.",
    }),
});
