// Secret headers in shared views. A share link hides these values by default: the server swaps
// each for a marker that says a value was sent and how long it was, so the secret itself never
// leaves the server. The sharer can choose to include them (include_secrets).

/**
 * Headers whose values are credentials or signatures (compared lower-case). Signatures are
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
  // provider signatures
  "stripe-signature",
  "x-hub-signature",
  "x-hub-signature-256",
  "x-shopify-hmac-sha256",
  "x-slack-signature",
  "webhook-signature",
  "svix-signature",
  "x-twilio-signature",
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

/** True when `name` is a secret header, by the list above or the endpoint's own signature headers. */
export function isSecretHeader(name: string, extraNames: ReadonlySet<string> = new Set()): boolean {
  const lower = name.toLowerCase();
  return SECRET_HEADER_NAMES.has(lower) || extraNames.has(lower);
}

/**
 * The headers with every secret value replaced by a TRedactedValue; names, order and repeats are
 * kept. Values are stored as latin1 strings (one character per byte), so length is the byte count.
 */
export function redactHeaders(
  headers: readonly (readonly [string, string])[],
  extraNames: ReadonlySet<string> = new Set(),
): [string, THeaderValueView][] {
  return headers.map(([name, value]) => [name, isSecretHeader(name, extraNames) ? { redacted: true, length: value.length } : value]);
}
