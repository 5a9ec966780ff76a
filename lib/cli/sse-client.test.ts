// hookscope forward's stream reader against a local server that frames events with CRLF line
// endings (allowed by the SSE spec, and what some proxies produce): captures still reach the
// forward loop in order, after the resume point sent as Last-Event-ID; a `drift` frame between
// them is skipped.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { waitFor } from "../../test/support/wait";
import type { ForwardLoop } from "./forward-loop";
import { createServerApi, type CaptureSummary } from "./server-api";
import { CaptureStream } from "./sse-client";

let server: http.Server;
let origin: string;
const lastEventIds: (string | undefined)[] = [];

// The dashboard's drift frame (no id:) rides on the same stream; the forwarder skips it.
const DRIFT = `event: drift\r\ndata: ${JSON.stringify({ id: "c4", seq: 4, drift: [{ kind: "removed", path: "id", before: ["string"], after: [] }] })}\r\n\r\n`;

const summary = (seq: number): CaptureSummary => ({ id: `c${seq}`, seq, method: "POST", path: "/x", query: null });

before(async () => {
  server = http.createServer((req, res) => {
    lastEventIds.push(req.headers["last-event-id"] as string | undefined);
    res.writeHead(200, { "content-type": "text/event-stream" });
    const frame = (seq: number, event: string, data: object) => `id: ${seq}\r\nevent: ${event}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`;
    // Split mid-line, so a frame spans chunks.
    const text = `retry: 2000\r\n\r\n: ping\r\n\r\n${frame(4, "capture", summary(4))}${DRIFT}${frame(5, "capture", summary(5))}${frame(5, "ready", { latestSeq: 5 })}`;
    res.write(text.slice(0, 40));
    res.write(text.slice(40));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});

test("CRLF-framed events are read: captures after Last-Event-ID are queued in order (a drift frame skipped), then live", async () => {
  const queued: CaptureSummary[] = [];
  const loop = { length: 0, enqueue: (s: CaptureSummary) => void queued.push(s), waitForRoom: async () => {} } as unknown as ForwardLoop;
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const controller = new AbortController();
  const api = createServerApi(origin, "hsk_test", controller.signal);
  const stream = new CaptureStream({ api, io, origin, key: "hsk_test", endpointId: "e1", lastSeq: 3, signal: controller.signal }, loop);
  const done = stream.run();
  await waitFor(() => lines.some((l) => l.startsWith("Live:")), "the ready event");
  controller.abort();
  assert.equal(await done, 0);
  assert.deepEqual(
    queued.map((s) => s.seq),
    [4, 5],
  );
  assert.equal(lastEventIds[0], "3");
  assert.deepEqual(lines, ["Live: new captures are forwarded as they arrive."]);
});
