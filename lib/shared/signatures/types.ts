// The contract every signature scheme implements, in one object per scheme (schemes/*.ts) listed
// in registry.ts. A scheme reads its headers from a request (inspect), turns a secret into HMAC
// key bytes (key), computes the MAC the sender should have sent (PreparedCheck.mac) and signs
// (sign); verify.ts does the comparing, the timestamp check and the diagnosis of mismatches, the
// same way for every scheme. Everything else (the API's enums, labels, detection, what re-signing
// replaces and share links hide, test events) is read from these objects.
import type { TSchemeOptions, TSignatureCause } from "../validation/signatures";
import type { SignatureEncoding } from "./crypto";
import type { HeaderPairs } from "./headers";

/** Stripe, Slack and Standard Webhooks all document five minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

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

export interface SignInput {
  secret: string;
  body: Buffer;
  /** Unix seconds. */
  timestamp: number;
  /** Standard Webhooks message id; defaults to the original request's, else a new msg_… id. */
  id?: string;
  /** Twilio signs the URL it requests. */
  url?: string;
  method?: string;
  /** Twilio signs form parameters for form bodies only. */
  contentType?: string;
  options?: TSchemeOptions;
  /** Standard Webhooks header family: webhook-* (default) or svix-*. */
  headerPrefix?: "webhook" | "svix";
  /** When re-signing: the request's headers, for what a scheme keeps (a header family, settings). */
  original?: HeaderPairs;
}

export interface SignedParts {
  /** Headers to add, in the order the provider sends them. */
  headers: [string, string][];
  /** Twilio with a non-form body: the URL to request, with bodySHA256 added. */
  url?: string;
}

/** What a sample builder gets: the time the event is made. */
export interface SampleContext {
  /** Unix seconds. */
  now: number;
  iso: string;
}

/** One sample event: the body as the provider formats it, and its non-signature headers. */
export type SampleBuilder = (ctx: SampleContext) => { body: string; headers: [string, string][]; contentType: string };

export interface SchemeTestEvents {
  /** Sample events by name, in menu order; the first is the default. */
  events: Record<string, SampleBuilder>;
  /** One line for `hookscope send --help`: the headers sent and the secret to use. */
  note: string;
  /** A secret of the provider's shape, for `hookscope send` without --secret. */
  randomSecret(): string;
}

export interface SchemeDefinition<Id extends string = string> {
  /** The API's name for the scheme (signing secrets, verdicts, test event providers). */
  id: Id;
  /** The name people see. */
  label: string;
  /** Where to find the secret, shown in the empty secret field. */
  secretPlaceholder: string;
  /** The scheme signs a timestamp: secrets of this scheme offer a tolerance. */
  timestamped: boolean;
  /** Signs by a rule in the secret's options (generic HMAC); not offered where no rule is given. */
  needsRule?: boolean;
  /** Header names that identify the scheme in a request, in the order they are looked for. */
  detect: readonly string[];
  /** Every header the scheme signs or reads: what re-signing replaces. */
  headers(options: TSchemeOptions): string[];
  /** Headers whose values are signatures: share links hide them. */
  secretHeaders: readonly string[];
  /** Reads the scheme's headers; `missing` when the signature header is absent. */
  inspect(req: VerifyRequest, options: TSchemeOptions): Inspection;
  /** HMAC key bytes for a secret as the provider hands it out; throws SecretFormatError. */
  key(secret: string, options: TSchemeOptions): Buffer;
  /** Headers (and URL) that make `input.body` verify with `input.secret`. */
  sign(input: SignInput): SignedParts;
  /** Sample events for test events and `hookscope send`; a scheme without them is not a provider there. */
  testEvents?: SchemeTestEvents;
}

/** Keeps a scheme's literal id (and whether it has test events) in its type. */
export function defineScheme<const D extends SchemeDefinition>(definition: D): D {
  return definition;
}

/** Stored-or-default tolerance: 0 means the timestamp is not checked. */
export function toleranceOf(options: TSchemeOptions, fallback: number | null): number | null {
  const t = options.toleranceSeconds ?? fallback;
  return t === null || t === 0 ? null : t;
}
