// Signature schemas: signing secrets (API input and DTOs), verdicts (what a capture's signature
// check concluded and why), and signed test events. Universal: the dashboard types its forms
// and panels with these.
import { z } from "zod";
import { sealSchemes, type ProviderId, type SchemeId } from "../signatures/registry";

// Not imported from ./captures: captures.ts imports ZSignatureSummary from here.
const ZHeaderList = z.array(z.tuple([z.string(), z.string()]));

// The scheme enums are built from the scheme registry when this module loads (so a scheme
// registered by a test before loading it is in them); the registry's order is the enums' order.
const SCHEMES = sealSchemes();
const ids = <T extends string>(list: readonly { id: string }[]) => list.map((d) => d.id) as [T, ...T[]];

export const SIGNATURE_SCHEMES = ids<SchemeId>(SCHEMES);
export const ZSignatureScheme = z.enum(SIGNATURE_SCHEMES);
export type TSignatureScheme = z.infer<typeof ZSignatureScheme>;

/** A secret's scheme: one of the above, or "auto" (picked from the request's headers). */
export const ZSecretScheme = z.enum(["auto", ...SIGNATURE_SCHEMES]);
export type TSecretScheme = z.infer<typeof ZSecretScheme>;

export const SCHEME_LABELS = Object.fromEntries(SCHEMES.map((d) => [d.id, d.label])) as Record<TSignatureScheme, string>;

/** Schemes a capture can be re-signed with from a secret alone (generic HMAC needs a rule's options). */
export const RESIGN_SCHEMES = SIGNATURE_SCHEMES.filter((id) => !SCHEMES.find((d) => d.id === id)!.needsRule);

/** Most seconds a timestamp tolerance may be set to (a day); 0 turns the timestamp check off. */
export const MAX_TOLERANCE_SECONDS = 86_400;

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const ZSignatureHeaderName = z.string().min(1, "Header name is empty").max(256).regex(HEADER_NAME, "Not a valid header name");

/** A rule for services that sign with a plain HMAC of their own design. */
export const ZGenericOptions = z
  .object({
    /** Header carrying the signature, e.g. X-Signature. */
    header: ZSignatureHeaderName,
    algorithm: z.enum(["sha1", "sha256", "sha512"]).default("sha256"),
    encoding: z.enum(["hex", "base64"]).default("hex"),
    /** Text before the signature in the header, e.g. "sha256=". */
    prefix: z.string().max(64).default(""),
    /** What is signed: the body alone, or timestamp + separator + body. */
    signed: z.enum(["body", "timestamp_body"]).default("body"),
    /** Header carrying the timestamp (seconds or milliseconds since 1970), when signed is timestamp_body. */
    timestampHeader: ZSignatureHeaderName.optional(),
    separator: z.string().max(16).default("."),
  })
  .strict()
  .refine((o) => o.signed === "body" || o.timestampHeader, {
    message: "timestampHeader is required when the timestamp is signed",
    path: ["timestampHeader"],
  });
export type TGenericOptions = z.infer<typeof ZGenericOptions>;

export const ZSchemeOptions = z
  .object({
    /** Seconds a signed timestamp may differ from the time the request arrived; 0 = not checked. */
    toleranceSeconds: z
      .number()
      .int("Tolerance must be a whole number of seconds")
      .min(0, `Tolerance must be 0–${MAX_TOLERANCE_SECONDS} s`)
      .max(MAX_TOLERANCE_SECONDS, `Tolerance must be 0–${MAX_TOLERANCE_SECONDS} s`)
      .optional(),
    generic: ZGenericOptions.optional(),
  })
  .strict();
export type TSchemeOptions = z.infer<typeof ZSchemeOptions>;

// --- signing secrets -----------------------------------------------------------------------

export const MAX_SECRETS_PER_ENDPOINT = 20;

const ZSecretLabel = z.string().trim().min(1, "Label is empty").max(100, "Label is limited to 100 characters");

function genericNeedsRule(v: { scheme?: TSecretScheme; options?: TSchemeOptions }): boolean {
  return v.scheme !== "generic" || Boolean(v.options?.generic);
}
const GENERIC_RULE_MESSAGE = {
  message: "A generic HMAC secret needs options.generic (header, algorithm, encoding…)",
  path: ["options", "generic"],
};

