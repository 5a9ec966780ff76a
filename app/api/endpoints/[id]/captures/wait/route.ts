// GET /api/endpoints/:id/captures/wait?after=<seq>&timeout=<seconds>&q=&method=… - long-poll: the first matching capture after the cursor, or 204 on timeout (503 + Retry-After when the server stops first)
import { findFirstCaptureIdAfter, getCaptureById } from "@/lib/server/db/captures";
import { AppError } from "@/lib/shared/errors/app-error";
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle, json, noContent, parseQuery } from "@/lib/server/http/respond";
import { waitForCapture } from "@/lib/server/live/wait";
import { ZCapture } from "@/lib/shared/validation/captures";
import { ZWaitFilter, ZWaitQuery } from "@/lib/shared/validation/exports";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const q = parseQuery(req, ZWaitQuery);
  const filter = parseQuery(req, ZWaitFilter);
  // Without a cursor: the first capture committed after this call arrived.
  const after = q.after ?? Number(endpoint.captureSeq);
  const capture = await waitForCapture(endpoint.id, {
    timeoutMs: q.timeout * 1000,
    signal: req.signal,
    async check() {
      const id = await findFirstCaptureIdAfter(endpoint.id, after, filter);
      // A capture deleted between the two reads counts as not there yet.
      return id ? await getCaptureById(id) : null;
    },
  }).catch((e: unknown) => {
    // 503 while the server stops: the cursor this wait used goes back, so a retry that passed no
    // `after` (only what arrives after the call) still misses nothing.
    if (e instanceof AppError && e.code === "SHUTTING_DOWN") throw new AppError(e.code, e.message, { after });
    throw e;
  });
  if (!capture) return noContent({ headers: { "Cache-Control": "no-store" } });
  return json(ZCapture.parse(capture));
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
