// GET /api/s/:token/captures/:captureId/body - the shared capture's exact body bytes, always as a
// download (never rendered); ?decode= as on /api/captures/:id/body. Bodies are not redacted: the
// sharer shares the request's content.
// POST/PUT/PATCH/DELETE - refused (405): share links are read-only.
import { getCaptureBodyHead } from "@/lib/server/db/captures";
import { AppError } from "@/lib/shared/errors/app-error";
import { captureBodyResponse } from "@/lib/server/http/body-response";
import { handle, parseQuery } from "@/lib/server/http/respond";
import { readOnlyShareHandler, requireShareAccess, shareCoversCapture } from "@/lib/server/http/share-access";
import { ZCaptureBodyQuery } from "@/lib/shared/validation/captures";

interface Ctx {
  params: Promise<{ token: string; captureId: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { token, captureId } = await params;
  const access = await requireShareAccess(token);
  const { decode } = parseQuery(req, ZCaptureBodyQuery);
  const NOT_SHARED = () => new AppError("NOT_FOUND", "This capture is not part of the share (or was deleted).");
  if (!UUID.test(captureId)) throw NOT_SHARED();
  const found = await getCaptureBodyHead(captureId);
  if (!found || !shareCoversCapture(access, { id: captureId.toLowerCase(), endpointId: found.endpointId })) throw NOT_SHARED();
  // The slug stays out of the file name: it is the capture URL, which a share does not give away.
  return captureBodyResponse(found, `capture-${found.seq}`, decode);
});

const refuse = readOnlyShareHandler();
export const POST = refuse;
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
