// Random public slugs, management keys and share tokens; only sha256 of a key or token is ever stored.
import "server-only";
import crypto from "node:crypto";

const SLUG_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no 0/o/1/l: slugs get read aloud and retyped

/** 12 characters from a 32-letter alphabet: 60 bits, unguessable enough for a public URL. */
export function newSlug(): string {
  const bytes = crypto.randomBytes(12);
  let out = "";
  for (const b of bytes) out += SLUG_ALPHABET[b & 31];
  return out;
}

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{2,63}$/;

/** 256-bit management key, prefixed so it is recognisable in a leaked-secret scan. */
export function newManagementKey(): string {
  return `hsk_${crypto.randomBytes(32).toString("base64url")}`;
}

/**
 * 256-bit share-link token (hss_ + 43 base64url characters). Like a management key it is stored
 * only as its sha256; looked up by that hash (a unique index), then compared with keyMatches.
 */
export function newShareToken(): string {
  return `${SHARE_TOKEN_PREFIX}${crypto.randomBytes(32).toString("base64url")}`;
}

export const SHARE_TOKEN_PREFIX = "hss_";
/** What a share token looks like; anything else is refused before a database lookup. */
export const SHARE_TOKEN_PATTERN = /^hss_[A-Za-z0-9_-]{43}$/;

export function hashKey(key: string): string {
  return crypto.createHash("sha256").update(key, "utf8").digest("hex");
}

/** Constant-time comparison of a presented key against a stored hash. */
export function keyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashKey(key), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** UUIDv7: 48-bit ms timestamp then random bits, so ids sort by creation time. */
export function uuidv7(now = Date.now()): string {
  // A v4 UUID's random bits, drawn from the entropy Node caches in bulk (one randomBytes call per
  // id cost about 6% of the capture path's CPU), under the timestamp: "tttttttt-tttt-7xxx-yxxx-…".
  // v4 and v7 put the version in the same nibble and the variant in the same bits.
  const u = crypto.randomUUID();
  const t = now.toString(16).padStart(12, "0");
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${u.slice(15)}`;
}
