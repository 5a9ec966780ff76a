// Export and automation schemas: the export and wait queries, and one exported capture (an
// NDJSON line; the HAR export carries the same fields in HAR's own shape, see lib/server/export/formats/har.ts).
import { z } from "zod";
import { EXPORT_FORMAT_INFO, EXPORT_FORMATS } from "../export/formats";
import { toFilterTerms, ZCaptureFilterParams } from "../search/params";
import { ZHeaderList, ZSentResponse } from "./captures";

/** "a", "a or b", "a, b or c". */
const orList = (ids: readonly string[]) => (ids.length < 2 ? ids.join("") : `${ids.slice(0, -1).join(", ")} or ${ids.at(-1)}`);

export const ZExportFormat = z.enum(EXPORT_FORMATS, { error: `format must be ${orList(EXPORT_FORMATS)}` });
export type TExportFormat = z.infer<typeof ZExportFormat>;

export const ZExportQuery = z.object({
  format: ZExportFormat.meta({ description: `${EXPORT_FORMAT_INFO.map((f) => `${f.id}: ${f.description}`).join("; ")}.` }),
});
export type TExportQuery = z.infer<typeof ZExportQuery>;

/** Longest a wait may hold the request open, in seconds. */
export const MAX_WAIT_SECONDS = 60;
export const DEFAULT_WAIT_SECONDS = 30;

const SEQ = /^\d{1,15}$/;

export const ZWaitQuery = z.object({
  after: z
    .string()
    .regex(SEQ, "after must be a capture's seq (a whole number), such as the seq of the newest capture you have seen")
    .transform(Number)
    .optional()
    .meta({ description: "Return the first capture with a seq above this one. Omitted: the first capture that arrives after the call." }),
  timeout: z.coerce
    .number({ error: `timeout must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}` })
    .min(0, `timeout must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}`)
    .max(MAX_WAIT_SECONDS, `timeout must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}`)
    .default(DEFAULT_WAIT_SECONDS)
    .meta({ description: `Seconds to wait before answering 204, 0 to ${MAX_WAIT_SECONDS}.` }),
});
export type TWaitQuery = z.infer<typeof ZWaitQuery>;

/**
 * The capture filters of the list API (lib/shared/search/params.ts) for the wait route, less `after`:
 * there `after` is the cursor, as the route's contract says; a received-time filter goes in `q`
 * (`q=after:10m`).
 */
export const ZWaitFilterParams = ZCaptureFilterParams.omit({ after: true });
export const ZWaitFilter = ZWaitFilterParams.transform(toFilterTerms);

/** One line of an NDJSON export: everything stored about the request, body as base64. */
export const ZExportedCapture = z.object({
  id: z.string(),
  seq: z.number().int(),
  method: z.string(),
  /** The full URL the request was sent to (PUBLIC_BASE_URL, capture path, sub-path, query). */
  url: z.string(),
  /** Sub-path after the capture URL ("" for the capture URL itself). */
  path: z.string(),
  /** Raw query string without "?", or null when the request had none. */
  query: z.string().nullable(),
  httpVersion: z.string(),
  /** [name, value] pairs in original case and order, repeats kept. */
  headers: ZHeaderList,
  /** Trailer fields that followed a chunked body, like headers; null when none arrived. */
  trailers: ZHeaderList.nullable(),
  contentType: z.string().nullable(),
  /** Bytes received (for an oversize request: bytes seen before the cap; the body is not stored). */
  size: z.number().int(),
  declaredLength: z.number().int().nullable(),
  oversize: z.boolean(),
  /** The exact stored body bytes, base64. */
  bodyBase64: z.string(),
  remoteAddress: z.string(),
  /** ISO 8601 with microseconds, UTC. */
  receivedAt: z.string(),
  durationUs: z.number().int(),
  /** Status the capture URL answered with. */
  responseStatus: z.number().int(),
  /** The whole answer sent, or null when not known (refused 413s, captures older than response revisions). */
  response: ZSentResponse.nullable(),
});
export type TExportedCapture = z.infer<typeof ZExportedCapture>;
