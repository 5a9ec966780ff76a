// GET /api/s/:token/captures/:captureId/body - the shared capture's exact body bytes, always as a
// download (never rendered). Bodies are not redacted: the sharer shares the request's content.
import { getCaptureBodyById } from "@/lib/db/captures";
import { AppError } from "@/lib/http/app-error";
import { handle } from "@/lib/http/respond";
import { readOnlyShareHandler, requireShareAccess, shareCoversCapture } from "@/lib/http/share-access";

interface Ctx {
  params: Promise<{ token: string; captureId: string }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const GET = handle(async (_req: Request, { params }: Ctx) => {
  const { token, captureId } = await params;
  const access = await requireShareAccess(token);
  const NOT_SHARED = () => new AppError("NOT_FOUND", "This capture is not part of the share (or was deleted).");
  if (!UUID.test(captureId)) throw NOT_SHARED();
  const found = await getCaptureBodyById(captureId);
  if (!found || !shareCoversCapture(access, { id: captureId.toLowerCase(), endpointId: found.endpointId })) throw NOT_SHARED();
  return new Response(new Uint8Array(found.body), {
    headers: {
      // Attacker-controlled bytes: attachment + nosniff + a sandbox CSP keep browsers from rendering them.
      "Content-Type": found.contentType ?? "application/octet-stream",
      "Content-Disposition": `attachment; filename="capture-${found.seq}.bin"`,
      "Content-Length": String(found.body.length),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "no-store",
    },
  });
});

const refuse = readOnlyShareHandler();
export const POST = refuse;
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
