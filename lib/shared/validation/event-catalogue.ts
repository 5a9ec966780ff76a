// The event catalogue of an endpoint: its captures grouped by provider event type (the type the
// list and search use, lib/shared/events/event-type.ts), and the rest grouped by method and path.
import { z } from "zod";
import { EVENT_SOURCES } from "../events/event-type";

const ZSample = z.object({ id: z.string(), seq: z.number().int() });

export const ZEventTypeEntry = z.object({
  type: z.string(),
  /** The rule that named it: stripe, github, shopify, slack, standard, twilio or generic. */
  source: z.enum(EVENT_SOURCES).nullable(),
  count: z.number().int(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  /** The newest capture of the type. */
  sample: ZSample,
});
export type TEventTypeEntry = z.infer<typeof ZEventTypeEntry>;

export const ZOtherRequestGroup = z.object({
  method: z.string(),
  path: z.string(),
  count: z.number().int(),
  lastSeenAt: z.string(),
  sample: ZSample,
});
export type TOtherRequestGroup = z.infer<typeof ZOtherRequestGroup>;

export const ZEventCatalogue = z.object({
  /** Most captured first; at most EVENT_CATALOGUE_LIMIT. */
  types: z.array(ZEventTypeEntry),
  /** Captures without an event type. */
  other: z.object({
    count: z.number().int(),
    /** By method and path, most captured first; at most OTHER_GROUPS_LIMIT. */
    groups: z.array(ZOtherRequestGroup),
  }),
});
export type TEventCatalogue = z.infer<typeof ZEventCatalogue>;

export const EVENT_CATALOGUE_LIMIT = 200;
export const OTHER_GROUPS_LIMIT = 20;

/** GET /api/endpoints/:id/event-types/:type/schema: the inferred JSON Schema (lib/shared/schema/infer.ts). */
export const ZEventSchemaResponse = z.object({
  type: z.string(),
  /** Captures merged into it. */
  samples: z.number().int(),
  /** The server's SCHEMA_SAMPLE_LIMIT it was built with: from its newest N captures (up to N + N/4); 0: every capture. */
  window: z.number().int(),
  updatedAt: z.string(),
  /** The endpoint's captures up to this seq are merged (by a background worker: it may trail the newest). */
  mergedSeq: z.number().int(),
  captureSeq: z.number().int(),
  schema: z.record(z.string(), z.unknown()),
});
export type TEventSchemaResponse = z.infer<typeof ZEventSchemaResponse>;

/** ?lang= of the generated-code routes. */
export const ZCodeQuery = z.object({
  lang: z.enum(["typescript", "zod", "schema"]).default("typescript"),
  download: z.enum(["0", "1"]).optional(),
});
export type TCodeLang = z.infer<typeof ZCodeQuery>["lang"];
