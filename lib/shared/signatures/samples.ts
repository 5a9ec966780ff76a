// Realistic sample events per provider: the body the provider sends (formatted as it formats
// it: Stripe pretty-prints, GitHub and Shopify send compact JSON, Twilio a form) and its
// non-signature headers. buildSignedTestEvent adds the signature for a secret.
import crypto from "node:crypto";
import { TEST_EVENTS, type TSignatureScheme, type TTestEventProvider } from "../validation/signatures";
import { newMessageId, signPayload } from "./sign";

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

const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function rid(prefix: string, length = 24, alphabet = ALNUM): string {
  const bytes = crypto.randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}
const hex = (n: number) =>
  crypto
    .randomBytes(Math.ceil(n / 2))
    .toString("hex")
    .slice(0, n);
const digits = (n: number) => rid("", n, "0123456789").replace(/^0/, "1");
const upper = (prefix: string, n: number) => rid(prefix, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

interface Ctx {
  now: number;
  iso: string;
}

type Builder = (ctx: Ctx) => { body: string; headers: [string, string][]; contentType: string };

const json = (v: unknown, indent?: number) => JSON.stringify(v, null, indent);

// --- Stripe --------------------------------------------------------------------------------

const STRIPE_HEADERS = (): [string, string][] => [
  ["User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"],
  ["Accept", "*/*; q=0.5, application/xml"],
  ["Cache-Control", "no-cache"],
];

function stripeEvent(type: string, object: Record<string, unknown>, ctx: Ctx): string {
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
      request: { id: rid("req_", 14), idempotency_key: crypto.randomUUID() },
      type,
    },
    2,
  );
}

