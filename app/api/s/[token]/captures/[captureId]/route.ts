// GET /api/s/:token/captures/:captureId - one shared capture in the capture API's shape (body preview; its bodyUrl is
// the token's own body route);
// unless the link includes secrets, secret header values arrive as { redacted: true, length }.
// POST/PUT/PATCH/DELETE - refused (405): no delete, edit or resend through a share link.
import { getSharedCapture, readOnlyShareHandler, requireShareAccess } from "@/lib/server/http/share-access";
import { handle, json } from "@/lib/server/http/respond";
import { ZSharedCapture } from "@/lib/shared/validation/shares";

interface Ctx {
  params: Promise<{ token: string; captureId: string }>;
}

export const GET = handle(async (_req: Request, { params }: Ctx) => {
  const { token, captureId } = await params;
  const access = await requireShareAccess(token);
  return json(ZSharedCapture.parse(await getSharedCapture(access, captureId)));
});

const refuse = readOnlyShareHandler();
export const POST = refuse;
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
