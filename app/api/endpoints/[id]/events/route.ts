// GET /api/endpoints/:id/events - Server-Sent Events: summaries of captures after Last-Event-ID
// (or ?after=, or now), then `ready`, then each new capture as it commits (contract: lib/server/live/frames.ts).
// Ends within 5 s of the key being replaced (lib/server/live/key-watch.ts).
import { requireEndpointAccess } from "@/lib/server/http/auth";
import { handle } from "@/lib/server/http/respond";
import { watchKey } from "@/lib/server/live/key-watch";
import { openCaptureEventStream, parseCoalesce, parseResumePoint } from "@/lib/server/live/sse";
import { otherMethods } from "@/lib/server/http/method-not-allowed";

interface Ctx {
  params: Promise<{ id: string }>;
}

// A stream per request; never prerendered or cached.
export const dynamic = "force-dynamic";

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const endpoint = await requireEndpointAccess(req, (await params).id);
  const resumeAfter = parseResumePoint(req) ?? Number(endpoint.captureSeq);
  const key = watchKey(endpoint.id, endpoint.keyHash, req.signal);
  try {
    return await openCaptureEventStream(endpoint.id, resumeAfter, req.signal, {
      drift: true,
      coalesceAbove: parseCoalesce(req),
      accessEnded: key.signal,
    });
  } catch (e) {
    key.stop();
    throw e;
  }
});

export const { OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
