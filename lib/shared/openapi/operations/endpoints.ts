// Endpoints: create, list, read, change, delete, and trade a key for the browser's cookie.
import {
  ZCreateEndpointRequest,
  ZCreateEndpointResponse,
  ZDashboardLink,
  ZEndpoint,
  ZEndpointList,
  ZUpdateEndpointRequest,
} from "../../validation/endpoints";
import { ZTryResponseRulesRequest, ZTryResponseRulesResult } from "../../validation/response-rule-try";
import { ZPutResponseRulesRequest, ZResponseRulesDto } from "../../validation/response-rules";
import { deleted, ZErrorBody, type Operation } from "./types";

/** The 409 of every route that sets a key cookie (lib/server/http/auth.ts requireRoomForKeyCookie; 100 is its MAX_KEY_COOKIES). */
const KEY_COOKIE_CAP_409 =
  "`CONFLICT`: this browser already holds the key cookies of 100 endpoints, the most it keeps; remove some from this browser (`DELETE /api/endpoints/{id}/session`) or use the endpoint through the API with its key.";

export const ENDPOINT_OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/api/endpoints",
    tag: "Endpoints",
    summary: "Create an endpoint",
    description:
      "Returns the management key once (only its hash is stored) and sets the calling browser's key cookie. The body is optional. " +
      "`alias` chooses the capture URL's name (`/h/<alias>`; 3–48 lower-case letters, digits and single hyphens inside, not a reserved word; " +
      "lower-cased), beside the random slug, which keeps answering. An alias that exists is idempotent for its owner: with that endpoint's " +
      "management key in `X-Hookscope-Key` (or as the Bearer when the instance has no CREATE_ENDPOINT_TOKEN) the answer is 200 with the " +
      "endpoint as it is (the request's other settings are not applied; PATCH changes them); without it, 409 `ALIAS_TAKEN`.",
    keyed: false,
    requestHeaders: {
      "X-Hookscope-Key": "The management key of the endpoint that has `alias`, to get it back (200) instead of 409 `ALIAS_TAKEN`.",
    },
    body: ZCreateEndpointRequest,
    responses: {
      200: {
        description: "The alias exists and the request carries its key: that endpoint, unchanged (same id and URLs).",
        schema: ZCreateEndpointResponse,
      },
      201: { description: "Created.", schema: ZCreateEndpointResponse },
      409: {
        description:
          "`ALIAS_TAKEN`: another endpoint has this alias (or it is another endpoint's slug) and the request does not carry its key. " +
          "`CONFLICT`: this browser already holds the key cookies of 100 endpoints, the most it keeps.",
        schema: ZErrorBody,
      },
    },
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
    summary: "Rename, set or remove the alias, or change what the capture URL answers, its retention or how retries are recognised",
    description:
      "`alias`: a new name for the capture URL, or null to remove it. The old alias stops answering (404) at once on this replica, " +
      "within 2 s on others; the slug URL always answers. " +
      "`eventKey` chooses what links retries of one event: `auto` (the providers' documented keys: X-GitHub-Delivery, " +
      "X-Shopify-Webhook-Id, webhook-id, svix-id, Stripe's event `id`, Slack's `event_id`, Idempotency-Key), " +
      '`{ "source": "header", "name": "…" }`, `{ "source": "json", "path": "data.id" }` or `off`. It applies to captures stored afterwards.',
    keyed: true,
    body: ZUpdateEndpointRequest,
    responses: {
      200: { description: "The endpoint as saved.", schema: ZEndpoint },
      409: { description: "`ALIAS_TAKEN`: another endpoint has this alias, or it is another endpoint's slug.", schema: ZErrorBody },
    },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/response-rules",
    tag: "Endpoints",
    summary: "Get the response rules",
    description:
      "The ordered list of response rules: the first whose conditions all hold answers a capture, the endpoint's own answer (`response`) answers the rest. Also failure on purpose per rule. See docs/api.md.",
    keyed: true,
    responses: { 200: { description: "The rules and the response revision they belong to.", schema: ZResponseRulesDto } },
  },
  {
    method: "put",
    path: "/api/endpoints/{id}/response-rules",
    tag: "Endpoints",
    summary: "Replace the response rules",
    description:
      "Replaces the whole list (at most 50) and makes a new response revision. A rule without an `id` gets one; keep a rule's id to keep its first-N delivery counts. A rule's `answer.body` and header values may be Liquid templates (liquidjs, sandboxed: variables `method`, `path`, `query`, `headers`, `body`, `id`, `seq`, `now`; 64 KiB of output and 10 ms per render; on an error or limit the endpoint's own answer goes and the capture's `response.error` says why). A rule that can never match (an empty `methods` list), an invalid glob, an unsafe or invalid regex or a template that does not parse is a 400 naming the field.",
    keyed: true,
    body: ZPutResponseRulesRequest,
    responses: { 200: { description: "The rules as saved, with ids.", schema: ZResponseRulesDto } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/response-rules/try",
    tag: "Endpoints",
    summary: "Try the response rules against a stored capture",
    description:
      "Which rule capture #`seq` matches and the answer it would render, with the same matcher the capture URL runs. Give `rules` to try unsaved edits; the saved rules otherwise. Templates are rendered with this capture's id, seq and arrival time (a render error is in `response.error`, with the endpoint's own answer). Failure on purpose is reported, not applied.",
    keyed: true,
    body: ZTryResponseRulesRequest,
    responses: { 200: { description: "The matching rule (or null) and the answer.", schema: ZTryResponseRulesResult } },
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
    responses: {
      204: { description: "Cookie set.", headers: { "Set-Cookie": "The httpOnly key cookie for this endpoint." } },
      409: { description: KEY_COOKIE_CAP_409, schema: ZErrorBody },
    },
  },
  {
    method: "delete",
    path: "/api/endpoints/{id}/session",
    tag: "Endpoints",
    summary: "This browser forgets the endpoint",
    description:
      "Clears this browser's key cookie for the endpoint; the endpoint and its captures stay, and its key or a dashboard link opens it again.",
    keyed: true,
    responses: { 204: { description: "Cookie cleared.", headers: { "Set-Cookie": "The key cookie, expired." } } },
  },
  {
    method: "post",
    path: "/api/endpoints/session",
    tag: "Endpoints",
    summary: "Add an endpoint to this browser by its management key alone",
    description:
      "Only `Authorization: Bearer <key>` counts. Finds the endpoint the key opens, sets this browser's key cookie for it and returns it; 404 when no endpoint has that key.",
    keyed: false,
    requestHeaders: { Authorization: "Bearer <management key>" },
    responses: {
      200: {
        description: "The endpoint the key opens; the cookie is set.",
        schema: ZEndpoint,
        headers: { "Set-Cookie": "The httpOnly key cookie for this endpoint." },
      },
      409: { description: KEY_COOKIE_CAP_409, schema: ZErrorBody },
    },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/dashboard-link",
    tag: "Endpoints",
    summary: "The full-access dashboard link and the management key",
    description:
      "From the key the request carries (the browser's key cookie or a Bearer key), so every tab of a browser that holds the cookie can offer the link. A cookie-authenticated call must come from the dashboard's own origin.",
    keyed: true,
    responses: { 200: { description: "`url` carries the key in its #fragment; `managementKey` is the key.", schema: ZDashboardLink } },
  },
  {
    method: "post",
    path: "/api/endpoints/{id}/key",
    tag: "Endpoints",
    summary: "Replace the management key",
    description:
      "For a key that leaked. The new key is answered once and set as this browser's key cookie; the old key, its dashboard links, other browsers' cookies and the live and smee streams opened with it (within 5 s) stop working. 409 when another request replaced it at the same moment.",
    keyed: true,
    responses: {
      200: {
        description: "`managementKey` is the new key; `url` the new dashboard link.",
        schema: ZDashboardLink,
        headers: { "Set-Cookie": "The httpOnly key cookie, with the new key." },
      },
      409: { description: "`CONFLICT`: another request replaced the key at the same moment; use the key it answered.", schema: ZErrorBody },
    },
  },
];

/** The endpoint behind a capture URL; listed after forwarding in the document (see ./index.ts). */
export const ENDPOINT_BY_SLUG: Operation = {
  method: "get",
  path: "/api/endpoints/by-slug/{slug}",
  tag: "Endpoints",
  summary: "The endpoint behind a capture URL",
  description:
    "`{slug}` is the capture URL's name: the slug or the alias. Needs the endpoint's management key; `hookscope forward` starts from a capture URL.",
  keyed: true,
  responses: { 200: { description: "The endpoint.", schema: ZEndpoint } },
};
