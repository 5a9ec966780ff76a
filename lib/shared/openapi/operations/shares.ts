// Share links: created, listed and revoked with the key; read with the token alone.
import { ZCaptureBodyQuery, ZCaptureListQuery, ZCapturePage } from "../../validation/captures";
import { ZCreatedShareLink, ZCreateShareRequest, ZSharedCapture, ZSharedView, ZShareLink, ZShareLinkList } from "../../validation/shares";
import { ZErrorBody, type Operation, type ResponseDoc } from "./types";

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
    summary: "One shared capture",
    description:
      "The capture API's shape: the body's first 256 KiB once, with `bodySize`, `bodyTruncated` and a `bodyUrl` under the same token. Unless the link includes secrets, secret header values arrive as `{ redacted: true, length }`.",
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
      "The same frames as the endpoint's own stream (`?coalesce=N` included); it ends when the link is revoked or expires. Capture links have none (404).",
    keyed: false,
    responses: {
      200: {
        description: "An event stream.",
        media: { type: "text/event-stream", description: "capture, ready, reset, drift and (with ?coalesce) coalesced events." },
      },
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

export const SHARE_OPERATIONS: Operation[] = [
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
];
