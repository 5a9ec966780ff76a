// Secret headers in shared views. A share link hides these values by default: the server swaps
// each for a marker that says a value was sent and how long it was, so the secret itself never
// leaves the server. The sharer can choose to include them (include_secrets).
import { schemeSecretHeaders } from "../signatures/registry";

/**
 * Headers whose values are credentials or signatures (compared lower-case), besides the signature
 * headers of the verified schemes, which each scheme names (secretHeaders in its definition). Signatures are
 * derived from a signing secret: with the body they let anyone check guesses of the secret
 * offline, and a fresh one can be replayed within the provider's tolerance.
 */
export const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  // credentials
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "x-api-key",
  "api-key",
  "x-auth-token",
  "x-access-token",
  "x-gitlab-token",
  // signatures of providers Hookscope does not verify
  "x-twilio-email-event-webhook-signature",
  "paddle-signature",
  "x-square-signature",
  "x-square-hmacsha256-signature",
  "x-razorpay-signature",
  "x-line-signature",
  "linear-signature",
  "typeform-signature",
  "x-zm-signature",
  "x-hookdeck-signature",
  "x-webhook-signature",
  "x-signature",
  "x-hmac-signature",
  "x-hub-signature-512",
]);

/** What a hidden value becomes: that it existed, and its length in bytes. */
export interface TRedactedValue {
  redacted: true;
  length: number;
}

export type THeaderValueView = string | TRedactedValue;

/** True when `name` is a secret header: the list above, a scheme's signature header, or the endpoint's own signature headers. */
export function isSecretHeader(name: string, extraNames: ReadonlySet<string> = new Set()): boolean {
  return secretTest(extraNames)(name);
}

function secretTest(extraNames: ReadonlySet<string>): (name: string) => boolean {
  const schemes = schemeSecretHeaders();
  return (name) => {
    const lower = name.toLowerCase();
    return SECRET_HEADER_NAMES.has(lower) || schemes.has(lower) || extraNames.has(lower);
  };
}

/**
 * The headers with every secret value replaced by a TRedactedValue; names, order and repeats are
 * kept. Values are stored as latin1 strings (one character per byte), so length is the byte count.
 */
export function redactHeaders(
  headers: readonly (readonly [string, string])[],
  extraNames: ReadonlySet<string> = new Set(),
): [string, THeaderValueView][] {
  const isSecret = secretTest(extraNames);
  return headers.map(([name, value]) => [name, isSecret(name) ? { redacted: true, length: value.length } : value]);
}

/** What a hidden value reads as where only text fits (a response template that echoes a header). */
export const HIDDEN_VALUE_TEXT = "(hidden)";

/** The headers with every secret value replaced by HIDDEN_VALUE_TEXT: for rendering, where a TRedactedValue cannot go. */
export function hideSecretValues(
  headers: readonly (readonly [string, string])[],
  extraNames: ReadonlySet<string> = new Set(),
): [string, string][] {
  const isSecret = secretTest(extraNames);
  return headers.map(([name, value]) => [name, isSecret(name) ? HIDDEN_VALUE_TEXT : value]);
}
