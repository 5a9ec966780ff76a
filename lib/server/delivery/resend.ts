// Manual resend of a capture: the user's method, URL, headers and body (each defaulting to the
// capture's own, the body byte for byte), optionally re-signed with a test secret, sent once
// through the SSRF guard and recorded as a delivery whatever happens.
import "server-only";
import type { z } from "zod";
import type { CaptureForSend } from "@/lib/server/db/captures";
import { insertDelivery } from "@/lib/server/db/deliveries";
import { getSigningSecretForUse } from "@/lib/server/db/signing-secrets";
import type { TDelivery, ZResendRequest } from "@/lib/shared/validation/deliveries";
import { attemptDelivery, type ResignWith } from "./deliver";
import { forwardableHeaders } from "@/lib/shared/delivery/forward-request";

export async function resendCapture(capture: CaptureForSend, input: z.output<typeof ZResendRequest>): Promise<TDelivery> {
  let body = capture.body;
  if (input.body && "base64" in input.body) body = Buffer.from(input.body.base64, "base64");
  else if (input.body && "text" in input.body) body = Buffer.from(input.body.text, "utf8");
  let resign: ResignWith | null = null;
  if (input.resign && "secretId" in input.resign) {
    const stored = await getSigningSecretForUse(capture.endpointId, input.resign.secretId);
    resign = { scheme: input.resign.scheme, secret: stored.secret, options: input.resign.options ?? stored.options };
  } else if (input.resign) {
    resign = { scheme: input.resign.scheme, secret: input.resign.secret, options: input.resign.options };
  }
  const { row } = await attemptDelivery({
    captureId: capture.id,
    endpointId: capture.endpointId,
    ruleId: null,
    kind: "resend",
    attempt: 1,
    method: (input.method ?? capture.method).toUpperCase(),
    url: input.url,
    headers: forwardableHeaders(input.headers ?? capture.headers),
    body,
    bodySameAsCapture: body.equals(capture.body),
    followRedirects: input.followRedirects,
    resign,
  });
  return insertDelivery(row);
}
