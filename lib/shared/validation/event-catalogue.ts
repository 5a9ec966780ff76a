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
