// GET /api/s/:token/events - the live capture stream of a shared endpoint (same frames as
// /api/endpoints/:id/events). The stream ends when the link expires or is revoked; the browser's
// reconnect then gets the 404/410 answer. A capture link has no stream (404).
import { AppError } from "@/lib/shared/errors/app-error";
import { handle } from "@/lib/server/http/respond";
import { readOnlyShareHandler, requireShareAccess, shareStillValid } from "@/lib/server/http/share-access";
import { openCaptureEventStream, parseCoalesce, parseResumePoint } from "@/lib/server/live/sse";

interface Ctx {
  params: Promise<{ token: string }>;
}

// A stream per request; never prerendered or cached.
export const dynamic = "force-dynamic";

/** How often an open stream re-reads its link, so a revoke ends it within this time. */
const RECHECK_MS = 5_000;

export const GET = handle(async (req: Request, { params }: Ctx) => {
  const { token } = await params;
  const { link, endpoint } = await requireShareAccess(token);
  if (link.captureId) throw new AppError("NOT_FOUND", "This link shares one capture; it has no live stream.");
  const resumeAfter = parseResumePoint(req) ?? Number(endpoint.captureSeq);
  const coalesceAbove = parseCoalesce(req);

  const ended = new AbortController();
  const stop = () => {
    clearInterval(recheck);
    clearTimeout(expiry);
    ended.abort();
  };
  req.signal.addEventListener("abort", stop, { once: true });
  const recheck = setInterval(() => {
    void shareStillValid(token).then(
      (ok) => ok || stop(),
      () => {},
    );
  }, RECHECK_MS);
  recheck.unref();
  // setTimeout holds at most 2^31-1 ms (24.8 days); a later expiry is caught by the recheck.
  const msLeft = link.expiresAt ? link.expiresAt.getTime() - Date.now() : Infinity;
  const expiry = msLeft < 2 ** 31 - 1 ? setTimeout(stop, Math.max(0, msLeft)) : undefined;
  expiry?.unref();
  try {
    return await openCaptureEventStream(endpoint.id, resumeAfter, req.signal, { accessEnded: ended.signal, drift: true, coalesceAbove });
  } catch (e) {
    stop();
    throw e;
  }
});

const refuse = readOnlyShareHandler();
export const POST = refuse;
export const PUT = refuse;
export const PATCH = refuse;
export const DELETE = refuse;
