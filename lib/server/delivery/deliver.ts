// One delivery: re-sign when asked, send through sendOutgoing (the SSRF guard), and turn what
// happened into a delivery row: what was sent, what came back (capped), timing, and a worded
// error for anything but a 2xx. Used by resend (once) and the forward worker (per attempt).
import "server-only";
import type { NewDelivery } from "@/lib/server/db/deliveries";
import { recordDelivery } from "@/lib/server/observability/delivery";
import { resignRequest, ResignError } from "@/lib/shared/signatures/resign";
import { SecretFormatError } from "@/lib/shared/signatures/types";
import type { TDeliveryKind } from "@/lib/shared/validation/deliveries";
import type { TSchemeOptions, TSecretScheme } from "@/lib/shared/validation/signatures";
import { sendOutgoing, withDefaultUserAgent, type OutgoingResult } from "@/lib/server/delivery/outgoing";

/** Response bytes kept per delivery; the rest is counted, not stored. */
export const MAX_DELIVERY_RESPONSE_BYTES = 256 * 1024;

export interface ResignWith {
  scheme: TSecretScheme;
  secret: string;
  options?: TSchemeOptions;
}

export interface DeliveryInput {
  captureId: string;
  /** For metrics and logs. */
  endpointId: string;
  ruleId: string | null;
  kind: TDeliveryKind;
  attempt: number;
  method: string;
  url: string;
  headers: [string, string][];
  body: Buffer;
  /** The body is the capture's, byte for byte: the row then stores no copy of it. */
  bodySameAsCapture: boolean;
  followRedirects: boolean;
  resign: ResignWith | null;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DeliveryAttempt {
  row: NewDelivery;
  /** Worth another try: network failure, timeout, 408, 429 or 5xx. Refusals and 4xx are final. */
  retryable: boolean;
}

const RETRYABLE_ERRORS = new Set(["dns_failed", "connect_failed", "timeout", "request_failed"]);

function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/** Sends one request and describes it as a delivery row (not yet stored: see insertDelivery). */
export async function attemptDelivery(input: DeliveryInput): Promise<DeliveryAttempt> {
  let headers = input.headers;
  let url = input.url;
  let resignedScheme: string | null = null;
  const base = {
    captureId: input.captureId,
    ruleId: input.ruleId,
    kind: input.kind,
    attempt: input.attempt,
    method: input.method,
    requestBody: input.bodySameAsCapture ? null : input.body,
    requestBodySize: input.body.length,
  };
  if (input.resign) {
    try {
      const signed = resignRequest({ method: input.method, url, headers, body: input.body }, input.resign);
      headers = signed.headers;
      url = signed.url;
      resignedScheme = signed.scheme;
    } catch (e) {
      if (!(e instanceof ResignError || e instanceof SecretFormatError)) throw e;
      return {
        retryable: false,
        row: {
          ...base,
          url,
          requestHeaders: headers,
          resignedScheme: null,
          outcome: "failed",
          errorCode: "resign_failed",
          errorMessage: `Not sent: re-signing failed. ${e.message}`,
          durationMs: 0,
        },
      };
    }
  }
  headers = withDefaultUserAgent(headers);
  const result: OutgoingResult = await sendOutgoing({
    method: input.method,
    url,
    headers,
    body: input.body,
    followRedirects: input.followRedirects,
    timeoutMs: input.timeoutMs,
    maxResponseBytes: MAX_DELIVERY_RESPONSE_BYTES,
    signal: input.signal,
  });
  if (input.kind !== "cli")
    recordDelivery({ kind: input.kind, result, url, endpointId: input.endpointId, captureId: input.captureId, attempt: input.attempt });
  const sent = { ...base, url, requestHeaders: headers, resignedScheme, redirects: result.redirects, durationMs: result.durationMs };
  if (!result.ok) {
    return {
      retryable: RETRYABLE_ERRORS.has(result.error.code),
      row: { ...sent, outcome: "failed", errorCode: result.error.code, errorMessage: result.error.message },
    };
  }
  const r = result.response;
  const ok = r.status >= 200 && r.status < 300;
  return {
    retryable: !ok && retryableStatus(r.status),
    row: {
      ...sent,
      outcome: ok ? "succeeded" : "failed",
      responseStatus: r.status,
      responseStatusText: r.statusText,
      responseHeaders: r.headers,
      responseBody: r.body,
      responseBodySize: r.bodySize,
      responseTruncated: r.truncated,
      remoteAddress: r.remoteAddress,
      firstByteMs: result.firstByteMs,
      errorCode: ok ? null : "http_status",
      errorMessage: ok ? null : `The target answered ${r.status}${r.statusText ? ` ${r.statusText}` : ""}.`,
    },
  };
}
