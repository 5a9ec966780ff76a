import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import {
  decryptSecret,
  encryptSecret,
  keyId,
  loadOrCreateKeyFile,
  parseSecretsKey,
  secretHint,
  SecretsKeyError,
  type SecretsKey,
} from "./secret-box";

const mk = (key = crypto.randomBytes(32)): SecretsKey => ({ key, id: keyId(key), source: "env", file: null, generated: false });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hookscope-secrets-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("encryptSecret / decryptSecret", () => {
  const k = mk();
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  test("round-trips, and the ciphertext holds no form of the secret", () => {
    const blob = encryptSecret(secret, "row-1", k);
    assert.equal(decryptSecret(blob, "row-1", k), secret);
    for (const form of [
      secret,
      secret.slice(6),
      Buffer.from(secret).toString("base64"),
      Buffer.from(secret).toString("base64url"),
      Buffer.from(secret).toString("hex"),
    ]) {
      assert.ok(!blob.includes(form), form);
    }
    assert.notEqual(encryptSecret(secret, "row-1", k), blob, "a fresh IV each time");
  });

  test("another key fails with a clear error naming both key ids", () => {
    const blob = encryptSecret(secret, "row-1", k);
    const other = mk();
    assert.throws(
      () => decryptSecret(blob, "row-1", other),
      (e: unknown) => e instanceof SecretsKeyError && e.message.includes(k.id) && e.message.includes(other.id),
    );
  });

  test("a tampered ciphertext, or one moved to another row, fails its integrity check", () => {
    const blob = encryptSecret(secret, "row-1", k);
    const parts = blob.split(".");
    const ct = Buffer.from(parts[3]!, "base64url");
    ct[0]! ^= 1;
    parts[3] = ct.toString("base64url");
    assert.throws(() => decryptSecret(parts.join("."), "row-1", k), /integrity check/);
    assert.throws(() => decryptSecret(blob, "row-2", k), /integrity check/);
    assert.throws(() => decryptSecret("garbage", "row-1", k), /format/);
  });
});

describe("keys", () => {
  test("SECRETS_KEY: hex and base64 accepted, anything else refused", () => {
    const raw = crypto.randomBytes(32);
    assert.deepEqual(parseSecretsKey(raw.toString("hex")), raw);
    assert.deepEqual(parseSecretsKey(raw.toString("base64")), raw);
    assert.deepEqual(parseSecretsKey(raw.toString("base64url")), raw);
    assert.deepEqual(parseSecretsKey(` ${raw.toString("hex")}\n`), raw);
    for (const bad of ["", "short", "0".repeat(63), crypto.randomBytes(16).toString("base64"), crypto.randomBytes(31).toString("hex")]) {
      assert.throws(() => parseSecretsKey(bad), SecretsKeyError, bad);
    }
  });

  test("the key file is generated once, mode 0600, and read back after", () => {
    const dir = path.join(tmp, "data");
    const first = loadOrCreateKeyFile(dir);
    assert.equal(first.generated, true);
    assert.equal(fs.statSync(first.file).mode & 0o777, 0o600);
    // DATA_DIR keeps the default mode: the embedded PostgreSQL (another user under root) must enter it.
    assert.equal(fs.statSync(dir).mode & 0o777, 0o777 & ~process.umask());
    const second = loadOrCreateKeyFile(dir);
    assert.equal(second.generated, false);
    assert.deepEqual(second.key, first.key);
    assert.deepEqual(fs.readdirSync(dir), ["secrets.key"], "no temporary files left");
  });

  test("a damaged key file is refused, not replaced", () => {
    const dir = path.join(tmp, "damaged");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "secrets.key"), "nope");
    assert.throws(() => loadOrCreateKeyFile(dir), /does not hold a 32-byte key/);
    assert.equal(fs.readFileSync(path.join(dir, "secrets.key"), "utf8"), "nope");
  });
});

describe("secretHint", () => {
  test("prefix and last four for long secrets, less for short ones", () => {
    assert.equal(secretHint("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa3f9a"), "whsec_…3f9a");
    assert.equal(secretHint("It's a Secret to Everybody"), "…body");
    assert.equal(secretHint("abcdefghijk"), "…jk");
    assert.equal(secretHint("short"), "…");
    assert.equal(secretHint("whsec_abc"), "…", "a prefix with too little after it is not shown");
  });
});