export const ZCreateSigningSecretRequest = z
  .object({
    label: ZSecretLabel,
    scheme: ZSecretScheme.default("auto"),
    /** The secret itself; stored encrypted and never returned. */
    secret: z
      .string()
      .min(1, "Secret is empty")
      .max(1024, "Secret is limited to 1024 characters")
      .refine((s) => s.trim() === s, "The secret starts or ends with whitespace; paste it without spaces or line breaks"),
    options: ZSchemeOptions.default({}),
  })
  .strict()
  .refine(genericNeedsRule, GENERIC_RULE_MESSAGE);
export type TCreateSigningSecretRequest = z.input<typeof ZCreateSigningSecretRequest>;

export const ZUpdateSigningSecretRequest = z
  .object({
    label: ZSecretLabel.optional(),
    scheme: ZSecretScheme.optional(),
    options: ZSchemeOptions.optional(),
  })
  .strict();
export type TUpdateSigningSecretRequest = z.infer<typeof ZUpdateSigningSecretRequest>;

/** A stored secret as the API shows it: never the secret, only a short hint such as `whsec_…3f9a`. */
export const ZSigningSecret = z.object({
  id: z.string(),
  endpointId: z.string(),
  label: z.string(),
  scheme: ZSecretScheme,
  options: ZSchemeOptions,
  hint: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TSigningSecret = z.infer<typeof ZSigningSecret>;

export const ZSigningSecretList = z.object({ items: z.array(ZSigningSecret) });
export type TSigningSecretList = z.infer<typeof ZSigningSecretList>;

// --- verdicts ------------------------------------------------------------------------------

export const SIGNATURE_STATUSES = ["valid", "invalid", "expired", "missing_header", "no_secret"] as const;
export const ZSignatureStatus = z.enum(SIGNATURE_STATUSES);
export type TSignatureStatus = z.infer<typeof ZSignatureStatus>;

/** The usual reason behind an invalid signature, as far as the stored bytes let us tell. */
export const ZSignatureCause = z.enum([
  /** The sender signed a different serialization of the same JSON than it sent (or a proxy re-serialized it). */
  "body_reserialized",
  /** The signature matches the body without leading/trailing whitespace or with a different line ending. */
  "body_trimmed",
  /** Right signature, written in the other encoding (hex vs base64). */
  "wrong_encoding",
  /** Generic rule: the signature matches another hash algorithm. */
  "wrong_algorithm",
  /** Right secret, used the wrong way (with or without the whsec_ prefix, base64-decoded or not). */
  "secret_format",
  /** Signed by the provider's other environment (test vs live), which has its own secret. */
  "other_environment",
  /** Nothing else matched: the body or the secret differs (a body changed after signing, or another secret); the two cannot be told apart. */
  "wrong_secret",
  /** The header is there but cannot be read. */
  "malformed_header",
  /** The body went over the size limit and was not stored. */
  "body_not_stored",
  /** Twilio: the body does not match the bodySHA256 in the URL. */
  "body_hash_mismatch",
]);
export type TSignatureCause = z.infer<typeof ZSignatureCause>;

/** One secret tried against one capture. */
export const ZSignatureAttempt = z.object({
  secretId: z.string().nullable(),
  secretLabel: z.string().nullable(),
  scheme: ZSignatureScheme.nullable(),
  status: ZSignatureStatus,
  /** Header read, with the name as it arrived. */
  header: z.string().nullable(),
  /** Signature computed from the exact stored bytes, written as the provider writes it. */
  expected: z.string().nullable(),
  /** Signature(s) the request carried. */
  received: z.string().nullable(),
  cause: ZSignatureCause.nullable(),
  reason: z.string(),
  /** Seconds between the signed timestamp and the arrival (positive: signed before it arrived). */
  skewSeconds: z.number().int().nullable(),
  toleranceSeconds: z.number().int().nullable(),
  /** The signed timestamp, ISO 8601. */
  signedAt: z.string().nullable(),
  /** Twilio: the URL the signature matched (or the one shown as expected). */
  url: z.string().nullable(),
});
export type TSignatureAttempt = z.infer<typeof ZSignatureAttempt>;

/** The verdict on a capture: the deciding attempt, plus every attempt made. */
export const ZSignatureVerdict = ZSignatureAttempt.extend({
  attempts: z.array(ZSignatureAttempt),
  /** When this verdict was computed (ISO 8601); timestamps are judged against the arrival time, not this. */
  computedAt: z.string(),
});
export type TSignatureVerdict = z.infer<typeof ZSignatureVerdict>;

/** What a list row carries: enough for a badge. */
export const ZSignatureSummary = z.object({
  status: ZSignatureStatus,
  scheme: ZSignatureScheme.nullable(),
  secretLabel: z.string().nullable(),
});
export type TSignatureSummary = z.infer<typeof ZSignatureSummary>;

export const MAX_BATCH_IDS = 200;

export const ZSignatureBatchQuery = z.object({
  ids: z
    .string()
    .transform((s) => s.split(",").filter(Boolean))
    .pipe(
      z
        .array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "ids must be capture ids"))
        .min(1, "ids is empty")
        .max(MAX_BATCH_IDS, `at most ${MAX_BATCH_IDS} ids`),
    ),
});

