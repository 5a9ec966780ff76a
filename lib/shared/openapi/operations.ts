// Every API operation, described once for the OpenAPI document (/api/openapi.json) and the API
// page (/api-docs). Request and response shapes are the same zod schemas the route handlers
// validate with, so the document cannot drift from what the API accepts and answers.
// test/openapi.test.ts fails when a route file under app/api exports a method not listed here.
import { z } from "zod";
import { MAX_PAGE_SIZE, ZCapture, ZCaptureBodyQuery, ZCaptureListQuery, ZCapturePage, ZCaptureSummary } from "../validation/captures";
import {
  ZCreateEndpointRequest,
  ZCreateEndpointResponse,
  ZEndpoint,
  ZEndpointList,
  ZInstanceInfo,
  ZUpdateEndpointRequest,
} from "../validation/endpoints";
import { CAPTURE_FILTER_PARAMS } from "../search/params";
import { ZDelivery, ZDeliveryListQuery, ZDeliveryPage, ZReportDeliveryRequest, ZResendRequest } from "../validation/deliveries";
import { ZExportedCapture, ZExportQuery, ZWaitFilterParams, ZWaitQuery } from "../validation/exports";
import { ZCreateForwardRuleRequest, ZForwardRule, ZForwardRuleList, ZUpdateForwardRuleRequest } from "../validation/forward-rules";
import { ZCreatedShareLink, ZCreateShareRequest, ZSharedCapture, ZSharedView, ZShareLink, ZShareLinkList } from "../validation/shares";
import {
  ZCreateSigningSecretRequest,
  ZSendTestEventRequest,
  ZSendTestEventResponse,
  ZSignatureBatch,
  ZSignatureBatchQuery,
  ZSignatureVerdict,
  ZSigningSecret,
  ZSigningSecretList,
  ZUpdateSigningSecretRequest,
} from "../validation/signatures";

export const ZErrorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: "Stable machine-readable code, e.g. BAD_REQUEST, UNAUTHORIZED, NOT_FOUND." }),
    message: z.string().meta({ description: "What went wrong, in words." }),
    details: z.unknown().optional(),
  }),
});

const ZHealth = z.object({
  status: z.enum(["ok", "degraded"]),
  database: z.enum(["up", "down"]),
  latencyMs: z.number().optional(),
  liveSubscribers: z.number().int(),
  liveListening: z.boolean().nullable(),
});

const ZCleared = z.object({ deleted: z.number().int() });

const FILTER_WORDS: Record<keyof typeof CAPTURE_FILTER_PARAMS, string> = {
  q: "A search in the query language (docs/search.md): terms ANDed, e.g. `method:POST path:/stripe/* type:json`.",
  method: "Method, or a comma-separated list (`POST`, `get,put`).",
  path: "Path prefix (`/stripe`), or a glob over the whole path (`/stripe/*/events`).",
  header: "A header name (`stripe-signature`) or `name:value` with `*` wildcards.",
  type: "Content type contains this text (`json`).",
  size: "Body size range: `>10kb`, `<=1mb`, `1kb..1mb`.",
  after: "Received at or after: an age (`1h`, `2d`) or an ISO date/date-time.",
  before: "Received before: an age or an ISO date/date-time.",
  text: "Body text contains this (case-insensitive).",
};

/** The search filters as described query parameters, shared by the list, export and wait. */
const filterParams = <K extends keyof typeof CAPTURE_FILTER_PARAMS>(keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, CAPTURE_FILTER_PARAMS[k].meta({ description: FILTER_WORDS[k] })])) as {
    [P in K]: (typeof CAPTURE_FILTER_PARAMS)[P];
  };

const ALL_FILTERS = Object.keys(CAPTURE_FILTER_PARAMS) as (keyof typeof CAPTURE_FILTER_PARAMS)[];
const WAIT_FILTERS = Object.keys(ZWaitFilterParams.shape) as (keyof typeof ZWaitFilterParams.shape)[];

export type Tag = "Endpoints" | "Captures" | "Live and automation" | "Forwarding and resend" | "Signatures" | "Share links" | "Instance";

