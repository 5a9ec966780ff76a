// The live capture stream of one endpoint as a Server-Sent Events response (frames in ./frames).
// Order of work, which is what makes the stream gap-free:
//   1. join the endpoint's hub: from then on every newly committed capture reaches us (held);
//   2. read what was committed after the resume point from the database (the catch-up);
//   3. send the catch-up, then the held live events past it, then `ready`, then live events.
// Overlap between 2 and the held events is removed by seq, so nothing is sent twice.
import "server-only";
import { z } from "zod";
import { findCaptureSummariesAfter } from "@/lib/server/db/captures";
import { getEndpointById } from "@/lib/server/db/endpoints";
import { env } from "@/lib/server/env";
import { AppError } from "@/lib/shared/errors/app-error";
import { parseWith } from "@/lib/server/http/respond";
import { captureFrame, PING_FRAME, readyFrame, resetFrame, RETRY_FRAME } from "./frames";
import { LiveSubscriber, type LiveEvent, type SubscriberSink } from "./hub";
import { joinEndpoint } from "./registry";

/** Most missed captures replayed on (re)connect; past this the client is told to reload instead. */
export const CATCH_UP_MAX = 1000;
/** Live backlog one slow client may hold before it is disconnected (it reconnects and catches up). */
export const MAX_BUFFER_BYTES = 4 * 1024 * 1024;
/** Bytes the stream queues before it reports backpressure; only the overflow check reads it. */
const HIGH_WATER_BYTES = 64 * 1024;

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream", // always UTF-8 by the SSE spec
  // no-transform also keeps Next's compression (and proxies) from buffering the stream.
  "Cache-Control": "no-cache, no-transform",
  "X-Accel-Buffering": "no",
} as const;

const ZSeq = z
  .string()
  .regex(/^\d{1,15}$/, "must be a capture seq (a whole number)")
  .transform(Number);
const ZResume = z.object({ lastEventId: ZSeq.optional(), after: ZSeq.optional() });

/** Most rows `?coalesce=` may ask for: a list's first page (lib/browser/query/use-captures.ts) is 200. */
export const COALESCE_MAX = 1000;
const ZCoalesce = z.object({
  coalesce: z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number of captures from 1 to ${COALESCE_MAX}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= COALESCE_MAX, `must be a whole number of captures from 1 to ${COALESCE_MAX}`)
    .optional(),
});

/**
 * `?coalesce=N`: the caller shows a list, not every event (the dashboard, a share page): under a
 * burst it gets one `coalesced` frame per tick instead of more than N capture events. Without it
 * (`hookscope forward`, scripts) every capture is its own event.
 */
export function parseCoalesce(req: Request): number | undefined {
  return parseWith(ZCoalesce, { coalesce: new URL(req.url).searchParams.get("coalesce") ?? undefined }).coalesce;
}

/** Last-Event-ID (a reconnecting EventSource), else ?after=, else null ("from now"). */
export function parseResumePoint(req: Request): number | null {
  const lastEventId = req.headers.get("last-event-id")?.trim() || undefined;
  const after = new URL(req.url).searchParams.get("after") ?? undefined;
  const r = parseWith(ZResume, { lastEventId, after });
  return r.lastEventId ?? r.after ?? null;
}

// Named AbortError so Next treats the drop as a disconnect rather than logging a pipe failure.
function slowClientError(): Error {
  const e = new Error("live stream dropped: the client fell too far behind");
  e.name = "AbortError";
  return e;
}

/**
 * Opens the stream: captures with seq > `resumeAfter` oldest first, `ready`, then live ones.
 * Database failures before the first byte throw (the route answers 503); `signal` (the client
 * went away) ends it; `accessEnded` (a share link revoked or expired) ends it cleanly from our side. With `drift`, the
 * stream also carries `drift` frames (./frames); with `coalesceAbove`, live events are written per tick and
 * coalesced under a burst (./hub).
 */
export async function openCaptureEventStream(
  endpointId: string,
  resumeAfter: number,
  signal: AbortSignal,
  opts: { accessEnded?: AbortSignal; drift?: boolean; coalesceAbove?: number } = {},
): Promise<Response> {
  const { accessEnded } = opts;
  // `drift` frames only for the streams whose readers patch their list (not smee's re-framing).
  const sub = new LiveSubscriber({ maxBufferBytes: MAX_BUFFER_BYTES, drift: opts.drift === true, coalesceAbove: opts.coalesceAbove });
  await joinEndpoint(endpointId, sub);

  let latest: number;
  let missed: LiveEvent[];
  let reset = false;
  try {
    // Both read after joining, so everything committed before the join is in one of them.
    const [endpoint, rows] = await Promise.all([
      getEndpointById(endpointId),
      findCaptureSummariesAfter(endpointId, resumeAfter, CATCH_UP_MAX + 1),
    ]);
    if (!endpoint) throw new AppError("NOT_FOUND", "Not found, or the management key does not match.");
    latest = Number(endpoint.captureSeq);
    // A resume point past the newest seq comes from another database (restored, recreated).
    reset = rows.length > CATCH_UP_MAX || resumeAfter > latest;
    missed = reset ? [] : rows.map((r) => ({ seq: r.seq, frame: captureFrame(r) }));
  } catch (e) {
    sub.close("error");
    throw e;
  }

  const heartbeatMs = env().LIVE_HEARTBEAT_MS;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const onAbort = () => sub.close("client");

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const sink: SubscriberSink = {
          write: (chunk) => controller.enqueue(chunk),
          buffered: () => HIGH_WATER_BYTES - (controller.desiredSize ?? 0),
          end: () => {
            try {
              controller.close();
            } catch {
              // already closed or cancelled
            }
          },
          abort: () => controller.error(slowClientError()),
        };
        sub.attach(sink);
        sub.onClose(() => {
          clearInterval(heartbeat);
          signal.removeEventListener("abort", onAbort);
        });
        if (sub.closed) return sink.end();

        sub.write(RETRY_FRAME);
        if (reset) {
          sub.write(resetFrame(latest));
          sub.goLive(latest);
        } else {
          sub.goLive(resumeAfter, missed);
        }
        sub.write(readyFrame(sub.lastSeq));
        heartbeat = setInterval(() => sub.write(PING_FRAME), heartbeatMs);
        heartbeat.unref();
      },
      cancel() {
        sub.close("client");
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.byteLength },
  );

  if (signal.aborted) sub.close("client");
  else signal.addEventListener("abort", onAbort, { once: true });
  if (accessEnded) {
    const onEnded = () => sub.close("revoked");
    if (accessEnded.aborted) onEnded();
    else {
      accessEnded.addEventListener("abort", onEnded, { once: true });
      sub.onClose(() => accessEnded.removeEventListener("abort", onEnded));
    }
  }

  return new Response(stream, { headers: SSE_HEADERS });
}
