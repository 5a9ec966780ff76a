// Captures: list (with the search filters), read, download the body, export, delete.
import { z } from "zod";
import { MAX_PAGE_SIZE, ZCapture, ZCaptureBodyQuery, ZCaptureListQuery, ZCapturePage } from "../../validation/captures";
import { ZCodeQuery, ZEventCatalogue, ZEventSchemaResponse } from "../../validation/event-catalogue";
import { ZExportedCapture, ZExportQuery } from "../../validation/exports";
import { ALL_FILTERS, filterParams } from "./filters";
import { deleted, type Operation } from "./types";

const ZCleared = z.object({ deleted: z.number().int() });

export const CAPTURE_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/endpoints/{id}/captures",
    tag: "Captures",
    summary: "List captures, newest first",
    description: `Summaries without bodies. Follow \`nextCursor\` for older pages; \`limit\` is 1 to ${MAX_PAGE_SIZE}. The search filters narrow the list (ANDed); a bad one is a 400 saying what is wrong.`,
    keyed: true,
    query: ZCaptureListQuery.extend(filterParams(ALL_FILTERS)),
    responses: { 200: { description: "One page.", schema: ZCapturePage } },
  },
  {
    method: "delete",
    path: "/api/endpoints/{id}/captures",
    tag: "Captures",
    summary: "Clear every capture of the endpoint",
    description: "Sequence numbers keep counting up.",
    keyed: true,
    responses: { 200: { description: "How many were deleted.", schema: ZCleared } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/event-types",
    tag: "Captures",
    summary: "The event catalogue: captures by event type",
    description:
      "Each provider event type with its count, first and last seen, and the newest capture as a sample, most captured first; captures without a type are grouped by method and path. Filter the list by one with `type:<type>`.",
    keyed: true,
    responses: { 200: { description: "The catalogue.", schema: ZEventCatalogue } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/event-types/{type}/schema",
    tag: "Captures",
    summary: "The JSON Schema inferred from an event type's captures",
    description:
      "Draft 2020-12, merged from every capture of the type with a JSON object body (docs/event-schemas.md): types (unions where they differ), required when present in every capture, null, array items, formats, small enums, examples. A background worker merges captures shortly after they arrive; `mergedSeq` says how far. `type` is URL-encoded. 404 when no capture of the type was merged.",
    keyed: true,
    responses: { 200: { description: "The schema.", schema: ZEventSchemaResponse } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/event-types/{type}/code",
    tag: "Captures",
    summary: "Generated code for an event type: TypeScript, zod, or its JSON Schema",
    description: "Generated from the inferred schema by quicktype. `download=1` answers as an attachment.",
    keyed: true,
    query: ZCodeQuery,
    responses: {
      200: { description: "The code.", media: { type: "text/plain", description: "TypeScript or zod source, or the JSON Schema." } },
    },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/event-types/code",
    tag: "Captures",
    summary: "Generated code for every event type of the endpoint (the schema bundle)",
    description:
      'TypeScript: every type and `WebhookEvent`, a union `{ type: "push"; payload: Push } | …` discriminated by the event type; zod: the schemas and `WebhookEventSchema` (z.discriminatedUnion); schema: every type\'s JSON Schema under `$defs`. `download=1` answers as an attachment.',
    keyed: true,
    query: ZCodeQuery,
    responses: {
      200: { description: "The code.", media: { type: "text/plain", description: "TypeScript or zod source, or the JSON Schema bundle." } },
    },
  },
  {
    method: "get",
    path: "/api/captures/{id}",
    tag: "Captures",
    summary: "Get one capture",
    description:
      "Headers as [name, value] pairs in original case and order. The body comes once, as a preview of its first 256 KiB (`body.encoding` `utf8`: text; `base64`: bytes), with `bodySize`, `bodyTruncated` and `bodyUrl`: GET `bodyUrl` (this API's body route) for the exact bytes, so a 10 MiB capture's answer stays small.",
    keyed: true,
    responses: { 200: { description: "The capture.", schema: ZCapture } },
  },
  {
    method: "delete",
    path: "/api/captures/{id}",
    tag: "Captures",
    summary: "Delete one capture",
    keyed: true,
    responses: deleted,
  },
  {
    method: "get",
    path: "/api/captures/{id}/body",
    tag: "Captures",
    summary: "Download the exact body bytes",
    description:
      "Always an attachment with `X-Content-Type-Options: nosniff`, never rendered. With `decode`, the body with those Content-Encodings undone (output capped at 1 MiB; the dashboard uses it for brotli, which browsers cannot decode).",
    keyed: true,
    query: ZCaptureBodyQuery,
    responses: {
      200: {
        description: "The stored bytes (or, with decode, the decoded bytes).",
        media: { type: "application/octet-stream", description: "The body exactly as stored; Content-Type is the captured one." },
        headers: {
          "Content-Disposition": 'attachment; filename="<slug>-<seq>.bin"',
          "X-Hookscope-Truncated": "With decode only: true when the decoded output was cut at 1 MiB.",
        },
      },
    },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/export",
    tag: "Captures",
    summary: "Export every capture (or the filtered set) as HAR 1.2 or NDJSON",
    description:
      'Streams every capture committed when the export started, oldest first, as a download. `har`: a HAR 1.2 log (opens in browser devtools); request bodies are in `postData.text`, as text when valid UTF-8, else base64 with `_encoding: "base64"`; `_hookscope` holds the capture id, seq and client address. `ndjson`: one ExportedCapture per line, body as base64. Read from the database in pages, so any number of captures exports in flat memory. Signing secrets are never included.',
    keyed: true,
    query: ZExportQuery.extend(filterParams(ALL_FILTERS)),
    responses: {
      200: {
        description: "The export, as an attachment.",
        media: {
          type: "application/x-ndjson",
          description: "format=ndjson: one ExportedCapture per line. format=har: application/json, a HAR 1.2 document.",
          schema: ZExportedCapture,
        },
        headers: { "Content-Disposition": 'attachment; filename="hookscope-<slug>-<UTC time>.<format>"' },
      },
    },
  },
];
