// Encryption at rest for secrets Hookscope must use later in clear (signing secrets): AES-256-GCM
// with a key from SECRETS_KEY or, when unset, one generated once into DATA_DIR/secrets.key
// (mode 0600). Each ciphertext records the id of the key that made it and is bound to its row
// (additional data), so a wrong key or a ciphertext moved to another row fails with a clear error.
import "server-only";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/server/env";

export const KEY_FILE_NAME = "secrets.key";
const VERSION = "v1";

export class SecretsKeyError extends Error {
  override name = "SecretsKeyError";
}

export interface SecretsKey {
  key: Buffer;
  /** Short fingerprint, stored with each ciphertext. */
  id: string;
  source: "env" | "file";
  /** The key file, when the key came from (or was generated into) one. */
  file: string | null;
  generated: boolean;
}

/** 32 bytes from 64 hex characters or base64 / base64url; throws otherwise. */
export function parseSecretsKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, "hex");
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(t)) {
    const b = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (b.length === 32) return b;
  }
  throw new SecretsKeyError("SECRETS_KEY must be 32 bytes written as 64 hex characters or base64 (e.g. `openssl rand -base64 32`).");
}

export function keyId(key: Buffer): string {
  return crypto.createHash("sha256").update("hookscope-secrets-key:").update(key).digest("hex").slice(0, 12);
}

/**
 * Reads DATA_DIR/secrets.key, creating it when missing. Creation writes a temporary file and
 * links it into place, which fails if another process got there first: then that key is used,
 * so instances starting together agree on one key.
 */
export function loadOrCreateKeyFile(dataDir: string): { key: Buffer; file: string; generated: boolean } {
  const file = path.resolve(dataDir, KEY_FILE_NAME);
  const read = () => {
    const text = fs.readFileSync(file, "utf8");
    try {
      return parseSecretsKey(text);
    } catch {
      throw new SecretsKeyError(`${file} does not hold a 32-byte key (64 hex characters). Restore it from a backup, or set SECRETS_KEY.`);
    }
  };
  if (fs.existsSync(file)) return { key: read(), file, generated: false };
  // Default mode for the folder: it is DATA_DIR, which the embedded PostgreSQL (run as another
  // user when Hookscope runs as root) must be able to enter. The key file itself is 0600.
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  const key = crypto.randomBytes(32);
  fs.writeFileSync(tmp, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
    return { key, file, generated: true };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return { key: read(), file, generated: false };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

const g = globalThis as typeof globalThis & { __hookscopeSecretsKey?: SecretsKey };

/** The process's key (cached). Call at start so a bad key, or an unwritable DATA_DIR, fails early. */
export function loadSecretsKey(): SecretsKey {
  if (g.__hookscopeSecretsKey) return g.__hookscopeSecretsKey;
  const e = env();
  let state: SecretsKey;
  if (e.SECRETS_KEY) {
    const key = parseSecretsKey(e.SECRETS_KEY);
    state = { key, id: keyId(key), source: "env", file: null, generated: false };
  } else {
    const f = loadOrCreateKeyFile(e.DATA_DIR);
    state = { key: f.key, id: keyId(f.key), source: "file", file: f.file, generated: f.generated };
  }
  g.__hookscopeSecretsKey = state;
  return state;
}

export function resetSecretsKeyForTests(): void {
  g.__hookscopeSecretsKey = undefined;
}

/** `v1.<key id>.<iv>.<ciphertext>.<tag>` (base64url parts); `aad` binds it to its row. */
export function encryptSecret(plain: string, aad: string, k: SecretsKey = loadSecretsKey()): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", k.key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, k.id, iv.toString("base64url"), ct.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function decryptSecret(blob: string, aad: string, k: SecretsKey = loadSecretsKey()): string {
  const parts = blob.split(".");
  if (parts.length !== 5 || parts[0] !== VERSION)
    throw new SecretsKeyError("The stored secret is not in a format this version of Hookscope reads.");
  const [, id, iv, ct, tag] = parts as [string, string, string, string, string];
  if (id !== k.id) {
    throw new SecretsKeyError(
      `This secret was encrypted with another key (key id ${id}); the current key (${k.source === "env" ? "SECRETS_KEY" : k.file}) has id ${k.id}. ` +
        "Restore the SECRETS_KEY or secrets.key it was saved with, or delete the secret and add it again.",
    );
  }
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", k.key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretsKeyError(
      "The stored secret failed its integrity check (altered, or moved from another row); delete it and add it again.",
    );
  }
}

/**
 * A display hint that identifies a secret without revealing it: a recognised prefix such as
 * `whsec_`, then `…` and the last 4 characters (fewer for short secrets, none for very short).
 */
export function secretHint(secret: string): string {
  const m = /^([a-z]{2,8}_)/i.exec(secret);
  const prefix = m && secret.length >= m[1]!.length + 12 ? m[1]! : "";
  const tailLength = secret.length >= 16 ? 4 : secret.length >= 10 ? 2 : 0;
  return `${prefix}…${tailLength ? secret.slice(-tailLength) : ""}`;
}
