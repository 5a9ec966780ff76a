// Stripe sample events: Stripe sends events pretty-printed with two spaces. Signature headers are added when signing.
import { nodeCrypto } from "../crypto";
import type { SampleBuilder, SampleContext } from "../types";
import { rid, digits, upper, json } from "./random";

const STRIPE_HEADERS = (): [string, string][] => [
  ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
  ["Accept", "*/*; q=0.5, application/xml"],
  ["Cache-Control", "no-cache"],
];

function stripeEvent(type: string, object: Record<string, unknown>, ctx: SampleContext): string {
  // Stripe sends events pretty-printed with two spaces.
  return json(
    {
      id: rid("evt_", 24),
      object: "event",
      api_version: "2025-06-30.basil",
      created: ctx.now,
      data: { object },
      livemode: false,
      pending_webhooks: 1,
      request: { id: rid("req_", 14), idempotency_key: nodeCrypto().randomUUID() },
      type,
    },
    2,
  );
}

export const stripeSamples: Record<string, SampleBuilder> = {
  "payment_intent.succeeded": (ctx) => {
    const pi = rid("pi_", 24);
    return {
      contentType: "application/json; charset=utf-8",
      headers: STRIPE_HEADERS(),
      body: stripeEvent(
        "payment_intent.succeeded",
        {
          id: pi,
          object: "payment_intent",
          amount: 2000,
          amount_capturable: 0,
          amount_received: 2000,
          capture_method: "automatic_async",
          client_secret: `${pi}_secret_${rid("", 25)}`,
          confirmation_method: "automatic",
          created: ctx.now - 2,
          currency: "usd",
          customer: rid("cus_", 14),
          description: "Hookscope test payment",
          latest_charge: rid("ch_", 24),
          livemode: false,
          metadata: { order_id: digits(6) },
          payment_method: rid("pm_", 24),
          payment_method_types: ["card"],
          receipt_email: "jenny.rosen@example.com",
          status: "succeeded",
        },
        ctx,
      ),
    };
  },
  "checkout.session.completed": (ctx) => ({
    contentType: "application/json; charset=utf-8",
    headers: STRIPE_HEADERS(),
    body: stripeEvent(
      "checkout.session.completed",
      {
        id: rid("cs_test_", 58),
        object: "checkout.session",
        amount_subtotal: 4900,
        amount_total: 4900,
        created: ctx.now - 60,
        currency: "usd",
        customer: rid("cus_", 14),
        customer_details: { email: "jenny.rosen@example.com", name: "Jenny Rosen" },
        livemode: false,
        mode: "payment",
        payment_intent: rid("pi_", 24),
        payment_status: "paid",
        status: "complete",
        success_url: "https://example.com/success",
      },
      ctx,
    ),
  }),
  "invoice.paid": (ctx) => ({
    contentType: "application/json; charset=utf-8",
    headers: STRIPE_HEADERS(),
    body: stripeEvent(
      "invoice.paid",
      {
        id: rid("in_", 24),
        object: "invoice",
        amount_due: 1500,
        amount_paid: 1500,
        amount_remaining: 0,
        billing_reason: "subscription_cycle",
        created: ctx.now - 3600,
        currency: "usd",
        customer: rid("cus_", 14),
        customer_email: "jenny.rosen@example.com",
        livemode: false,
        number: `${upper("", 8)}-0001`,
        paid: true,
        status: "paid",
        subscription: rid("sub_", 24),
      },
      ctx,
    ),
  }),
};
