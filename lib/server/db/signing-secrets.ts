// Signing secret data functions. Secrets are encrypted before they reach the database and
// decrypted only for verification and signing; DTOs carry a hint, never the secret. Every
// change bumps endpoints.signing_rev in the same transaction, which marks stored verdicts stale.
import "server-only";
import type { z } from "zod";
import { AppError } from "@/lib/shared/errors/app-error";
import { decryptSecret, encryptSecret, secretHint, SecretsKeyError } from "@/lib/server/secrets/secret-box";
import type { SecretForVerification } from "@/lib/shared/signatures/verify";
import {
  MAX_SECRETS_PER_ENDPOINT,
  ZCreateSigningSecretRequest,
  ZSchemeOptions,
  ZSecretScheme,
  type TSchemeOptions,
  type TSecretScheme,
  type TSigningSecret,
  type TUpdateSigningSecretRequest,
} from "@/lib/shared/validation/signatures";
import { getPrisma } from "./client";
import type { SigningSecret } from "./generated/client";
import { uuidv7 } from "./keys";

/** Binds a ciphertext to its row: moved to another secret or endpoint, it no longer decrypts. */
function aad(endpointId: string, secretId: string): string {
  return `hookscope:signing-secret:${endpointId}:${secretId}`;
}

function optionsOf(row: Pick<SigningSecret, "options">): TSchemeOptions {
  return ZSchemeOptions.safeParse(row.options).data ?? {};
}

function schemeOf(row: Pick<SigningSecret, "scheme">): TSecretScheme {
  return ZSecretScheme.safeParse(row.scheme).data ?? "auto";
}

