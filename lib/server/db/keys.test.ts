import assert from "node:assert/strict";
import crypto from "node:crypto";
import { mock, test } from "node:test";
import { hashKey, keyMatches, newManagementKey, newShareToken, newSlug, SHARE_TOKEN_PATTERN, SLUG_PATTERN, uuidv7 } from "./keys";

const ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("slugs are 12 characters from the 32-letter alphabet and pass SLUG_PATTERN", () => {
  const seen = new Set<string>();
  const letters = new Set<string>();
  for (let i = 0; i < 5000; i++) {
    const s = newSlug();
    assert.equal(s.length, 12);
    assert.match(s, /^[a-km-np-z2-9]{12}$/, s);
    assert.match(s, SLUG_PATTERN);
    for (const ch of s) letters.add(ch);
    seen.add(s);
  }
  assert.equal(seen.size, 5000, "60 random bits should not repeat in 5000 draws");
  // Every letter is reachable, and the look-alikes never appear.
  assert.deepEqual([...letters].sort().join(""), [...ALPHABET].sort().join(""));
  for (const bad of ["0", "o", "1", "l"]) assert.ok(!letters.has(bad), bad);
});

test("SLUG_PATTERN refuses what could escape a path segment", () => {
  for (const bad of ["", "ab", "-abc", "ABC123", "abc/def", "abc..", "abc%2f", "a".repeat(65), "abc def"]) {
    assert.equal(SLUG_PATTERN.test(bad), false, bad);
  }
  for (const good of ["abc", "my-endpoint", "a".repeat(64)]) assert.equal(SLUG_PATTERN.test(good), true, good);
});

test("management keys carry the hsk_ prefix and 256 random bits", () => {
  const k = newManagementKey();
  assert.match(k, /^hsk_[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(k.slice(4), "base64url").length, 32);
  assert.notEqual(newManagementKey(), k);
});

test("share tokens carry the hss_ prefix and 256 random bits, and match SHARE_TOKEN_PATTERN", () => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const t = newShareToken();
    assert.match(t, SHARE_TOKEN_PATTERN);
    assert.equal(Buffer.from(t.slice(4), "base64url").length, 32);
    seen.add(t);
  }
  assert.equal(seen.size, 1000);
  // A management key is not shaped like a share token (and the other way round): one is never tried as the other.
  assert.equal(SHARE_TOKEN_PATTERN.test(newManagementKey()), false);
  for (const bad of ["", "hss_", "hss_short", `hss_${"a".repeat(44)}`, `hss_${"a".repeat(42)}/`, `HSS_${"a".repeat(43)}`]) {
    assert.equal(SHARE_TOKEN_PATTERN.test(bad), false, bad);
  }
});

test("a share token is checked against its stored hash in constant time, like a key", () => {
  const token = newShareToken();
  const stored = hashKey(token);
  const spy = mock.method(crypto, "timingSafeEqual");
  try {
    assert.equal(keyMatches(token, stored), true);
    assert.equal(keyMatches(`${token.slice(0, -1)}x`, stored), false);
    assert.equal(spy.mock.callCount(), 2);
    for (const call of spy.mock.calls) for (const side of call.arguments as [Buffer, Buffer]) assert.equal(side.length, 32);
  } finally {
    spy.mock.restore();
  }
});

test("hashKey is hex sha256 of the key's UTF-8 bytes", () => {
  assert.equal(hashKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  assert.equal(
    hashKey("é"),
    crypto
      .createHash("sha256")
      .update(Buffer.from([0xc3, 0xa9]))
      .digest("hex"),
  );
});

test("keyMatches accepts the key whose hash is stored and nothing else", () => {
  const key = newManagementKey();
  const stored = hashKey(key);
  assert.equal(keyMatches(key, stored), true);
  assert.equal(keyMatches(newManagementKey(), stored), false);
  assert.equal(keyMatches(key.slice(0, -1), stored), false);
  assert.equal(keyMatches(`${key} `, stored), false);
  assert.equal(keyMatches("", stored), false);
  // A stored value that is not a sha256 hex digest never matches (and does not throw).
  assert.equal(keyMatches(key, ""), false);
  assert.equal(keyMatches(key, stored.slice(0, 32)), false);
  assert.equal(keyMatches(key, "zz".repeat(32)), false);
  assert.equal(keyMatches(key, key), false);
});

test("keyMatches compares in constant time: fixed-length digests through crypto.timingSafeEqual, right key or wrong", () => {
  const key = newManagementKey();
  const stored = hashKey(key);
  const spy = mock.method(crypto, "timingSafeEqual");
  try {
    // A wrong key of any length, one differing in the first or the last character, and the right key.
    const tries = [key, `x${key.slice(1)}`, `${key.slice(0, -1)}x`, "hsk_short", "a".repeat(4096)];
    for (const k of tries) keyMatches(k, stored);
    assert.equal(spy.mock.callCount(), tries.length, "every comparison goes through timingSafeEqual");
    for (const call of spy.mock.calls) {
      const [a, b] = call.arguments as [Buffer, Buffer];
      // Both sides are 32-byte sha256 digests: the time taken cannot depend on the presented key's length or prefix.
      assert.equal(a.length, 32);
      assert.equal(b.length, 32);
    }
  } finally {
    spy.mock.restore();
  }
});

test("uuidv7 has version 7, the RFC 9562 variant and the timestamp in its first 48 bits", () => {
  const now = Date.parse("2026-11-28T17:42:02.123Z");
  const id = uuidv7(now);
  assert.match(id, UUID_V7);
  assert.equal(parseInt(id.replace(/-/g, "").slice(0, 12), 16), now);
  assert.match(uuidv7(), UUID_V7);
  const t = parseInt(uuidv7().replace(/-/g, "").slice(0, 12), 16);
  assert.ok(Math.abs(t - Date.now()) < 1000);
});

test("uuidv7 ids sort by creation millisecond and do not repeat", () => {
  const base = Date.parse("2030-01-01T00:00:00Z");
  const ids: string[] = [];
  for (let i = 0; i < 2000; i++) ids.push(uuidv7(base + i));
  assert.deepEqual([...ids].sort(), ids);
  const same = new Set(Array.from({ length: 5000 }, () => uuidv7(base)));
  assert.equal(same.size, 5000);
  // Timestamps past 2^32 ms and near the 48-bit limit still encode exactly.
  assert.equal(
    parseInt(
      uuidv7(2 ** 47)
        .replace(/-/g, "")
        .slice(0, 12),
      16,
    ),
    2 ** 47,
  );
});