export interface ResponseDoc {
  description: string;
  /** JSON body schema. */
  schema?: z.ZodType;
  /** Non-JSON body: media type and a description of it (e.g. a byte stream). */
  media?: { type: string; description: string; schema?: z.ZodType };
  headers?: Record<string, string>;
}

export interface Operation {
  method: "get" | "post" | "patch" | "put" | "delete";
  /** OpenAPI path, e.g. /api/endpoints/{id}. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** Needs the endpoint's management key (Bearer or the browser's key cookie). */
  keyed: boolean;
  query?: z.ZodObject;
  /** Request headers read, name → description. */
  requestHeaders?: Record<string, string>;
  body?: z.ZodType;
  responses: Record<number, ResponseDoc>;
}

/** Named schemas under components/schemas; everything else is inlined. */
export const NAMED_SCHEMAS: Record<string, z.ZodType> = {
  Endpoint: ZEndpoint,
  CreatedEndpoint: ZCreateEndpointResponse,
  EndpointList: ZEndpointList,
  CaptureSummary: ZCaptureSummary,
  CapturePage: ZCapturePage,
  Capture: ZCapture,
  ExportedCapture: ZExportedCapture,
  SigningSecret: ZSigningSecret,
  SigningSecretList: ZSigningSecretList,
  SignatureVerdict: ZSignatureVerdict,
  SignatureBatch: ZSignatureBatch,
  TestEventResult: ZSendTestEventResponse,
  ForwardRule: ZForwardRule,
  ForwardRuleList: ZForwardRuleList,
  Delivery: ZDelivery,
  DeliveryPage: ZDeliveryPage,
  ShareLink: ZShareLink,
  CreatedShareLink: ZCreatedShareLink,
  SharedView: ZSharedView,
  SharedCapture: ZSharedCapture,
  Error: ZErrorBody,
};

const deleted = { 204: { description: "Deleted." } } satisfies Record<number, ResponseDoc>;

/** What a share token that opens nothing gets: 404 unknown, 410 revoked or expired (with the reason). */
const shareRefusals = {
  404: { description: "Unknown token (or the shared capture is gone).", schema: ZErrorBody },
  410: { description: "The link was revoked or has expired; the message says which and when.", schema: ZErrorBody },
} satisfies Record<number, ResponseDoc>;

const SHARE_READS: Operation[] = [
  {
    method: "get",
    path: "/api/s/{token}",
    tag: "Share links",
    summary: "What a share link opens",
    description:
      "One capture or a whole endpoint (its name), whether secret headers are shown, and the expiry. The token is the credential.",
    keyed: false,
    responses: { 200: { description: "The shared view.", schema: ZSharedView }, ...shareRefusals },
  },
  {
    method: "get",
    path: "/api/s/{token}/captures",
    tag: "Share links",
    summary: "The shared captures, newest first",
    description: "The endpoint's captures (paged like the list API), or just the one capture of a capture link.",
    keyed: false,
    query: ZCaptureListQuery,
    responses: { 200: { description: "One page of summaries.", schema: ZCapturePage }, ...shareRefusals },
  },
  {
    method: "get",
    path: "/api/s/{token}/captures/{captureId}",
    tag: "Share links",
    summary: "One shared capture in full",
    description: "Unless the link includes secrets, secret header values arrive as `{ redacted: true, length }`.",
    keyed: false,
    responses: { 200: { description: "The capture.", schema: ZSharedCapture }, ...shareRefusals },
  },
  {
    method: "get",
    path: "/api/s/{token}/captures/{captureId}/body",
    tag: "Share links",
    summary: "A shared capture's exact body bytes, as a download",
    description: "`decode` undoes Content-Encodings as on the capture body route.",
    keyed: false,
    query: ZCaptureBodyQuery,
    responses: {
      200: { description: "The bytes.", media: { type: "application/octet-stream", description: "The body exactly as received." } },
      ...shareRefusals,
    },
  },
  {
    method: "get",
    path: "/api/s/{token}/events",
    tag: "Share links",
    summary: "Live captures of a shared endpoint (Server-Sent Events)",
    description:
      "The same frames as the endpoint's own stream; it ends when the link is revoked or expires. Capture links have none (404).",
    keyed: false,
    responses: {
      200: { description: "An event stream.", media: { type: "text/event-stream", description: "capture, ready and reset events." } },
      ...shareRefusals,
    },
  },
];

