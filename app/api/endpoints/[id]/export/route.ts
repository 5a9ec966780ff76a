// GET /api/endpoints/:id/export?format=har|ndjson&q=&method=… - every capture (or the filtered set), oldest first, streamed as a download
import { toEndpointDto } from "@/lib/server/db/endpoints";
import { EXPORT_ENCODERS } from "@/lib/server/export/formats";
import { exportStream } from "@/lib/server/export/stream";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, parseQuery } from "@/lib/server/http/respond";
import { ZCaptureFilter } from "@/lib/shared/search/params";
import { ZExportQuery } from "@/lib/shared/validation/exports";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const q = parseQuery(req, ZExportQuery);
  const filter = parseQuery(req, ZCaptureFilter);
  const encoder = EXPORT_ENCODERS[q.format];
  const dto = toEndpointDto(endpoint);
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const body = exportStream({
    endpointId: endpoint.id,
    captureUrl: dto.captureUrl,
    upToSeq: Number(endpoint.captureSeq),
    encoder,
    filter,
  });
  return new Response(body, {
    headers: {
      "Content-Type": encoder.contentType,
      "Content-Disposition": `attachment; filename="hookscope-${endpoint.slug}-${stamp}.${encoder.extension}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    },
  });
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
