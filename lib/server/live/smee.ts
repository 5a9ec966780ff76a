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
import { createParser, type EventSourceMessage } from "eventsource-parser";
import { getCaptureForSend, type CaptureForSend } from "@/lib/server/db/captures";
import { forwardableHeaders } from "@/lib/shared/delivery/forward-request";
import { jsonDepth } from "@/lib/shared/format/body";
import { openCaptureEventStream } from "./sse";

const encoder = new TextEncoder();

/** JSON bodies nested deeper than this go out as sent: JSON.stringify recurses (and overflows near 5,000 levels). */
const SMEE_MAX_DEPTH = 256;

/** JSON text without the whitespace outside its strings, in one pass (no recursion), so it fits one SSE data line. */
function compactJsonText(text: string): string {
  let out = "";
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

/** smee's message payload for one capture, as the JSON text of an SSE `data:` line. */
export function smeeData(c: CaptureForSend, receivedAtMs: number): string {
  // Grouped in a Map: header names are captured data ("constructor", "__proto__" are tokens too).
  // Without hop-by-hop headers, as forwarding sends them: smee-client sends every key on as a
  // header, and fetch refuses Transfer-Encoding, Connection, Keep-Alive, Upgrade and Expect, so a
  // chunked capture was never delivered. (Host and Content-Length go too; smee-client drops the
  // one and sets the other itself.)
  const grouped = new Map<string, string>();
  for (const [name, value] of forwardableHeaders(c.headers)) {
    const n = name.toLowerCase();
    const prev = grouped.get(n);
    grouped.set(n, prev === undefined ? value : `${prev}, ${value}`);
  }
  const headers = Object.fromEntries(grouped);
  const type = (grouped.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  let body: unknown = {};
  let deepJson: string | null = null;
  const text = c.body.toString("utf8");
  if (c.body.length > 0 && (type === "application/json" || type.endsWith("+json"))) {
    try {
      body = JSON.parse(text); // iterative in V8, whatever the depth
      if (jsonDepth(text, SMEE_MAX_DEPTH) > SMEE_MAX_DEPTH) deepJson = compactJsonText(text);
    } catch {
      body = {};
    }
  } else if (type === "application/x-www-form-urlencoded") {
    body = Object.fromEntries(new URLSearchParams(text));
  }
  const query = c.query === null ? {} : Object.fromEntries(new URLSearchParams(c.query));
  if (deepJson === null) return JSON.stringify({ ...headers, body, query, timestamp: receivedAtMs });
  // The valid JSON text goes in as it arrived, never through JSON.stringify.
  delete headers.body;
  const rest = JSON.stringify({ ...headers, query, timestamp: receivedAtMs });
  return `${rest.slice(0, -1)},"body":${deepJson}}`;
}

/** One SSE frame written back as our stream writes it (the smee channel passes non-capture frames through). */
function sseFrame(e: EventSourceMessage): string {
  const lines = [e.id === undefined ? null : `id: ${e.id}`, e.event === undefined ? null : `event: ${e.event}`];
  for (const line of e.data.split("\n")) lines.push(`data: ${line}`);
  return `${lines.filter((l) => l !== null).join("\n")}\n\n`;
}

/**
 * Re-frames the live capture stream as smee messages (one capture read per event, in order);
 * `accessEnded` ends it from our side (the key was replaced).
 */
export async function openSmeeStream(
  endpointId: string,
  resumeAfter: number,
  signal: AbortSignal,
  accessEnded?: AbortSignal,
): Promise<Response> {
  const live = await openCaptureEventStream(endpointId, resumeAfter, signal, { accessEnded });
  const decoder = new TextDecoder();
  // The parser calls back synchronously; capture reads are async, so each chunk's frames are queued, then written in order.
  let parsed: ({ capture: EventSourceMessage } | { frame: string })[] = [];
  const parser = createParser({
    onEvent: (e) => parsed.push(e.event === "capture" ? { capture: e } : { frame: sseFrame(e) }),
    // retry, pings, ready and reset: smee-client ignores named events, but their ids keep resumes exact.
    onRetry: (ms) => parsed.push({ frame: `retry: ${ms}\n\n` }),
    onComment: (text) => parsed.push({ frame: `: ${text}\n\n` }),
  });
  const reframe = new TransformStream<Uint8Array, Uint8Array>({
    async transform(chunk, controller) {
      parser.feed(decoder.decode(chunk, { stream: true }));
      const frames = parsed;
      parsed = [];
      for (const item of frames) {
        if ("frame" in item) {
          controller.enqueue(encoder.encode(item.frame));
          continue;
        }
        const summary = JSON.parse(item.capture.data) as { id: string; receivedAt: string };
        const capture = await getCaptureForSend(summary.id);
        if (!capture) continue; // deleted since
        const payload = smeeData(capture, Date.parse(summary.receivedAt));
        controller.enqueue(encoder.encode(`id: ${item.capture.id}\ndata: ${payload}\n\n`));
      }
    },
  });
  return new Response(live.body!.pipeThrough(reframe), { headers: live.headers });
}
