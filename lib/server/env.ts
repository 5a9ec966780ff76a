// Every setting Hookscope reads, parsed once with zod and documented in docs/settings.md.
// Universal code must not import this file: it reads process.env on the server.
import "server-only";
import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0", "yes", "no"]).transform((v) => v === "true" || v === "1" || v === "yes");

export const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  /** Port of the single HTTP listener (capture and dashboard). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to bind. 127.0.0.1 keeps a dev instance private; use 0.0.0.0 in a container. */
  HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * What this process serves. "all": capture URLs and the dashboard (Next.js). "capture": capture
   * URLs, /api/health and /api/metrics only, without loading Next, for the capture replicas of a
   * deployment that routes /h/ apart (docs/deployment.md): about half the memory, a little less CPU.
   */
  SERVER_ROLE: z.enum(["all", "capture"]).default("all"),
  /** External PostgreSQL. When unset, an embedded PostgreSQL is started under DATA_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** Folder for the embedded database and other local state. */
  DATA_DIR: z.string().min(1).default(".data"),
  /** Origin used in capture and dashboard URLs (e.g. https://hooks.example.com). Defaults to http://localhost:PORT. */
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .transform((v) => v.replace(/\/+$/, ""))
    .optional(),
  /**
   * Origin of capture URLs when they live on their own host (e.g. https://in.example.com, with the
   * dashboard on PUBLIC_BASE_URL). Unset: capture URLs use PUBLIC_BASE_URL.
   */
  CAPTURE_BASE_URL: z
    .string()
    .url()
    .transform((v) => v.replace(/\/+$/, ""))
    .optional(),
  /** Largest request body stored, in bytes. Bigger bodies get 413 and a rejection record. */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(512 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  /**
   * Bytes of capture bodies read and not yet committed, across all requests. Past it, bodies still
   * arriving are paused (backpressure: their sockets are not read) rather than refused, so memory
   * stays bounded whatever the upload mix. Sized for a small machine; raise it for throughput on
   * big bodies.
   */
  CAPTURE_BODY_BUDGET_BYTES: z.coerce
    .number()
    .int()
    .min(1024 * 1024)
    .max(16 * 1024 * 1024 * 1024)
    .default(64 * 1024 * 1024),
  /** How many reverse-proxy hops to trust in X-Forwarded-For/-Proto (0 = none). "true" means 1. */
  TRUST_PROXY: z
    .string()
    .default("0")
    .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v)))
    .pipe(z.number().int().min(0).max(10)),
  /**
   * 1: every connection starts with a PROXY protocol header (v1 or v2) from a TCP load balancer
   * (HAProxy's send-proxy-v2), which gives the client's address; connections without one are
   * closed. Only for a port nothing but the balancer can reach (lib/server/http/proxy-protocol.ts).
   */
  PROXY_PROTOCOL: bool.default(false),
  /** Size of the pg pool used by capture and the API. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(200).default(10),
  /** Most rows one group commit writes. */
  CAPTURE_BATCH_MAX: z.coerce.number().int().min(1).max(5000).default(500),
  /**
   * Most body bytes one group commit writes (a bigger single body still goes alone). Each batch's
   * bodies are copied into one bytea parameter and again into the protocol message, so this bounds
   * that transient memory; 8 MiB keeps commits large enough that their overhead does not matter.
   */
  CAPTURE_BATCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(64 * 1024)
    .max(1024 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  /**
   * Seconds a client gets to send all request headers: counted from the connection for its first
   * request (silence included), from the first byte for later ones on a kept-alive connection.
   */
  HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
  /** Seconds a client gets to send a whole request (headers and body). */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /**
   * Open connections one client address may hold; more are answered 503 and closed. Unset: 256,
   * or no cap when TRUST_PROXY > 0 (every connection then comes from the proxy). 0 = no cap.
   */
  MAX_CONNECTIONS_PER_IP: z.coerce.number().int().min(0).max(1_000_000).optional(),
  /** Captures per second one endpoint accepts over time (token bucket); more get 429. 0 = no limit. */
  RATE_LIMIT_ENDPOINT_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(100),
  /** Captures one endpoint accepts at once after a quiet spell (the bucket's size). */
  RATE_LIMIT_ENDPOINT_BURST: z.coerce.number().int().min(1).max(10_000_000).default(500),
  /** Capture requests per second one client address (IPv6: one /64) may send over time; more get 429. 0 = no limit. */
  RATE_LIMIT_IP_PER_SECOND: z.coerce.number().min(0).max(1_000_000).default(200),
  /** Capture requests one client address may send at once after a quiet spell. */
  RATE_LIMIT_IP_BURST: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  /** Instance ceiling on an endpoint's "keep at most N captures" (the endpoint's own setting, default 10,000, is capped by it). */
  RETENTION_MAX_CAPTURES_CEILING: z.coerce.number().int().min(1).max(100_000_000).default(100_000),
  /** Instance ceiling on an endpoint's "drop captures older than N days" (default 30, capped by it). */
  RETENTION_MAX_AGE_DAYS_CEILING: z.coerce.number().int().min(1).max(36_500).default(365),
  /** Seconds between background retention passes (pruning and expiry), in every process; one runs at a time per database. */
  RETENTION_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(86_400).default(60),
  /** Captures deleted per pruning transaction: bounds how long one endpoint's row is held. */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** Delete endpoints nobody used (no capture, no keyed API or dashboard use) for this many days. 0 = never. */
  ENDPOINT_EXPIRE_AFTER_DAYS: z.coerce.number().int().min(0).max(36_500).default(0),
  /**
   * When set, creating an endpoint needs `Authorization: Bearer <this token>` (the home page asks
   * for it): for public instances. 16+ characters.
   */
  CREATE_ENDPOINT_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Log one JSON line per capture (ids, method, size, status, timing; no bodies, no secrets). */
  LOG_CAPTURES: bool.default(false),
  /** Log one JSON line per outgoing send (forward attempt, resend, test event): ids, target origin, outcome, timing. */
  LOG_DELIVERIES: bool.default(false),
  /**
   * Bearer token for GET /api/metrics. Unset: the metrics answer only clients on loopback (the
   * client address after TRUST_PROXY), so a scraper on the same host works and the internet does not.
   */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Milliseconds between `: ping` comments on live (SSE) streams; keeps proxies from closing idle streams. */
  LIVE_HEARTBEAT_MS: z.coerce.number().int().min(50).max(300_000).default(20_000),
  /**
   * Key that encrypts signing secrets at rest (AES-256-GCM): 32 bytes as 64 hex characters or
   * base64. When unset, one is generated into DATA_DIR/secrets.key (mode 0600) on first start;
   * replicas sharing a database must share the key, so set it for them.
   */
  SECRETS_KEY: z.string().min(1).optional(),
  /** Let server-side sends (test events, resend, forward) reach private, loopback and link-local addresses. */
  ALLOW_PRIVATE_TARGETS: bool.default(false),
  /** Attempts per capture and forward rule before it is marked failed (a rule may set its own). */
  FORWARD_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** Delay before the first retry of a forward; doubles each attempt (±20% jitter), capped at an hour. */
  FORWARD_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(10_000),
  /** Seconds a forward attempt may take (connect to last response byte). */
  FORWARD_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(30),
  /** Forward deliveries one process sends at once. 0 turns this process's forward worker off. */
  FORWARD_CONCURRENCY: z.coerce.number().int().min(0).max(256).default(8),
  /** Milliseconds between outbox polls when no notification arrives (a fallback; NOTIFY wakes workers at once). */
  FORWARD_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
  /** How often the schema worker looks for captures to merge into inferred schemas (0: never; lib/server/schema/worker.ts). */
  SCHEMA_POLL_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
  /** An event type's schema from its newest N captures (0: every capture; docs/event-schemas.md). */
  SCHEMA_SAMPLE_LIMIT: z.coerce.number().int().min(0).max(100_000).default(0),
  /** How often the search indexer looks for captures to put in the search indexes (0: never; lib/server/search/indexer.ts). */
  SEARCH_INDEX_POLL_MS: z.coerce.number().int().min(0).max(600_000).default(500),
  /** Past this many captures not yet in the search indexes, indexing no longer yields to capture (docs/search.md). */
  SEARCH_INDEX_MAX_PENDING: z.coerce.number().int().min(0).max(10_000_000).default(10_000),
});

export type TEnv = z.infer<typeof ZEnv>;

let cached: TEnv | undefined;

/** Parsed settings; throws a readable error listing every bad variable. */
export function env(): TEnv {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid settings:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Origin for links shown to users (dashboard URL; capture URLs too unless CAPTURE_BASE_URL is set). */
export function publicBaseUrl(): string {
  const e = env();
  return e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`;
}

/** Origin of capture URLs (`<origin>/h/<slug>`): CAPTURE_BASE_URL, else publicBaseUrl(). */
export function captureBaseUrl(): string {
  return env().CAPTURE_BASE_URL ?? publicBaseUrl();
}

/** For tests that change process.env between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
