// One stored capture as the export reads it (lib/server/db/capture-export.ts), for the export
// format tests; `over` replaces fields.
import type { ExportRow } from "@/lib/server/db/capture-export";

export const exportRow = (over: Partial<ExportRow> = {}): ExportRow => ({
  id: "0190a2b0-0000-7000-8000-000000000001",
  seq: 7,
  method: "POST",
  path: "/hook",
  query: "a=1&b=x+y",
  headers: [
    ["Content-Type", "application/json"],
    ["X-A", "1"],
    ["x-a", "2"],
  ],
  body: Buffer.from('{"ok":true}'),
  size: 11,
  declaredLength: 11,
  contentType: "application/json",
  remoteAddress: "127.0.0.1",
  httpVersion: "1.1",
  receivedAt: "2026-11-29T03:00:00.123456Z",
  durationUs: 1534,
  responseStatus: 202,
  response: {
    status: 202,
    headers: [
      ["X-Hookscope-Capture-Id", "c1"],
      ["Content-Type", "text/plain; charset=utf-8"],
      ["Content-Length", "6"],
      ["Location", "/queued/1"],
    ],
    body: "queued",
    delayMs: 0,
    handshake: null,
    rule: null,
    failure: null,
    closed: false,
    error: null,
  },
  oversize: false,
  trailers: null,
  ...over,
});
