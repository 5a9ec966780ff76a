// The contract every signature scheme implements. A scheme reads its headers from a request
// (inspect), turns a secret into HMAC key bytes (key), and computes the MAC the sender should
// have sent (PreparedCheck.mac); verify.ts does the comparing, the timestamp check and the
// diagnosis of mismatches, the same way for every scheme.
import type { TSchemeOptions, TSignatureCause, TSignatureScheme } from "../validation/signatures";
import type { SignatureEncoding } from "./crypto";
import type { HeaderPairs } from "./headers";

export interface VerifyRequest {
  method: string;
  headers: HeaderPairs;
  /** The exact stored body bytes. */
  body: Buffer;
  /** Full URLs the sender may have signed (only Twilio signs the URL), most likely first. */
  urls: string[];
  /** Arrival time in seconds since 1970 (fractional); signed timestamps are judged against it. */
  receivedAt: number;
  /** The body went over the size limit and was not stored. */
  oversize?: boolean;
}

export interface ComputedMac {
  mac: Buffer;
  /** Twilio: the URL this MAC was computed over. */
  url?: string;
}

export interface PreparedCheck {
  /** Header read, name as it arrived. */
  header: string;
  /** The header value as it arrived. */
  received: string;
  /** Signatures carried (several for Stripe and Standard Webhooks), without scheme prefixes. */
  signatures: string[];
  encoding: SignatureEncoding;
  /** How the provider writes a signature in its header, e.g. `sha256=${sig}`. */
  format(sig: string): string;
  /** The MAC(s) the sender should have sent for this body and key; any one matching is enough. */
  mac(body: Buffer, key: Buffer): ComputedMac[];
  /** Signed timestamp in seconds, when the scheme signs one. */
  timestamp: number | null;
  toleranceSeconds: number | null;
  /** Judge timestamps in the future too (Stripe's libraries only judge age). */
  bothDirections: boolean;
  /** Checks that must pass after the MAC matched (Twilio's bodySHA256). */
  afterMatch?(body: Buffer): { cause: TSignatureCause; reason: string } | null;
  /** A note on which environment (test/live) sent this, for the wrong-secret explanation. */
  environment?(body: Buffer): { mode: "test" | "live"; note: string } | null;
  /** Other algorithms to try when diagnosing (generic rules). */
  algorithmVariants?: { label: string; mac(body: Buffer, key: Buffer): ComputedMac[] }[];
  /** Words added to a wrong-secret explanation. */
  secretAdvice: string;
}

export type Inspection =
  | { kind: "missing"; header: string; reason: string }
  | { kind: "malformed"; header: string; received: string; reason: string }
  | { kind: "ready"; check: PreparedCheck };

export class SecretFormatError extends Error {
  override name = "SecretFormatError";
}

export interface SchemeDefinition {
  id: TSignatureScheme;
  /** Reads the scheme's headers; `missing` when the signature header is absent. */
  inspect(req: VerifyRequest, options: TSchemeOptions): Inspection;
  /** HMAC key bytes for a secret as the provider hands it out; throws SecretFormatError. */
  key(secret: string, options: TSchemeOptions): Buffer;
}

/** Stored-or-default tolerance: 0 means the timestamp is not checked. */
export function toleranceOf(options: TSchemeOptions, fallback: number | null): number | null {
  const t = options.toleranceSeconds ?? fallback;
  return t === null || t === 0 ? null : t;
}
