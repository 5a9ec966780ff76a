// GET    /api/captures/:id - one capture: headers in order, the body's first 256 KiB once (text or base64), bodySize,
//   bodyTruncated and bodyUrl (the exact bytes, GET /api/captures/:id/body)
// DELETE /api/captures/:id - delete one capture
import { deleteCaptureById, getCaptureById } from "@/lib/server/db/captures";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireCaptureAccess } from "@/lib/server/http/auth";
import { handle, json, noContent } from "@/lib/server/http/respond";
import { ZCapture } from "@/lib/shared/validation/captures";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  await requireCaptureAccess(req, id);
  const capture = await getCaptureById(id, { deliveries: true });
  if (!capture) throw new AppError("NOT_FOUND", "No such capture.");
  return json(ZCapture.parse(capture));
});

export const DELETE = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  await requireCaptureAccess(req, id);
  await deleteCaptureById(id);
  return noContent();
});

export const { OPTIONS, POST, PUT, PATCH } = otherMethods(["GET", "DELETE"]);
