// Realistic sample events per provider (each scheme's testEvents, data in sample-events/*.ts):
// the body the provider sends, formatted as it formats it, and its non-signature headers.
// buildSignedTestEvent adds the signature for a secret.
import { TEST_EVENTS, type TSignatureScheme, type TTestEventProvider } from "../validation/signatures";
import { getScheme } from "./registry";
import { signPayload } from "./sign";

export interface SampleEvent {
  provider: TTestEventProvider;
  event: string;
  scheme: TSignatureScheme;
  method: "POST";
  contentType: string;
  body: string;
  /** The provider's usual headers, Content-Type first; signature headers are added when signing. */
  headers: [string, string][];
}

export interface SignedTestEvent extends SampleEvent {
  url: string;
  /** All headers to send, signature included. */
  headers: [string, string][];
  timestamp: number;
}

export class UnknownEventError extends Error {
  override name = "UnknownEventError";
}

/** A fresh sample event (new ids each time); `event` defaults to the provider's first. */
export function buildSampleEvent(provider: TTestEventProvider, event?: string, now = new Date()): SampleEvent {
  const name = event ?? TEST_EVENTS[provider][0]!;
  const build = getScheme(provider).testEvents?.events[name];
  if (!build) throw new UnknownEventError(`Unknown ${provider} event "${name}"; one of: ${TEST_EVENTS[provider].join(", ")}`);
  const seconds = Math.floor(now.getTime() / 1000);
  const { body, headers, contentType } = build({ now: seconds, iso: new Date(seconds * 1000).toISOString() });
  return {
    provider,
    event: name,
    // A provider is the scheme it signs with.
    scheme: provider,
    method: "POST",
    contentType,
    body,
    headers: [["Content-Type", contentType], ...headers],
  };
}

/** A sample event signed with `secret` for delivery to `url` (Twilio signs the URL). */
export function buildSignedTestEvent(
  provider: TTestEventProvider,
  opts: { event?: string; secret: string; url: string; now?: Date; headerPrefix?: "webhook" | "svix" },
): SignedTestEvent {
  const now = opts.now ?? new Date();
  const sample = buildSampleEvent(provider, opts.event, now);
  const timestamp = Math.floor(now.getTime() / 1000);
  const signed = signPayload(sample.scheme, {
    secret: opts.secret,
    body: sample.body,
    timestamp,
    url: opts.url,
    method: sample.method,
    contentType: sample.contentType,
    headerPrefix: opts.headerPrefix,
  });
  return { ...sample, url: signed.url ?? opts.url, headers: [...sample.headers, ...signed.headers], timestamp };
}