/** capture id → summary; ids not of this endpoint are absent. */
export const ZSignatureBatch = z.object({ items: z.record(z.string(), ZSignatureSummary) });
export type TSignatureBatch = z.infer<typeof ZSignatureBatch>;

// --- signed test events --------------------------------------------------------------------

/** Schemes with sample events: a test event's provider is the scheme it is signed with. */
const PROVIDERS = SCHEMES.filter((d) => d.testEvents);
export const TEST_EVENT_PROVIDERS = ids<ProviderId>(PROVIDERS);
export const ZTestEventProvider = z.enum(TEST_EVENT_PROVIDERS);
export type TTestEventProvider = z.infer<typeof ZTestEventProvider>;

/** Sample events per provider; the first is the default. */
export const TEST_EVENTS = Object.fromEntries(
  PROVIDERS.map((d): [string, readonly string[]] => [d.id, Object.keys(d.testEvents!.events)]),
) as Record<TTestEventProvider, readonly string[]>;

export const ZSendTestEventRequest = z
  .object({
    provider: ZTestEventProvider,
    /** One of TEST_EVENTS[provider]; defaults to the first. */
    event: z.string().max(100).optional(),
    /** Sign with this secret… */
    secret: z.string().min(1).max(1024).optional(),
    /** …or with a stored one (it never leaves the server). */
    secretId: z.string().uuid("secretId must be a secret id").optional(),
    /** "self" (this endpoint's capture URL) or an http(s) URL. */
    target: z.union([z.literal("self"), z.string().url('target must be "self" or an http(s) URL').max(4096)]).default("self"),
  })
  .strict()
  .refine((v) => (v.secret === undefined) !== (v.secretId === undefined), { message: "Give either secret or secretId", path: ["secret"] })
  .refine((v) => v.event === undefined || TEST_EVENTS[v.provider].includes(v.event), {
    message: "Unknown event for this provider",
    path: ["event"],
  })
  .refine((v) => v.target === "self" || /^https?:\/\//i.test(v.target), {
    message: 'target must be "self" or an http(s) URL',
    path: ["target"],
  });
export type TSendTestEventRequest = z.input<typeof ZSendTestEventRequest>;

export const ZOutgoingBody = z.object({
  size: z.number().int(),
  base64: z.string(),
  /** UTF-8 text, or null when not valid UTF-8. */
  text: z.string().nullable(),
  /** True when more arrived than was kept. */
  truncated: z.boolean(),
});

export const ZSendTestEventResponse = z.object({
  ok: z.boolean(),
  /** Why nothing (or no full response) came back: blocked_address, dns, connect, timeout, … */
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  provider: ZTestEventProvider,
  event: z.string(),
  request: z.object({ method: z.string(), url: z.string(), headers: ZHeaderList, body: z.string() }),
  response: z
    .object({
      status: z.number().int(),
      statusText: z.string(),
      headers: ZHeaderList,
      body: ZOutgoingBody,
    })
    .nullable(),
  /** Milliseconds from start to the last response byte (or the failure). */
  durationMs: z.number(),
  /** When sent to this endpoint: the id of the capture it made. */
  captureId: z.string().nullable(),
});
export type TSendTestEventResponse = z.infer<typeof ZSendTestEventResponse>;
