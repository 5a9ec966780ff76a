// GET /api/s/:token - what a share link opens: one capture or a whole endpoint (its name, whether
// secrets are shown, when the link expires). No management key: the token is the credential.
// POST/PUT/PATCH/DELETE - refused (405): share links are read-only.
import { readOnlyShareHandler, requireShareAccess } from "@/lib/server/http/share-access";
import { handle, json } from "@/lib/server/http/respond";
import { ZSharedView } from "@/lib/shared/validation/shares";

interface Ctx {
  params: Promise<{ token: string }>;
}

export const GET = handle(async (_req: Request, { params }: Ctx) => {
  const { link, endpoint } = await requireShareAccess((await params).token);
  return json(
    ZSharedView.parse({
      kind: link.captureId ? "capture" : "endpoint",
      endpoint: { name: endpoint.name, captureCount: link.captureId ? 1 : endpoint.captureCount },
      captureId: link.captureId,
      includeSecrets: link.includeSecrets,
      createdAt: link.createdAt.toISOString(),
      expiresAt: link.expiresAt?.toISOString() ?? null,
    }),
    { headers: { "X-Robots-Tag": "noindex" } },
  );
});

const refuse = readOnlyShareHandler();
export const POST = refuse;
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
