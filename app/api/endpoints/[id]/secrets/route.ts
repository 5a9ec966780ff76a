// GET  /api/endpoints/:id/secrets - the endpoint's signing secrets (label, scheme, options, hint; never the secret)
// POST /api/endpoints/:id/secrets - add a signing secret (stored encrypted; only its hint comes back)
import { createSigningSecret, listSigningSecrets } from "@/lib/server/db/signing-secrets";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { ZCreateSigningSecretRequest, ZSigningSecret, ZSigningSecretList } from "@/lib/shared/validation/signatures";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  return json(ZSigningSecretList.parse({ items: await listSigningSecrets(endpoint.id) }));
});

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const input = await parseJson(req, ZCreateSigningSecretRequest);
  return json(ZSigningSecret.parse(await createSigningSecret(endpoint.id, input)), { status: 201 });
});

export const { OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
