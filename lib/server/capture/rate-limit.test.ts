import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { CaptureRateLimiter, TokenBuckets } from "./rate-limit";

describe("TokenBuckets", () => {
  test("a new key gets its whole burst, then is refused with the seconds until the next token", () => {
    const b = new TokenBuckets({ perSecond: 2, burst: 5 });
    for (let i = 0; i < 5; i++) assert.deepEqual(b.take("a", 0), { ok: true }, `token ${i}`);
    assert.deepEqual(b.take("a", 0), { ok: false, retryAfterSeconds: 1 });
    // Half a second at 2/s is one token.
    assert.deepEqual(b.take("a", 500), { ok: true });
    assert.equal(b.take("a", 500).ok, false);
  });

  test("Retry-After rounds up to whole seconds and is at least 1", () => {
    const slow = new TokenBuckets({ perSecond: 0.1, burst: 1 });
    assert.equal(slow.take("k", 0).ok, true);
    assert.deepEqual(slow.take("k", 0), { ok: false, retryAfterSeconds: 10 });
    assert.deepEqual(slow.take("k", 5_000), { ok: false, retryAfterSeconds: 5 });
    const fast = new TokenBuckets({ perSecond: 1000, burst: 1 });
    assert.equal(fast.take("k", 0).ok, true);
    assert.deepEqual(fast.take("k", 0), { ok: false, retryAfterSeconds: 1 });
  });

  test("keys are independent", () => {
    const b = new TokenBuckets({ perSecond: 1, burst: 1 });
    assert.equal(b.take("a", 0).ok, true);
    assert.equal(b.take("a", 0).ok, false);
    assert.equal(b.take("b", 0).ok, true);
  });

  test("refill never exceeds the burst, and a clock going backwards adds nothing", () => {
    const b = new TokenBuckets({ perSecond: 10, burst: 3 });
    assert.equal(b.take("a", 0).ok, true);
    let ok = 0;
    for (let i = 0; i < 10; i++) if (b.take("a", 3_600_000).ok) ok++;
    assert.equal(ok, 3);
    assert.equal(b.take("a", 0).ok, false, "an earlier timestamp refills nothing");
  });

  test("perSecond 0 turns the limit off and keeps no state", () => {
    const b = new TokenBuckets({ perSecond: 0, burst: 1 });
    for (let i = 0; i < 1000; i++) assert.equal(b.take(`k${i}`, 0).ok, true);
    assert.equal(b.size, 0);
    assert.equal(b.enabled, false);
  });

  test("sweep drops buckets that have refilled, keeps those still in debt", () => {
    const b = new TokenBuckets({ perSecond: 1, burst: 2 });
    b.take("quiet", 0);
    b.take("busy", 0);
    b.take("busy", 0);
    b.take("busy", 0);
    b.sweep(1_000); // quiet: 1 + 1 = 2 (full); busy: 0 + 1 = 1
    assert.equal(b.size, 1);
    assert.equal(b.take("busy", 1_000).ok, true);
    assert.equal(b.take("busy", 1_000).ok, false, "the swept-over bucket kept its debt");
  });

  test("memory is bounded: past maxBuckets the least recently used bucket goes", () => {
    const b = new TokenBuckets({ perSecond: 1, burst: 1 }, 100);
    for (let i = 0; i < 10_000; i++) b.take(`ip${i}`, 0);
    assert.equal(b.size, 100);
    // ip9999 was used last and is still limited; ip0 was forgotten and starts over.
    assert.equal(b.take("ip9999", 0).ok, false);
    assert.equal(b.take("ip0", 0).ok, true);
  });

  test("many keys that go quiet are swept away by later traffic alone (no timers)", () => {
    const b = new TokenBuckets({ perSecond: 100, burst: 10 });
    for (let i = 0; i < 5_000; i++) b.take(`old${i}`, 0);
    for (let i = 0; i < 10_000; i++) b.take("live", 60_000 + i);
    assert.ok(b.size <= 2, `size ${b.size}`);
  });

  test("property: over any schedule, granted tokens never exceed burst + rate × elapsed", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 100 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 300 }),
        (perSecond, burst, gaps) => {
          const b = new TokenBuckets({ perSecond, burst });
          let now = 0;
          let granted = 0;
          for (const gap of gaps) {
            now += gap;
            if (b.take("k", now).ok) granted++;
          }
          return granted <= burst + (now / 1000) * perSecond + 1e-6;
        },
      ),
    );
  });

  test("property: a refused caller that waits Retry-After seconds gets a token", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 500, noNaN: true }), fc.integer({ min: 1, max: 20 }), (perSecond, burst) => {
        const b = new TokenBuckets({ perSecond, burst });
        const now = 1_000;
        for (let i = 0; i < burst; i++) assert.equal(b.take("k", now).ok, true);
        const r = b.take("k", now);
        assert.equal(r.ok, false);
        return !r.ok && b.take("k", now + r.retryAfterSeconds * 1000).ok;
      }),
    );
  });
});

describe("CaptureRateLimiter", () => {
  test("client and endpoint limits are counted apart and say which one refused", () => {
    const l = new CaptureRateLimiter({ client: { perSecond: 1, burst: 2 }, endpoint: { perSecond: 1, burst: 1 } });
    assert.deepEqual(l.takeClient("10.0.0.1", 0), { ok: true });
    assert.deepEqual(l.takeEndpoint("e1", 0), { ok: true });
    assert.deepEqual(l.takeEndpoint("e1", 0), { ok: false, scope: "endpoint", retryAfterSeconds: 1 });
    assert.deepEqual(l.takeClient("10.0.0.1", 0), { ok: true });
    assert.deepEqual(l.takeClient("10.0.0.1", 0), { ok: false, scope: "client", retryAfterSeconds: 1 });
    assert.deepEqual(l.takeClient("10.0.0.2", 0), { ok: true });
  });

  test("addresses of one IPv6 /64 share one client bucket", () => {
    const l = new CaptureRateLimiter({ client: { perSecond: 1, burst: 1 }, endpoint: { perSecond: 0, burst: 1 } });
    assert.deepEqual(l.takeClient("2001:db8:1:2::1", 0), { ok: true });
    assert.equal(l.takeClient("2001:db8:1:2::ffff", 0).ok, false);
    assert.deepEqual(l.takeClient("2001:db8:1:3::1", 0), { ok: true });
  });
});
