// Share-link schemas: the create request, the link as listed in settings (never the token), the
// one-time creation answer (with the token), and what a share token opens.
import { z } from "zod";
import { ZCapture, ZSentResponse } from "./captures";

/** How long a new link works: the four choices the dialog offers. */
export const SHARE_EXPIRIES = ["1h", "1d", "7d", "never"] as const;
export const ZShareExpiry = z.enum(SHARE_EXPIRIES, { error: "expiresIn must be one of 1h, 1d, 7d, never" });
export type TShareExpiry = z.infer<typeof ZShareExpiry>;

export const SHARE_EXPIRY_MS: Record<TShareExpiry, number | null> = {
  "1h": 3600_000,
  "1d": 24 * 3600_000,
  "7d": 7 * 24 * 3600_000,
  never: null,
};

export const SHARE_EXPIRY_LABELS: Record<TShareExpiry, string> = { "1h": "1 hour", "1d": "1 day", "7d": "7 days", never: "Never" };

export const ZCreateShareRequest = z
  .object({
    /** Share this one capture; absent or null shares the whole endpoint, live. */
    captureId: z.uuid("captureId must be a capture id").nullish(),
    /** Default 7 days: a forgotten link should not work forever unless asked for. */
    expiresIn: ZShareExpiry.default("7d"),
    /** Show Authorization, Cookie, signature headers… as sent. Default false: they are redacted. */
    includeSecrets: z.boolean({ error: "includeSecrets must be true or false" }).default(false),
  })
  .strict();
export type TCreateShareRequest = z.infer<typeof ZCreateShareRequest>;

export const SHARE_STATES = ["active", "expired", "revoked"] as const;
export type TShareState = (typeof SHARE_STATES)[number];

/** A share link as its endpoint's settings list it: no token, only its last characters. */
export const ZShareLink = z.object({
  id: z.string(),
  endpointId: z.string(),
  /** null: the whole endpoint. */
  captureId: z.string().nullable(),
  /** The shared capture's seq (#n in the list), for a capture link. */
  captureSeq: z.number().int().nullable(),
  includeSecrets: z.boolean(),
  /** e.g. "hss_…x7Qa": enough to tell links apart, useless as a credential. */
  tokenHint: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  state: z.enum(SHARE_STATES),
});
export type TShareLink = z.infer<typeof ZShareLink>;

export const ZShareLinkList = z.object({ items: z.array(ZShareLink) });

/** The answer to a create: the only time the token (and so the URL) is ever sent. */
export const ZCreatedShareLink = ZShareLink.extend({ token: z.string(), url: z.string() });
export type TCreatedShareLink = z.infer<typeof ZCreatedShareLink>;

/** Whether a link still works at `now`. */
export function shareState(link: { expiresAt: Date | string | null; revokedAt: Date | string | null }, now = Date.now()): TShareState {
  if (link.revokedAt !== null) return "revoked";
  if (link.expiresAt !== null && new Date(link.expiresAt).getTime() <= now) return "expired";
  return "active";
}

/** What a share token opens (GET /api/s/:token). Nothing that would let the holder write. */
export const ZSharedView = z.object({
  kind: z.enum(["capture", "endpoint"]),
  endpoint: z.object({ name: z.string(), captureCount: z.number().int() }),
  /** The shared capture, for kind "capture". */
  captureId: z.string().nullable(),
  includeSecrets: z.boolean(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
});
export type TSharedView = z.infer<typeof ZSharedView>;

/** A header value hidden by a share link: that it was sent, and its length in bytes. */
export const ZRedactedHeaderValue = z.object({ redacted: z.literal(true), length: z.number().int().min(0) });

const ZSharedHeaderList = z.array(z.tuple([z.string(), z.union([z.string(), ZRedactedHeaderValue])]));

/** A capture seen through a share link: header and trailer values (of the request and of the answer) may be redacted. */
export const ZSharedCapture = ZCapture.extend({
  headers: ZSharedHeaderList,
  trailers: ZSharedHeaderList.nullable(),
  response: ZSentResponse.extend({ headers: ZSharedHeaderList }).nullable(),
});
export type TSharedCapture = z.infer<typeof ZSharedCapture>;
