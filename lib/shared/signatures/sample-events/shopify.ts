// Shopify sample events: Shopify sends compact JSON with its topic and shop headers. Signature headers are added when signing.
import { nodeCrypto } from "../crypto";
import type { SampleBuilder, SampleContext } from "../types";
import { digits, json } from "./random";

function shopifyHeaders(topic: string, ctx: SampleContext): [string, string][] {
  return [
    ["User-Agent", "Shopify-Captain-Hook"],
    ["X-Shopify-Topic", topic],
    ["X-Shopify-Shop-Domain", "hookscope-test.myshopify.com"],
    ["X-Shopify-API-Version", "2025-07"],
    ["X-Shopify-Webhook-Id", nodeCrypto().randomUUID()],
    ["X-Shopify-Event-Id", nodeCrypto().randomUUID()],
    ["X-Shopify-Triggered-At", ctx.iso],
  ];
}

export const shopifySamples: Record<string, SampleBuilder> = {
  "orders/create": (ctx) => ({
    contentType: "application/json",
    headers: shopifyHeaders("orders/create", ctx),
    body: json({
      id: Number(digits(13)),
      admin_graphql_api_id: `gid://shopify/Order/${digits(13)}`,
      name: `#${digits(4)}`,
      email: "jon@example.com",
      created_at: ctx.iso,
      currency: "USD",
      financial_status: "paid",
      fulfillment_status: null,
      subtotal_price: "199.00",
      total_tax: "0.00",
      total_price: "199.00",
      test: true,
      customer: { id: Number(digits(13)), email: "jon@example.com", first_name: "Jon", last_name: "Doe" },
      line_items: [
        {
          id: Number(digits(13)),
          title: "Aviator sunglasses",
          quantity: 1,
          price: "199.00",
          sku: "SKU2006-001",
          product_id: Number(digits(13)),
        },
      ],
      shipping_address: {
        first_name: "Jon",
        last_name: "Doe",
        address1: "123 Shipping Street",
        city: "Shippington",
        country_code: "US",
        zip: "40003",
      },
    }),
  }),
  "app/uninstalled": (ctx) => ({
    contentType: "application/json",
    headers: shopifyHeaders("app/uninstalled", ctx),
    body: json({
      id: Number(digits(11)),
      name: "Hookscope Test Shop",
      email: "owner@example.com",
      domain: "hookscope-test.myshopify.com",
      myshopify_domain: "hookscope-test.myshopify.com",
      plan_name: "partner_test",
      created_at: ctx.iso,
    }),
  }),
};
