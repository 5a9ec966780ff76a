// POST /api/captures/:id/resend - send the capture (edited or not) to a URL once; returns the recorded delivery
import { getCaptureForSend } from "@/lib/server/db/captures";
import { resendCapture } from "@/lib/server/delivery/resend";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireCaptureAccess } from "@/lib/server/http/auth";
import { handle, json, parseJson } from "@/lib/server/http/respond";
import { ZDelivery, ZResendRequest } from "@/lib/shared/validation/deliveries";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  await requireCaptureAccess(req, id);
  const input = await parseJson(req, ZResendRequest);
  const capture = await getCaptureForSend(id);
  if (!capture) throw new AppError("NOT_FOUND", "No such capture.");
  if (capture.oversize && !input.body)
    throw new AppError("BAD_REQUEST", "This capture's body went over the size limit and was not stored; give the body to send.");
  return json(ZDelivery.parse(await resendCapture(capture, input)), { status: 201 });
});

export const { GET, HEAD, OPTIONS, PUT, PATCH, DELETE } = otherMethods(["POST"]);