/** Every share route also answers POST/PUT/PATCH/DELETE, with 405 once the token is checked. */
const SHARE_WRITES: Operation[] = SHARE_READS.flatMap((read) =>
  (["post", "put", "patch", "delete"] as const).map((method): Operation => ({
    method,
    path: read.path,
    tag: "Share links",
    summary: "Refused: share links are read-only",
    keyed: false,
    responses: { 405: { description: "Nothing can be written with a share link.", schema: ZErrorBody }, ...shareRefusals },
  })),
);

export const OPERATIONS: Operation[] = [
  // --- endpoints
  {
    method: "post",
    path: "/api/endpoints",
    tag: "Endpoints",
    summary: "Create an endpoint",
    description:
      "Returns the management key once (only its hash is stored) and sets the calling browser's key cookie. The body is optional.",
    keyed: false,
    body: ZCreateEndpointRequest,
    responses: { 201: { description: "Created.", schema: ZCreateEndpointResponse } },
  },
  {
    method: "get",
    path: "/api/endpoints",
    tag: "Endpoints",
    summary: "List the endpoints this browser holds key cookies for",
    keyed: false,
    responses: { 200: { description: "Endpoints, newest first.", schema: ZEndpointList } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}",
    tag: "Endpoints",
    summary: "Get one endpoint and its response settings",
    keyed: true,
    responses: { 200: { description: "The endpoint.", schema: ZEndpoint } },
  },
  {
    method: "patch",
    path: "/api/endpoints/{id}",
    tag: "Endpoints",
    summary: "Rename, or change what the capture URL answers",
    keyed: true,
    body: ZUpdateEndpointRequest,
    responses: { 200: { description: "The endpoint as saved.", schema: ZEndpoint } },
  },
  {
    method: "delete",
    path: "/api/endpoints/{id}",
    tag: "Endpoints",
    summary: "Delete the endpoint and all its captures",
    keyed: true,
    responses: deleted,
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/session",
    tag: "Endpoints",
    summary: "Trade a Bearer management key for this browser's key cookie",
    description: "Only `Authorization: Bearer <key>` counts here. Used by dashboard links, which carry the key in the URL fragment.",
    keyed: true,
    responses: { 204: { description: "Cookie set.", headers: { "Set-Cookie": "The httpOnly key cookie for this endpoint." } } },
  },
  // --- captures
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
    path: "/api/captures/{id}",
    tag: "Captures",
    summary: "Get one capture in full",
    description: "Headers as [name, value] pairs in original case and order; body as base64, plus text when it is valid UTF-8.",
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
  // --- live and automation
  {
    method: "get",
    path: "/api/endpoints/{id}/events",
    tag: "Live and automation",
    summary: "Server-Sent Events: each new capture as it commits",
    description:
      "One `capture` event per capture (data: a CaptureSummary, id: its seq), after a catch-up of what came after `Last-Event-ID` or `?after=`; then `ready`; a comment heartbeat every 20 s.",
    keyed: true,
    query: z.object({ after: z.string().regex(/^\d+$/).optional().meta({ description: "Resume after this seq (Last-Event-ID wins)." }) }),
    requestHeaders: { "Last-Event-ID": "The seq of the last event received; a reconnecting EventSource sends it." },
    responses: {
      200: { description: "An event stream.", media: { type: "text/event-stream", description: "SSE frames.", schema: ZCaptureSummary } },
    },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/captures/wait",
    tag: "Live and automation",
    summary: "Long-poll: wait for the first capture after a cursor",
    description:
      "Answers with the oldest capture whose seq is greater than `after` as soon as one is committed, or 204 when `timeout` seconds pass first (a 503 is not a timeout: retry it). Without `after`, waits for a capture that arrives after the call. With search filters, only a matching capture counts; here `after` is the cursor, so a received-time filter goes in `q` (`q=after:10m`). For CI: note the newest seq (or pass the seq of the last capture you handled), trigger the webhook, then wait.",
    keyed: true,
    query: ZWaitQuery.extend(filterParams(WAIT_FILTERS)),
    responses: {
      200: { description: "The capture, in full.", schema: ZCapture },
      204: { description: "Nothing arrived before the timeout." },
      503: {
        description:
          "The database is unavailable, or the server began shutting down before a capture came (error code SHUTTING_DOWN; `details.after` is the cursor this wait used). Send the same request again after Retry-After seconds, with `after` set: nothing is missed.",
        schema: ZErrorBody,
        headers: { "Retry-After": "Seconds to wait before asking again." },
      },
    },
  },
  // --- forwarding and resend
  {
    method: "get",
    path: "/api/endpoints/{id}/forward-rules",
    tag: "Forwarding and resend",
    summary: "List forward rules with their outbox counts",
    description: "Re-sign secrets appear only as hints.",
    keyed: true,
    responses: { 200: { description: "The rules.", schema: ZForwardRuleList } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/forward-rules",
    tag: "Forwarding and resend",
    summary: "Add a forward rule",
    description: "Every new capture matching the rule's filters is queued and delivered to its target, with retries.",
    keyed: true,
    body: ZCreateForwardRuleRequest,
    responses: { 201: { description: "Added.", schema: ZForwardRule } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/forward-rules/{ruleId}",
    tag: "Forwarding and resend",
    summary: "One forward rule with its outbox counts",
    keyed: true,
    responses: { 200: { description: "The rule.", schema: ZForwardRule } },
  },
  {
    method: "patch",
    path: "/api/endpoints/{id}/forward-rules/{ruleId}",
    tag: "Forwarding and resend",
    summary: "Change a rule's target, filters, on/off, attempts, redirects or re-signing",
    keyed: true,
    body: ZUpdateForwardRuleRequest,
    responses: { 200: { description: "The rule as saved.", schema: ZForwardRule } },
  },
  {
    method: "delete",
    path: "/api/endpoints/{id}/forward-rules/{ruleId}",
    tag: "Forwarding and resend",
    summary: "Remove a rule and its queue",
    description: "Its deliveries stay, without the rule.",
    keyed: true,
    responses: deleted,
  },
  {
    method: "post",
    path: "/api/captures/{id}/resend",
    tag: "Forwarding and resend",
    summary: "Send the capture (edited or not) to a URL once",
    keyed: true,
    body: ZResendRequest,
    responses: { 201: { description: "The recorded delivery.", schema: ZDelivery } },
  },
  {
    method: "get",
    path: "/api/captures/{id}/deliveries",
    tag: "Forwarding and resend",
    summary: "The capture's deliveries, newest first",
    description: "Resends, forward attempts and CLI forwards, with what each target answered.",
    keyed: true,
    query: ZDeliveryListQuery,
    responses: { 200: { description: "One page.", schema: ZDeliveryPage } },
  },
  {
    method: "post",
    path: "/api/captures/{id}/deliveries",
    tag: "Forwarding and resend",
    summary: "Record what a local target answered",
    description: "`hookscope forward` reports each request it delivered here.",
    keyed: true,
    body: ZReportDeliveryRequest,
    responses: { 201: { description: "Recorded.", schema: ZDelivery } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/smee",
    tag: "Forwarding and resend",
    summary: "The endpoint as a smee.io channel",
    description:
      "For `smee --url <this URL> --target <local URL>`. smee-client cannot send headers, so the management key may ride in `?key=`; resumes from Last-Event-ID like /events.",
    keyed: true,
    query: z.object({ key: z.string().optional().meta({ description: "The management key (smee-client cannot send headers)." }) }),
    responses: {
      200: { description: "An event stream in smee's format.", media: { type: "text/event-stream", description: "SSE frames." } },
    },
  },
  {
    method: "get",
    path: "/api/endpoints/by-slug/{slug}",
    tag: "Endpoints",
    summary: "The endpoint behind a capture URL",
    description: "Needs the endpoint's management key; `hookscope forward` starts from a capture URL.",
    keyed: true,
    responses: { 200: { description: "The endpoint.", schema: ZEndpoint } },
  },
  // --- signatures
  {
    method: "get",
    path: "/api/endpoints/{id}/secrets",
    tag: "Signatures",
    summary: "List signing secrets (hints only, never the secret)",
    keyed: true,
    responses: { 200: { description: "The secrets.", schema: ZSigningSecretList } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/secrets",
    tag: "Signatures",
    summary: "Add a signing secret",
    description: "Stored encrypted; only a hint such as `whsec_…3f9a` is ever returned.",
    keyed: true,
    body: ZCreateSigningSecretRequest,
    responses: { 201: { description: "Added.", schema: ZSigningSecret } },
  },
  {
    method: "patch",
    path: "/api/endpoints/{id}/secrets/{secretId}",
    tag: "Signatures",
    summary: "Change a secret's label, scheme or options",
    keyed: true,
    body: ZUpdateSigningSecretRequest,
    responses: { 200: { description: "The secret as saved.", schema: ZSigningSecret } },
  },
  {
    method: "delete",
    path: "/api/endpoints/{id}/secrets/{secretId}",
    tag: "Signatures",
    summary: "Remove a signing secret",
    keyed: true,
    responses: deleted,
  },
  {
    method: "get",
    path: "/api/captures/{id}/signature",
    tag: "Signatures",
    summary: "The signature verdict of one capture, explained",
    keyed: true,
    responses: { 200: { description: "The verdict and every secret tried.", schema: ZSignatureVerdict } },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/signatures",
    tag: "Signatures",
    summary: "Verdict summaries for up to 200 captures (badges)",
    keyed: true,
    query: ZSignatureBatchQuery,
    responses: { 200: { description: "Summaries by capture id.", schema: ZSignatureBatch } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/test-events",
    tag: "Signatures",
    summary: "Send a signed sample event to this endpoint or a URL",
    keyed: true,
    body: ZSendTestEventRequest,
    responses: { 200: { description: "What was sent and what came back.", schema: ZSendTestEventResponse } },
  },
  // --- share links
  {
    method: "get",
    path: "/api/endpoints/{id}/shares",
    tag: "Share links",
    summary: "List the endpoint's share links (never their tokens)",
    description: "Newest first, with what each shares, creation, expiry, last use and state (active, expired, revoked).",
    keyed: true,
    responses: { 200: { description: "The links.", schema: ZShareLinkList } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/shares",
    tag: "Share links",
    summary: "Create a read-only share link to the endpoint or one capture",
    description:
      "The answer carries the token and its URL (`/s/<token>`): the only time either is sent; only the token's sha256 is stored. Secret headers are redacted unless `includeSecrets` is true.",
    keyed: true,
    body: ZCreateShareRequest,
    responses: { 201: { description: "Created.", schema: ZCreatedShareLink } },
  },
  {
    method: "delete",
    path: "/api/endpoints/{id}/shares/{shareId}",
    tag: "Share links",
    summary: "Revoke a share link at once",
    description: "The link stays listed as revoked; its token then gets 410, and open live views end.",
    keyed: true,
    responses: { 200: { description: "The link as it now is.", schema: ZShareLink } },
  },
  ...SHARE_READS,
  ...SHARE_WRITES,
  // --- instance
  {
    method: "get",
    path: "/api/health",
    tag: "Instance",
    summary: "Liveness and database reachability",
    keyed: false,
    responses: { 200: { description: "Database up.", schema: ZHealth }, 503: { description: "Database down.", schema: ZHealth } },
  },
  {
    method: "get",
    path: "/api/instance",
    tag: "Instance",
    summary: "What this instance requires and allows",
    description: "Whether creating an endpoint needs a token, retention defaults and ceilings, endpoint expiry.",
    keyed: false,
    responses: { 200: { description: "Instance settings.", schema: ZInstanceInfo } },
  },
  {
    method: "get",
    path: "/api/openapi.json",
    tag: "Instance",
    summary: "This document",
    keyed: false,
    responses: { 200: { description: "OpenAPI 3.1.", media: { type: "application/json", description: "The OpenAPI document." } } },
  },
];
