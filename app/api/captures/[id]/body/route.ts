// GET /api/captures/:id/body - the exact body bytes, always as a download (never rendered)
// GET /api/captures/:id/body?decode=br - the body with those Content-Encodings undone (gzip,
//   deflate, br; comma-separated in the order applied), output capped at DECODE_CAP bytes;
//   X-Hookscope-Truncated says whether the cap cut it. Browsers cannot decode brotli themselves.
import { getCaptureBodyHead } from "@/lib/server/db/captures";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireCaptureAccess } from "@/lib/server/http/auth";
import { captureBodyResponse } from "@/lib/server/http/body-response";
import { handle, parseQuery } from "@/lib/server/http/respond";
import { ZCaptureBodyQuery } from "@/lib/shared/validation/captures";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  const endpoint = await requireCaptureAccess(req, id);
  const { decode } = parseQuery(req, ZCaptureBodyQuery);
  const found = await getCaptureBodyHead(id);
  if (!found) throw new AppError("NOT_FOUND", "No such capture.");
  return captureBodyResponse(found, `${endpoint.slug}-${found.seq}`, decode);
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
