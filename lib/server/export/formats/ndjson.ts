// NDJSON export: one stored capture per line, everything stored about it, body as base64
// (ZExportedCapture in lib/shared/validation/exports.ts is the line's schema).
import "server-only";
import type { ExportRow } from "@/lib/server/db/capture-export";
import type { TExportedCapture } from "@/lib/shared/validation/exports";
import { captureRequestUrl, type ExportEncoder } from "@/lib/server/export/format";

export function toExportedCapture(row: ExportRow, captureUrl: string): TExportedCapture {
  return {
    id: row.id,
    seq: row.seq,
    method: row.method,
    url: captureRequestUrl(captureUrl, row),
    path: row.path,
    query: row.query,
    httpVersion: row.httpVersion,
    headers: row.headers,
    trailers: row.trailers,
    contentType: row.contentType,
    size: row.size,
    declaredLength: row.declaredLength,
    oversize: row.oversize,
    bodyBase64: row.body.toString("base64"),
    remoteAddress: row.remoteAddress,
    receivedAt: row.receivedAt,
    durationUs: row.durationUs,
    responseStatus: row.responseStatus,
    response: row.response,
  };
}

/** One NDJSON line, newline included. */
export function ndjsonLine(row: ExportRow, captureUrl: string): string {
  return `${JSON.stringify(toExportedCapture(row, captureUrl))}\n`;
}

export const ndjson: ExportEncoder<"ndjson"> = {
  id: "ndjson",
  contentType: "application/x-ndjson; charset=utf-8",
  extension: "ndjson",
  open: () => "",
  entry: (row, ctx) => ndjsonLine(row, ctx.captureUrl),
  close: () => "",
};
