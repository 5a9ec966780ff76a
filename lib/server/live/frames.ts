// Server-Sent Events frames of the live capture stream (the wire contract the dashboard reads):
//   retry: 2000                                    first, once
//   id: <seq> / event: capture / data: <summary>   one per capture, increasing seq, never a body
//   id: N / event: reset / data: {"latestSeq":N}   too much was missed: reload the list
//   id: N / event: ready / data: {"latestSeq":N}   catch-up done; live events follow
// reset and ready carry `id: N` too, so a browser that reconnects before the next capture sends
// Last-Event-ID N and resumes exactly there instead of at "now" (which would skip what it missed).
//   : ping                                         heartbeat comment
//   id: S / event: coalesced /                     a list's stream (?coalesce=N) only: more than N
//     data: {"latestSeq":S,"afterSeq":A,"count":C}   captures (C of them, seq A+1..S) came in one tick;
//                                                  instead of C capture events, reload the newest page
//   event: drift / data: {"id","seq","drift":[…]}  the schema worker marked an already sent capture
//                                                  with drift (dashboard and share streams only; no
//                                                  `id:`, so it never moves the resume point)
import "server-only";
import { ZCaptureSummary, ZDriftChange, type TCaptureSummary, type TDriftChangeDto } from "@/lib/shared/validation/captures";

/** Milliseconds a browser waits before reconnecting a dropped stream. */
export const RETRY_MS = 2000;

const encoder = new TextEncoder();

export const RETRY_FRAME = encoder.encode(`retry: ${RETRY_MS}\n\n`);
export const PING_FRAME = encoder.encode(": ping\n\n");

/** JSON never contains a raw newline, so one `data:` line always holds the whole payload. */
export function captureFrame(summary: TCaptureSummary): Uint8Array {
  // Re-parsed so a column added to the query later cannot leak into live events.
  const data = JSON.stringify(ZCaptureSummary.parse(summary));
  return encoder.encode(`id: ${summary.seq}\nevent: capture\ndata: ${data}\n\n`);
}

export function readyFrame(latestSeq: number): Uint8Array {
  return encoder.encode(`id: ${latestSeq}\nevent: ready\ndata: ${JSON.stringify({ latestSeq })}\n\n`);
}

export function resetFrame(latestSeq: number): Uint8Array {
  return encoder.encode(`id: ${latestSeq}\nevent: reset\ndata: ${JSON.stringify({ latestSeq })}\n\n`);
}

/** Stands for `count` capture events after `afterSeq` up to `latestSeq` (a list's stream under a burst). */
export function coalescedFrame(latestSeq: number, afterSeq: number, count: number): Uint8Array {
  return encoder.encode(`id: ${latestSeq}\nevent: coalesced\ndata: ${JSON.stringify({ latestSeq, afterSeq, count })}\n\n`);
}

/** A capture's drift, set after its capture event was sent (lib/server/schema/worker.ts). */
export interface CaptureDrift {
  id: string;
  seq: number;
  drift: TDriftChangeDto[];
}

export function driftFrame(d: CaptureDrift): Uint8Array {
  const data = JSON.stringify({ id: d.id, seq: d.seq, drift: ZDriftChange.array().parse(d.drift) });
  return encoder.encode(`event: drift\ndata: ${data}\n\n`);
}