export function toSigningSecretDto(row: SigningSecret): TSigningSecret {
  return {
    id: row.id,
    endpointId: row.endpointId,
    label: row.label,
    scheme: schemeOf(row),
    options: optionsOf(row),
    hint: row.hint,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const NOT_FOUND = () => new AppError("NOT_FOUND", "No such signing secret.");

export async function listSigningSecrets(endpointId: string): Promise<TSigningSecret[]> {
  const rows = await getPrisma().signingSecret.findMany({ where: { endpointId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(toSigningSecretDto);
}

/** Marks the endpoint's stored verdicts stale (raw SQL: the endpoint's updatedAt is left alone). */
async function bumpSigningRev(tx: Pick<ReturnType<typeof getPrisma>, "$executeRaw">, endpointId: string): Promise<void> {
  await tx.$executeRaw`UPDATE endpoints SET signing_rev = signing_rev + 1 WHERE id = ${endpointId}::uuid`;
}

export async function createSigningSecret(
  endpointId: string,
  input: z.output<typeof ZCreateSigningSecretRequest>,
): Promise<TSigningSecret> {
  const id = uuidv7();
  const secretEnc = encryptSecret(input.secret, aad(endpointId, id));
  const row = await getPrisma().$transaction(async (tx) => {
    // The endpoint row lock orders concurrent creates, so the limit holds.
    await tx.$queryRaw`SELECT id FROM endpoints WHERE id = ${endpointId}::uuid FOR UPDATE`;
    const count = await tx.signingSecret.count({ where: { endpointId } });
    if (count >= MAX_SECRETS_PER_ENDPOINT)
      throw new AppError("CONFLICT", `An endpoint holds at most ${MAX_SECRETS_PER_ENDPOINT} signing secrets.`);
    const created = await tx.signingSecret.create({
      data: { id, endpointId, label: input.label, scheme: input.scheme, options: input.options, secretEnc, hint: secretHint(input.secret) },
    });
    await bumpSigningRev(tx, endpointId);
    return created;
  });
  return toSigningSecretDto(row);
}

export async function updateSigningSecret(
  endpointId: string,
  secretId: string,
  input: TUpdateSigningSecretRequest,
): Promise<TSigningSecret> {
  const row = await getPrisma().$transaction(async (tx) => {
    const found = await tx.signingSecret.findFirst({ where: { id: secretId, endpointId } });
    if (!found) throw NOT_FOUND();
    const scheme = input.scheme ?? schemeOf(found);
    const options = input.options ?? optionsOf(found);
    if (scheme === "generic" && !options.generic) {
      throw new AppError("BAD_REQUEST", "options.generic: a generic HMAC secret needs a rule (header, algorithm, encoding…)");
    }
    const updated = await tx.signingSecret.update({ where: { id: secretId }, data: { label: input.label, scheme, options } });
    await bumpSigningRev(tx, endpointId);
    return updated;
  });
  return toSigningSecretDto(row);
}

export async function deleteSigningSecret(endpointId: string, secretId: string): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const { count } = await tx.signingSecret.deleteMany({ where: { id: secretId, endpointId } });
    if (!count) throw NOT_FOUND();
    await bumpSigningRev(tx, endpointId);
  });
}

/** One secret in clear, for signing a test event with it. */
export async function getSigningSecretForUse(endpointId: string, secretId: string): Promise<SecretForVerification> {
  const row = await getPrisma().signingSecret.findFirst({ where: { id: secretId, endpointId } });
  if (!row) throw NOT_FOUND();
  try {
    return {
      id: row.id,
      label: row.label,
      scheme: schemeOf(row),
      options: optionsOf(row),
      secret: decryptSecret(row.secretEnc, aad(endpointId, row.id)),
    };
  } catch (e) {
    if (e instanceof SecretsKeyError) throw new AppError("CONFLICT", `The secret “${row.label}” cannot be decrypted: ${e.message}`);
    throw e;
  }
}

export interface VerificationSecrets {
  /** The endpoint's signing_rev, read in the same statement as the secrets. */
  rev: number;
  secrets: SecretForVerification[];
  /** Secrets that failed to decrypt (wrong SECRETS_KEY): verdicts are then not stored. */
  undecryptable: { id: string; label: string; error: string }[];
}

interface SecretRow {
  rev: number;
  id: string | null;
  label: string | null;
  scheme: string | null;
  options: unknown;
  secret_enc: string | null;
}

/**
 * The endpoint's secrets in clear with its signing_rev, in one statement so the two agree (a
 * verdict stored under a rev was computed with exactly that rev's secrets). Null: no endpoint.
 */
export async function loadVerificationSecrets(endpointId: string): Promise<VerificationSecrets | null> {
  const rows = await getPrisma().$queryRaw<SecretRow[]>`
    SELECT e.signing_rev AS rev, s.id::text, s.label, s.scheme, s.options, s.secret_enc
      FROM endpoints e LEFT JOIN signing_secrets s ON s.endpoint_id = e.id
     WHERE e.id = ${endpointId}::uuid
     ORDER BY s.created_at, s.id`;
  if (rows.length === 0) return null;
  const out: VerificationSecrets = { rev: Number(rows[0]!.rev), secrets: [], undecryptable: [] };
  for (const r of rows) {
    if (r.id === null) continue;
    try {
      out.secrets.push({
        id: r.id,
        label: r.label,
        scheme: schemeOf({ scheme: r.scheme ?? "auto" }),
        options: optionsOf({ options: r.options as SigningSecret["options"] }),
        secret: decryptSecret(r.secret_enc!, aad(endpointId, r.id)),
      });
    } catch (e) {
      if (!(e instanceof SecretsKeyError)) throw e;
      out.undecryptable.push({ id: r.id, label: r.label ?? "", error: e.message });
    }
  }
  return out;
}

/**
 * The newest secret of `scheme` in clear, for answering that provider's handshake (Zoom's
 * endpoint.url_validation, X's CRC); null when the endpoint has none or it does not decrypt.
 */
export async function handshakeSecret(endpointId: string, scheme: "zoom" | "x"): Promise<string | null> {
  const row = await getPrisma().signingSecret.findFirst({
    where: { endpointId, scheme },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!row) return null;
  try {
    return decryptSecret(row.secretEnc, aad(endpointId, row.id));
  } catch (e) {
    if (e instanceof SecretsKeyError) return null;
    throw e;
  }
}
