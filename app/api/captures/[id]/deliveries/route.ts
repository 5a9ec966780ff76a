// GET  /api/captures/:id/deliveries?cursor=&limit= - the capture's deliveries (resends, forward attempts, CLI forwards), newest first
// POST /api/captures/:id/deliveries - record what a local target answered (hookscope forward reports each request here)
import { insertDelivery, findDeliveriesByCaptureId } from "@/lib/server/db/deliveries";
import { requireCaptureAccess } from "@/lib/server/http/auth";
import { handle, json, parseJson, parseQuery } from "@/lib/server/http/respond";
import { MAX_DELIVERY_RESPONSE_BYTES } from "@/lib/server/delivery/deliver";
import { ZDelivery, ZDeliveryListQuery, ZDeliveryPage, ZReportDeliveryRequest } from "@/lib/shared/validation/deliveries";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  await requireCaptureAccess(req, id);
  const q = parseQuery(req, ZDeliveryListQuery);
  return json(ZDeliveryPage.parse(await findDeliveriesByCaptureId(id.toLowerCase(), q)));
});

export const POST = handle(async (req: Request, { params }: Ctx) => {
  const { id } = await params;
  await requireCaptureAccess(req, id);
  const input = await parseJson(req, ZReportDeliveryRequest);
  const requestBody = input.bodyBase64 === undefined ? null : Buffer.from(input.bodyBase64, "base64");
  const r = input.response;
  const responseBody = r ? Buffer.from(r.bodyBase64, "base64").subarray(0, MAX_DELIVERY_RESPONSE_BYTES) : null;
  const ok = r !== null && r.status >= 200 && r.status < 300;
  const delivery = await insertDelivery({
    captureId: id.toLowerCase(),
    ruleId: null,
    kind: "cli",
    attempt: input.attempt,
    outcome: ok ? "succeeded" : input.willRetry ? "retrying" : "failed",
    method: input.method,
    url: input.url,
    requestHeaders: input.headers,
    requestBody,
    requestBodySize: requestBody?.length ?? input.bodySize,
    resignedScheme: input.resignedScheme,
    responseStatus: r?.status ?? null,
    responseStatusText: r?.statusText ?? null,
    responseHeaders: r?.headers ?? null,
    responseBody,
    responseBodySize: r ? Math.max(r.size, responseBody!.length) : null,
    responseTruncated: r ? r.truncated || responseBody!.length < r.size : false,
    errorCode: input.error?.code ?? (r && !ok ? "http_status" : null),
    errorMessage:
      input.error?.message ?? (r && !ok ? `The local target answered ${r.status}${r.statusText ? ` ${r.statusText}` : ""}.` : null),
    durationMs: input.durationMs,
  });
  return json(ZDelivery.parse(delivery), { status: 201 });
});

export const { OPTIONS, PUT, PATCH, DELETE } = otherMethods(["GET", "POST"]);
