// Live and automation: the SSE stream of new captures and the long-poll wait for CI.
import { z } from "zod";
import { ZCapture, ZCaptureSummary } from "../../validation/captures";
import { ZWaitQuery } from "../../validation/exports";
import { filterParams, WAIT_FILTERS } from "./filters";
import { ZErrorBody, type Operation } from "./types";

export const LIVE_OPERATIONS: Operation[] = [
  {
    method: "get",
    path: "/api/endpoints/{id}/events",
    tag: "Live and automation",
    summary: "Server-Sent Events: each new capture as it commits",
    description:
      "One `capture` event per capture (data: a CaptureSummary, id: its seq), after a catch-up of what came after `Last-Event-ID` or `?after=`; then `ready`; a comment heartbeat every 20 s. A `reset` event (data: {latestSeq}) means too much was missed: reload the list. A `drift` event (data: {id, seq, drift}, no id line) says the schema worker marked a capture already sent with drift (its CaptureSummary `drift`); clients that only want captures ignore it. With `?coalesce=N` (a list, such as the dashboard's), live events come at most once per 200 ms tick, and a tick with more than N captures is one `coalesced` event instead (id and data.latestSeq: the newest seq; data: {latestSeq, afterSeq, count}): read the newest page of GET /api/endpoints/{id}/captures. Without it every capture is its own event, however fast they come.",
    keyed: true,
    query: z.object({
      after: z.string().regex(/^\d+$/).optional().meta({ description: "Resume after this seq (Last-Event-ID wins)." }),
      coalesce: z
        .string()
        .regex(/^\d+$/)
        .optional()
        .meta({ description: "1–1000: for a list's stream, a tick with more captures than this is one `coalesced` event." }),
    }),
    requestHeaders: { "Last-Event-ID": "The seq of the last event received; a reconnecting EventSource sends it." },
    responses: {
      200: { description: "An event stream.", media: { type: "text/event-stream", description: "SSE frames.", schema: ZCaptureSummary } },
    },
  },
  {
    method: "get",
    path: "/api/endpoints/{id}/captures/wait",
    tag: "Live and automation",
    summary: "Long-poll: wait for the first capture after a cursor",
    description:
      "Answers with the oldest capture whose seq is greater than `after` as soon as one is committed, or 204 when `timeout` seconds pass first (a 503 is not a timeout: retry it). Without `after`, waits for a capture that arrives after the call. With search filters, only a matching capture counts; here `after` is the cursor, so a received-time filter goes in `q` (`q=after:10m`). For CI: note the newest seq (or pass the seq of the last capture you handled), trigger the webhook, then wait.",
    keyed: true,
    query: ZWaitQuery.extend(filterParams(WAIT_FILTERS)),
    responses: {
      200: {
        description: "The capture, as GET /api/captures/{id} answers it (the body's first 256 KiB; `bodyUrl` has the rest).",
        schema: ZCapture,
      },
      204: { description: "Nothing arrived before the timeout." },
      503: {
        description:
          "The database is unavailable, or the server began shutting down before a capture came (error code SHUTTING_DOWN; `details.after` is the cursor this wait used). Send the same request again after Retry-After seconds, with `after` set: nothing is missed.",
        schema: ZErrorBody,
        headers: { "Retry-After": "Seconds to wait before asking again." },
      },
    },
  },
];
