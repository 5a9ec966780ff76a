// GET /api/endpoints/:id/smee?key=<management key> - the endpoint as a smee.io channel: `smee --url <this URL> --target <local URL>`
// (the key may ride in the URL because smee-client cannot send headers; resumes from Last-Event-ID like /events)
import { requireEndpointAccessWithUrlKey } from "@/lib/server/http/auth";
import { handle } from "@/lib/server/http/respond";
import { watchKey } from "@/lib/server/live/key-watch";
import { openSmeeStream } from "@/lib/server/live/smee";
import { parseResumePoint } from "@/lib/server/live/sse";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccessWithUrlKey(req, (await params).id);
  const resumeAfter = parseResumePoint(req) ?? Number(endpoint.captureSeq);
  const key = watchKey(endpoint.id, endpoint.keyHash, req.signal);
  try {
    return await openSmeeStream(endpoint.id, resumeAfter, req.signal, key.signal);
  } catch (e) {
    key.stop();
    throw e;
  }
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
