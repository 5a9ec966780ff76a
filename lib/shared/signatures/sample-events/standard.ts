// Standard Webhooks sample events: A Standard Webhooks sender (Svix and others): compact JSON events. Signature headers are added when signing.
import type { SampleBuilder } from "../types";
import { rid, json } from "./random";

const STANDARD_HEADERS = (): [string, string][] => [["User-Agent", "Standard-Webhooks-Sender/1.0 (Hookscope test event)"]];

export const standardSamples: Record<string, SampleBuilder> = {
  "invoice.paid": (ctx) => ({
    contentType: "application/json",
    headers: STANDARD_HEADERS(),
    body: json({
      type: "invoice.paid",
      timestamp: ctx.iso,
      data: { id: rid("inv_", 16), customer_id: rid("cust_", 16), amount: 1500, currency: "USD", paid_at: ctx.iso },
    }),
  }),
  "user.created": (ctx) => ({
    contentType: "application/json",
    headers: STANDARD_HEADERS(),
    body: json({
      type: "user.created",
      timestamp: ctx.iso,
      data: { id: rid("user_", 16), email: "jenny.rosen@example.com", name: "Jenny Rosen", created_at: ctx.iso },
    }),
  }),
};
