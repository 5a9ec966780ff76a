// What an export format is: one object per format (lib/server/export/formats/), which the
// paged stream (./stream.ts) calls as text around and between the stored captures.
import "server-only";
import type { ExportRow } from "@/lib/server/db/capture-export";

export interface ExportContext {
  /** The endpoint's capture URL (`<base>/h/<slug>`). */
  captureUrl: string;
  /** Hookscope's version, for formats that name their creator. */
  version: string;
}

export interface ExportEncoder<Id extends string = string> {
  /** The `format` query value (an id from lib/shared/export/formats.ts). */
  id: Id;
  /** The download's Content-Type. */
  contentType: string;
  /** The downloaded file's extension, without the dot. */
  extension: string;
  /** Text before the first capture ("" for none). */
  open(ctx: ExportContext): string;
  /** One capture, with whatever separates it from the one before (`index` counts from 0 over the whole export). */
  entry(row: ExportRow, ctx: ExportContext, index: number): string;
  /** Text after the last capture ("" for none). */
  close(ctx: ExportContext): string;
}

/** `<base>/h/<slug><path>?<query>`: the URL the request was sent to. */
export function captureRequestUrl(captureUrl: string, row: Pick<ExportRow, "path" | "query">): string {
  return `${captureUrl}${row.path}${row.query === null ? "" : `?${row.query}`}`;
}
