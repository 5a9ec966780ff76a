// PATCH  /api/endpoints/:id/secrets/:secretId - change a secret's label, scheme or options (not the secret)
// DELETE /api/endpoints/:id/secrets/:secretId - remove a signing secret
import { deleteSigningSecret, updateSigningSecret } from "@/lib/server/db/signing-secrets";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, noContent, parseJson } from "@/lib/server/http/respond";
import { ZSigningSecret, ZUpdateSigningSecretRequest } from "@/lib/shared/validation/signatures";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string; secretId: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function target(req: Request, ctx: Ctx): Promise<{ endpointId: string; secretId: string }> {
  const { id, secretId } = await ctx.params;
  const endpoint = await requireEndpointAccess(req, id);
  if (!UUID.test(secretId)) throw new AppError("NOT_FOUND", "No such signing secret.");
  return { endpointId: endpoint.id, secretId: secretId.toLowerCase() };
}

export const PATCH = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, secretId } = await target(req, ctx);
  const input = await parseJson(req, ZUpdateSigningSecretRequest);
  return json(ZSigningSecret.parse(await updateSigningSecret(endpointId, secretId, input)));
});

export const DELETE = handle(async (req: Request, ctx: Ctx) => {
  const { endpointId, secretId } = await target(req, ctx);
  await deleteSigningSecret(endpointId, secretId);
  return noContent();
});

export const { GET, HEAD, OPTIONS, POST, PUT } = otherMethods(["PATCH", "DELETE"]);
