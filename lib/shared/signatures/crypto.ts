// HMAC and comparison helpers for the signature schemes (node:crypto; server and CLI).
import type NodeCrypto from "node:crypto";

/**
 * node:crypto, fetched when first used rather than imported: the scheme registry also reaches the
 * browser (the API's enums and the scheme labels come from it), where a static import makes the
 * bundler ship a crypto polyfill. Only server and CLI code call these helpers.
 */
export function nodeCrypto(): typeof NodeCrypto {
  return process.getBuiltinModule("node:crypto");
}

export type HashAlgorithm = "sha1" | "sha256" | "sha512";
export type SignatureEncoding = "hex" | "base64";

/** HMAC of the parts, in order, as if they were one byte string. */
export function hmac(algorithm: HashAlgorithm, key: Buffer | string, ...parts: (Buffer | string)[]): Buffer {
  const h = nodeCrypto().createHmac(algorithm, key);
  for (const p of parts) h.update(typeof p === "string" ? Buffer.from(p, "utf8") : p);
  return h.digest();
}

export function sha256Hex(data: Buffer | string): string {
  return nodeCrypto().createHash("sha256").update(data).digest("hex");
}

/**
 * Constant-time string comparison. Unequal lengths return false at once: a signature's length
 * is fixed by its algorithm and encoding, so it tells an attacker nothing.
 */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && nodeCrypto().timingSafeEqual(x, y);
}

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The bytes a signature string stands for in the given encoding, or null when it is not that encoding. */
export function decodeSignature(s: string, encoding: SignatureEncoding): Buffer | null {
  if (!s) return null;
  if (encoding === "hex") return HEX.test(s) ? Buffer.from(s, "hex") : null;
  if (BASE64.test(s)) return Buffer.from(s, "base64");
  if (BASE64URL.test(s)) return Buffer.from(s, "base64url");
  return null;
}

/** Strict base64 (standard alphabet, optional padding) to bytes, or null. */
export function decodeBase64Strict(s: string): Buffer | null {
  if (!s || !BASE64.test(s)) return null;
  const b = Buffer.from(s, "base64");
  return b.length ? b : null;
}
