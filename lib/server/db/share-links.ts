// Share-link data functions. The token exists in clear only in createShareLink's answer; rows hold
// its sha256. A presented token is found through the unique index on that hash (timing there
// depends on the hash, which says nothing usable about the token) and then compared with
// keyMatches (crypto.timingSafeEqual), so no comparison of secret material exits early.
import "server-only";
import { publicBaseUrl } from "@/lib/server/env";
import { AppError } from "@/lib/shared/errors/app-error";
import {
  SHARE_EXPIRY_MS,
  shareState,
  type TCreatedShareLink,
  type TCreateShareRequest,
  type TShareLink,
} from "@/lib/shared/validation/shares";
import { getPrisma } from "./client";
import type { ShareLink } from "./generated/client";

/** A share link row as the data layer returns it. */
export type ShareLinkRecord = ShareLink;
import { hashKey, keyMatches, newShareToken, SHARE_TOKEN_PATTERN, uuidv7 } from "./keys";

/** lastUsedAt is written at most this often per link, so a busy live view does not write on every request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

type ShareLinkRow = ShareLink & { capture?: { seq: bigint } | null };

export function shareUrl(token: string): string {
  return `${publicBaseUrl()}/s/${token}`;
}

export function toShareLinkDto(row: ShareLinkRow, now = Date.now()): TShareLink {
  return {
    id: row.id,
    endpointId: row.endpointId,
    captureId: row.captureId,
    captureSeq: row.capture ? Number(row.capture.seq) : null,
    includeSecrets: row.includeSecrets,
    tokenHint: row.tokenHint,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    state: shareState(row, now),
  };
}

/** Creates a link to the endpoint or one of its captures; the answer carries the token, once. */
export async function createShareLink(endpointId: string, input: TCreateShareRequest, now = new Date()): Promise<TCreatedShareLink> {
  const prisma = getPrisma();
  if (input.captureId) {
    const capture = await prisma.capture.findUnique({ where: { id: input.captureId }, select: { endpointId: true } });
    if (!capture || capture.endpointId !== endpointId) throw new AppError("NOT_FOUND", "No such capture in this endpoint.");
  }
  const token = newShareToken();
  const ttl = SHARE_EXPIRY_MS[input.expiresIn];
  const row = await prisma.shareLink.create({
    data: {
      id: uuidv7(now.getTime()),
      endpointId,
      captureId: input.captureId ?? null,
      tokenHash: hashKey(token),
      tokenHint: `hss_…${token.slice(-4)}`,
      includeSecrets: input.includeSecrets,
      createdAt: now,
      expiresAt: ttl === null ? null : new Date(now.getTime() + ttl),
    },
    include: { capture: { select: { seq: true } } },
  });
  return { ...toShareLinkDto(row, now.getTime()), token, url: shareUrl(token) };
}

/** Every link of an endpoint, newest first, revoked and expired ones included (the list says which). */
export async function listShareLinksByEndpointId(endpointId: string): Promise<TShareLink[]> {
  const rows = await getPrisma().shareLink.findMany({
    where: { endpointId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    include: { capture: { select: { seq: true } } },
  });
  const now = Date.now();
  return rows.map((r) => toShareLinkDto(r, now));
}

/** Revokes a link (idempotent: a second revoke keeps the first time). */
export async function revokeShareLink(endpointId: string, shareId: string): Promise<TShareLink> {
  const prisma = getPrisma();
  await prisma.shareLink.updateMany({ where: { id: shareId, endpointId, revokedAt: null }, data: { revokedAt: new Date() } });
  const row = await prisma.shareLink.findFirst({ where: { id: shareId, endpointId }, include: { capture: { select: { seq: true } } } });
  if (!row) throw new AppError("NOT_FOUND", "No such share link.");
  return toShareLinkDto(row);
}

/** The link a token belongs to, whatever its state, or null (also for anything not shaped like a token). */
export async function getShareLinkByToken(token: string): Promise<ShareLink | null> {
  if (!SHARE_TOKEN_PATTERN.test(token)) return null;
  const row = await getPrisma().shareLink.findUnique({ where: { tokenHash: hashKey(token) } });
  return row && keyMatches(token, row.tokenHash) ? row : null;
}

/** Records a use of the link, at most once per LAST_USED_RESOLUTION_MS. */
export async function touchShareLink(link: Pick<ShareLink, "id" | "lastUsedAt">, now = new Date()): Promise<void> {
  if (link.lastUsedAt && now.getTime() - link.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  await getPrisma().shareLink.updateMany({
    where: { id: link.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) } }] },
    data: { lastUsedAt: now },
  });
}
