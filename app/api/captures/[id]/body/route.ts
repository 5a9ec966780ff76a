// GET /api/captures/:id/body - the exact body bytes, always as a download (never rendered)
import { getCaptureBodyById } from "@/lib/db/captures";
import { AppError } from "@/lib/http/app-error";
import { requireCaptureAccess } from "@/lib/http/auth";
import { handle } from "@/lib/http/respond";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  const endpoint = await requireCaptureAccess(req, id);
  const found = await getCaptureBodyById(id);
  if (!found) throw new AppError("NOT_FOUND", "No such capture.");
  return new Response(new Uint8Array(found.body), {
    headers: {
      // Captured bytes are attacker-controlled: the original type is kept for tools like curl,
      // while attachment + nosniff + a sandbox CSP keep browsers from rendering them.
      "Content-Type": found.contentType ?? "application/octet-stream",
      "Content-Disposition": `attachment; filename="${endpoint.slug}-${found.seq}.bin"`,
      "Content-Length": String(found.body.length),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "no-store",
    },
  });
});
