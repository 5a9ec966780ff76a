// GET /api/captures/:id/signature - the signature verdict with its explanation, computed from the exact stored bytes
import { AppError } from "@/lib/shared/errors/app-error";
import { requireCaptureAccess } from "@/lib/server/http/auth";
import { handle, json } from "@/lib/server/http/respond";
import { getCaptureSignatureVerdict } from "@/lib/server/signatures/judge";
import { ZSignatureVerdict } from "@/lib/shared/validation/signatures";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  await requireCaptureAccess(req, id);
  const verdict = await getCaptureSignatureVerdict(id);
  if (!verdict) throw new AppError("NOT_FOUND", "No such capture.");
  return json(ZSignatureVerdict.parse(verdict));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
