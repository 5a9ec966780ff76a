// Signs a payload the way a scheme's provider does, returning the headers to send (and, for
// Twilio with a JSON body, the URL with its bodySHA256). Shared by test events, the CLI and
// re-signing; each scheme's own sign (schemes/*.ts) does the work.
import type { TSignatureScheme } from "../validation/signatures";
import { getScheme } from "./registry";
import type { SignedParts, SignInput } from "./types";

export type { SignedParts } from "./types";

export interface SignPayloadInput extends Omit<SignInput, "body" | "timestamp"> {
  body: Buffer | string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/** Headers (and URL) that make `body` verify under `scheme` with `secret`. */
export function signPayload(scheme: TSignatureScheme, input: SignPayloadInput): SignedParts {
  return getScheme(scheme).sign({
    ...input,
    body: typeof input.body === "string" ? Buffer.from(input.body, "utf8") : input.body,
    timestamp: input.timestamp ?? Math.floor(Date.now() / 1000),
  });
}
