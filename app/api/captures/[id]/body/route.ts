// GET /api/captures/:id/body - the exact body bytes, always as a download (never rendered)
// GET /api/captures/:id/body?decode=br - the body with those Content-Encodings undone (gzip,
//   deflate, br; comma-separated in the order applied), output capped at DECODE_CAP bytes;
//   X-Hookscope-Truncated says whether the cap cut it. Browsers cannot decode brotli themselves.
import { getCaptureBodyById } from "@/lib/db/captures";
import { DECODE_CAP } from "@/lib/format/decode";
import { AppError } from "@/lib/http/app-error";
import { requireCaptureAccess } from "@/lib/http/auth";
import { decodeBodyCapped } from "@/lib/http/decode-body";
import { handle, parseQuery } from "@/lib/http/respond";
import { ZCaptureBodyQuery } from "@/lib/validation/captures";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  const endpoint = await requireCaptureAccess(req, id);
  const { decode } = parseQuery(req, ZCaptureBodyQuery);
  const found = await getCaptureBodyById(id);
  if (!found) throw new AppError("NOT_FOUND", "No such capture.");
  let body = found.body;
  let truncated = false;
  if (decode) {
    try {
      ({ bytes: body, truncated } = await decodeBodyCapped(found.body, decode, DECODE_CAP));
    } catch (e) {
      throw new AppError("BAD_REQUEST", `The body is not valid ${decode.join(", ")}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return new Response(new Uint8Array(body), {
    headers: {
      // Captured bytes are attacker-controlled: the original type is kept for tools like curl,
      // while attachment + nosniff + a sandbox CSP keep browsers from rendering them.
      "Content-Type": found.contentType ?? "application/octet-stream",
      "Content-Disposition": `attachment; filename="${endpoint.slug}-${found.seq}${decode ? ".decoded" : ""}.bin"`,
      "Content-Length": String(body.length),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "no-store",
      ...(decode ? { "X-Hookscope-Truncated": String(truncated) } : {}),
    },
  });
});