const stripeBuilders: Record<string, Builder> = {
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

// --- GitHub --------------------------------------------------------------------------------

function githubHeaders(event: string): [string, string][] {
  return [
    ["User-Agent", `GitHub-Hookshot/${hex(7)}`],
    ["X-GitHub-Delivery", crypto.randomUUID()],
    ["X-GitHub-Event", event],
    ["X-GitHub-Hook-ID", digits(9)],
    ["X-GitHub-Hook-Installation-Target-ID", digits(9)],
    ["X-GitHub-Hook-Installation-Target-Type", "repository"],
  ];
}

const GH_USER = {
  login: "octocat",
  id: 583231,
  node_id: "MDQ6VXNlcjU4MzIzMQ==",
  type: "User",
  site_admin: false,
  html_url: "https://github.com/octocat",
};

function ghRepo(ctx: Ctx) {
  return {
    id: 1296269,
    node_id: "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
    name: "Hello-World",
    full_name: "octocat/Hello-World",
    private: false,
    owner: GH_USER,
    html_url: "https://github.com/octocat/Hello-World",
    description: "My first repository on GitHub!",
    fork: false,
    url: "https://api.github.com/repos/octocat/Hello-World",
    created_at: 1296068472,
    updated_at: ctx.iso,
    pushed_at: ctx.now,
    default_branch: "main",
  };
}

const githubBuilders: Record<string, Builder> = {
  push: (ctx) => {
    const before = hex(40);
    const after = hex(40);
    const commit = {
      id: after,
      tree_id: hex(40),
      distinct: true,
      message: "Fix the webhook signature check",
      timestamp: ctx.iso,
      url: `https://github.com/octocat/Hello-World/commit/${after}`,
      author: { name: "The Octocat", email: "octocat@github.com", username: "octocat" },
      committer: { name: "GitHub", email: "noreply@github.com", username: "web-flow" },
      added: [],
      removed: [],
      modified: ["src/webhooks.ts"],
    };
    return {
      contentType: "application/json",
      headers: githubHeaders("push"),
      body: json({
        ref: "refs/heads/main",
        before,
        after,
        repository: ghRepo(ctx),
        pusher: { name: "octocat", email: "octocat@github.com" },
        sender: GH_USER,
        created: false,
        deleted: false,
        forced: false,
        base_ref: null,
        compare: `https://github.com/octocat/Hello-World/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
        commits: [commit],
        head_commit: commit,
      }),
    };
  },
  ping: (ctx) => ({
    contentType: "application/json",
    headers: githubHeaders("ping"),
    body: json({
      zen: "Keep it logically awesome.",
      hook_id: Number(digits(9)),
      hook: {
        type: "Repository",
        active: true,
        events: ["push", "pull_request"],
        config: { content_type: "json", insecure_ssl: "0", url: "https://example.com/webhook" },
      },
      repository: ghRepo(ctx),
      sender: GH_USER,
    }),
  }),
  pull_request: (ctx) => ({
    contentType: "application/json",
    headers: githubHeaders("pull_request"),
    body: json({
      action: "opened",
      number: 42,
      pull_request: {
        id: Number(digits(10)),
        number: 42,
        state: "open",
        title: "Verify webhook signatures",
        user: GH_USER,
        body: "Checks X-Hub-Signature-256 before handling an event.",
        created_at: ctx.iso,
        updated_at: ctx.iso,
        head: { ref: "verify-signatures", sha: hex(40) },
        base: { ref: "main", sha: hex(40) },
        draft: false,
        html_url: "https://github.com/octocat/Hello-World/pull/42",
      },
      repository: ghRepo(ctx),
      sender: GH_USER,
    }),
  }),
};

// --- Shopify -------------------------------------------------------------------------------

function shopifyHeaders(topic: string, ctx: Ctx): [string, string][] {
  return [
    ["User-Agent", "Shopify-Captain-Hook"],
    ["X-Shopify-Topic", topic],
    ["X-Shopify-Shop-Domain", "hookscope-test.myshopify.com"],
    ["X-Shopify-API-Version", "2025-07"],
    ["X-Shopify-Webhook-Id", crypto.randomUUID()],
    ["X-Shopify-Event-Id", crypto.randomUUID()],
    ["X-Shopify-Triggered-At", ctx.iso],
  ];
}

const shopifyBuilders: Record<string, Builder> = {
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

// --- Slack ---------------------------------------------------------------------------------

const SLACK_HEADERS = (): [string, string][] => [["User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)"]];

const slackBuilders: Record<string, Builder> = {
  event_callback: (ctx) => {
    const team = upper("T0", 9);
    const ts = `${ctx.now}.${digits(6)}`;
    return {
      contentType: "application/json",
      headers: SLACK_HEADERS(),
      body: json({
        token: rid("", 24),
        team_id: team,
        context_team_id: team,
        api_app_id: upper("A0", 9),
        event: { type: "app_mention", user: upper("U0", 9), text: "<@U0HOOKSCOPE> ping", ts, channel: upper("C0", 9), event_ts: ts },
        type: "event_callback",
        event_id: upper("Ev0", 9),
        event_time: ctx.now,
        authorizations: [{ enterprise_id: null, team_id: team, user_id: upper("U0", 9), is_bot: true, is_enterprise_install: false }],
        is_ext_shared_channel: false,
      }),
    };
  },
  url_verification: () => ({
    contentType: "application/json",
    headers: SLACK_HEADERS(),
    body: json({ token: rid("", 24), challenge: rid("", 48), type: "url_verification" }),
  }),
};

// --- Standard Webhooks ---------------------------------------------------------------------

const STANDARD_HEADERS = (): [string, string][] => [["User-Agent", "Standard-Webhooks-Sender/1.0 (Hookscope test event)"]];

const standardBuilders: Record<string, Builder> = {
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

// --- Twilio --------------------------------------------------------------------------------

const twilioBuilders: Record<string, Builder> = {
  "message.received": () => {
    const sid = `SM${hex(32)}`;
    const params = new URLSearchParams([
      ["ToCountry", "US"],
      ["ToState", "CA"],
      ["SmsMessageSid", sid],
      ["NumMedia", "0"],
      ["ToCity", "SAN FRANCISCO"],
      ["FromZip", "94105"],
      ["SmsSid", sid],
      ["FromState", "CA"],
      ["SmsStatus", "received"],
      ["FromCity", "SAN FRANCISCO"],
      ["Body", "Hello from Hookscope"],
      ["FromCountry", "US"],
      ["To", "+15005550006"],
      ["ToZip", "94105"],
      ["NumSegments", "1"],
      ["MessageSid", sid],
      ["AccountSid", `AC${hex(32)}`],
      ["From", "+14155550100"],
      ["ApiVersion", "2010-04-01"],
    ]);
    return {
      contentType: "application/x-www-form-urlencoded",
      headers: [
        ["User-Agent", "TwilioProxy/1.1"],
        ["I-Twilio-Idempotency-Token", crypto.randomUUID()],
        ["X-Home-Region", "us1"],
      ],
      body: params.toString(),
    };
  },
};

const BUILDERS: Record<TTestEventProvider, Record<string, Builder>> = {
  stripe: stripeBuilders,
  github: githubBuilders,
  shopify: shopifyBuilders,
  slack: slackBuilders,
  standard: standardBuilders,
  twilio: twilioBuilders,
};

export const PROVIDER_SCHEME: Record<TTestEventProvider, TSignatureScheme> = {
  stripe: "stripe",
  github: "github",
  shopify: "shopify",
  slack: "slack",
  standard: "standard",
  twilio: "twilio",
};

export class UnknownEventError extends Error {
  override name = "UnknownEventError";
}

/** A fresh sample event (new ids each time); `event` defaults to the provider's first. */
export function buildSampleEvent(provider: TTestEventProvider, event?: string, now = new Date()): SampleEvent {
  const name = event ?? TEST_EVENTS[provider][0]!;
  const build = BUILDERS[provider][name];
  if (!build) throw new UnknownEventError(`Unknown ${provider} event "${name}"; one of: ${TEST_EVENTS[provider].join(", ")}`);
  const seconds = Math.floor(now.getTime() / 1000);
  const { body, headers, contentType } = build({ now: seconds, iso: new Date(seconds * 1000).toISOString() });
  return {
    provider,
    event: name,
    scheme: PROVIDER_SCHEME[provider],
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
    id: provider === "standard" ? newMessageId() : undefined,
    url: opts.url,
    method: sample.method,
    contentType: sample.contentType,
    headerPrefix: opts.headerPrefix,
  });
  return { ...sample, url: signed.url ?? opts.url, headers: [...sample.headers, ...signed.headers], timestamp };
}
