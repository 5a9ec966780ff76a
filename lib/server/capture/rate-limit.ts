// Token buckets for the capture path: one per endpoint and one per client address, so a single
// sender flooding one endpoint is answered 429 cheaply (no database work) while other endpoints
// and other senders keep their latency. Pure: time comes in as an argument, no timers.
import "server-only";
import { clientGroup } from "@/lib/server/http/client-group";

export interface BucketSettings {
  /** Tokens added per second; 0 turns the limit off. */
  perSecond: number;
  /** Most tokens a bucket holds: the burst a sender may send at once after being quiet. */
  burst: number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  /** ms timestamp of the last refill. */
  at: number;
}

/** Most buckets kept at once; past it the least recently used ones are dropped (forgetting a debt). */
export const DEFAULT_MAX_BUCKETS = 100_000;

/**
 * A set of token buckets keyed by string. Memory stays bounded: a bucket that has refilled to
 * its burst is the same as no bucket and is dropped by sweep(), and at most `maxBuckets` are kept
 * (least recently used first out).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private takesSinceSweep = 0;

  constructor(
    readonly settings: BucketSettings,
    private readonly maxBuckets = DEFAULT_MAX_BUCKETS,
  ) {
    if (!(settings.perSecond >= 0) || !(settings.burst >= 1)) throw new Error("perSecond must be >= 0 and burst >= 1");
  }

  get enabled(): boolean {
    return this.settings.perSecond > 0;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one token for `key` at time `now` (ms), or says how many whole seconds until one is there. */
  take(key: string, now: number): TakeResult {
    if (!this.enabled) return { ok: true };
    if (++this.takesSinceSweep >= 10_000) this.sweep(now);
    const { perSecond, burst } = this.settings;
    let b = this.buckets.get(key);
    if (b) {
      b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond);
      b.at = now;
      // Re-inserted so Map order is least recently used first.
      this.buckets.delete(key);
    } else {
      b = { tokens: burst, at: now };
    }
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);

    // The epsilon absorbs float rounding: waiting exactly Retry-After seconds must be enough.
    if (b.tokens >= 1 - 1e-9) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / perSecond)) };
  }

  /** Drops buckets that have refilled to their burst: they hold no information. */
  sweep(now: number): void {
    this.takesSinceSweep = 0;
    const { perSecond, burst } = this.settings;
    for (const [key, b] of this.buckets) {
      if (b.tokens + (Math.max(0, now - b.at) / 1000) * perSecond >= burst) this.buckets.delete(key);
    }
  }
}

export interface CaptureRateLimitSettings {
  endpoint: BucketSettings;
  client: BucketSettings;
}

export type RateLimitVerdict = { ok: true } | { ok: false; scope: "client" | "endpoint"; retryAfterSeconds: number };

/** The two limits the capture path applies: per client address (before any lookup) and per endpoint. */
export class CaptureRateLimiter {
  readonly byEndpoint: TokenBuckets;
  readonly byClient: TokenBuckets;

  constructor(settings: CaptureRateLimitSettings, maxBuckets = DEFAULT_MAX_BUCKETS) {
    this.byEndpoint = new TokenBuckets(settings.endpoint, maxBuckets);
    this.byClient = new TokenBuckets(settings.client, maxBuckets);
  }

  /** Checked first, before the endpoint lookup, so a flood of unknown slugs costs no queries. IPv6 senders count per /64. */
  takeClient(address: string, now = Date.now()): RateLimitVerdict {
    const r = this.byClient.take(clientGroup(address), now);
    return r.ok ? r : { ok: false, scope: "client", retryAfterSeconds: r.retryAfterSeconds };
  }

  takeEndpoint(endpointId: string, now = Date.now()): RateLimitVerdict {
    const r = this.byEndpoint.take(endpointId, now);
    return r.ok ? r : { ok: false, scope: "endpoint", retryAfterSeconds: r.retryAfterSeconds };
  }
}
