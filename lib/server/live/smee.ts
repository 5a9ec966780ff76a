// An endpoint as a smee.io channel, so the widely used `smee-client` works against Hookscope
// unchanged. smee-client (v5, read from its source) opens an EventSource on the channel URL and,
// for each default ("message") event, parses `data` as JSON: `query` (an object) is merged into
// the target's query, `body` is JSON.stringify'd and POSTed with content-type application/json,
// and every other key is sent as a header (minus host). smee.io's server builds that object as
// `{ ...req.headers, body: req.body, query: req.query, timestamp }` after Express' JSON and
// urlencoded parsers, so this does the same: header names lower-cased and repeats joined with
// ", ", JSON bodies parsed, form bodies as an object, anything else `{}` (smee cannot carry it).
// The events ride on the live capture stream (./sse), so `id:` is the capture seq and a
// reconnecting EventSource resumes after Last-Event-ID without gaps.
import "server-only";
import { getCaptureForSend, type CaptureForSend } from "@/lib/server/db/captures";
import { openCaptureEventStream } from "./sse";

const encoder = new TextEncoder();

/** smee's message payload for one capture. */
export function smeePayload(c: CaptureForSend, receivedAtMs: number): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of c.headers) {
    const n = name.toLowerCase();
    headers[n] = headers[n] === undefined ? value : `${headers[n]}, ${value}`;
  }
  const type = (headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  let body: unknown = {};
  const text = c.body.toString("utf8");
  if (c.body.length > 0 && (type === "application/json" || type.endsWith("+json"))) {
    try {
      body = JSON.parse(text);
    } catch {
      body = {};
    }
  } else if (type === "application/x-www-form-urlencoded") {
    body = Object.fromEntries(new URLSearchParams(text));
  }
  const query = c.query === null ? {} : Object.fromEntries(new URLSearchParams(c.query));
  return { ...headers, body, query, timestamp: receivedAtMs };
}

/** Re-frames the live capture stream as smee messages (one capture read per event, in order). */
export async function openSmeeStream(endpointId: string, resumeAfter: number, signal: AbortSignal): Promise<Response> {
  const live = await openCaptureEventStream(endpointId, resumeAfter, signal);
  const decoder = new TextDecoder();
  let buffer = "";
  const reframe = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        let id: string | null = null;
        let data = "";
        for (const line of frame.split("\n")) {
          if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("id:")) id = line.slice(3).trim();
          else if (line.startsWith("data:")) data += line.slice(5).trim();
        }
        if (event !== "capture") {
          // retry, pings, ready and reset: smee-client ignores named events, but their ids keep resumes exact.
          controller.enqueue(encoder.encode(`${frame}\n\n`));
          continue;
        }
        const summary = JSON.parse(data) as { id: string; receivedAt: string };
        const capture = await getCaptureForSend(summary.id);
        if (!capture) continue; // deleted since
        const payload = JSON.stringify(smeePayload(capture, Date.parse(summary.receivedAt)));
        controller.enqueue(encoder.encode(`id: ${id}\ndata: ${payload}\n\n`));
      }
    },
  });
  return new Response(live.body!.pipeThrough(reframe), { headers: live.headers });
}
