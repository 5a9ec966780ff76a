// An endpoint's captures as a download stream (HAR 1.2 or NDJSON). Pull-based: the next page is
// read from Postgres only when the client has taken the previous one, so memory holds about one
// page (500 rows or 8 MiB of bodies) whatever the number of captures, and a slow client slows
// the reads instead of filling memory.
import "server-only";
import { exportCapturePages } from "@/lib/server/db/capture-export";
import { logJson } from "@/lib/server/observability/log";
import type { TSearchTerm } from "@/lib/shared/search/query";
import type { TExportFormat } from "@/lib/shared/validation/exports";
import { HAR_CLOSE, harEntry, harOpen, ndjsonLine } from "./encode";

export const EXPORT_CONTENT_TYPES: Record<TExportFormat, string> = {
  har: "application/json; charset=utf-8",
  ndjson: "application/x-ndjson; charset=utf-8",
};

const APP_VERSION = "0.1.0";

export function exportStream(opts: {
  endpointId: string;
  captureUrl: string;
  /** Captures with seq up to this one (the endpoint's counter when the export started). */
  upToSeq: number;
  format: TExportFormat;
  /** Only captures matching these search terms (the list API's filters). */
  filter?: readonly TSearchTerm[];
}): ReadableStream<Uint8Array> {
  const pages = exportCapturePages(opts.endpointId, opts.upToSeq, opts.filter);
  const enc = new TextEncoder();
  let started = false;
  let first = true;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let out = "";
          if (!started) {
            started = true;
            if (opts.format === "har") {
              out += harOpen({ version: APP_VERSION, comment: `Captures of ${opts.captureUrl}, oldest first` });
            }
          }
          const next = await pages.next();
          if (next.done) {
            if (opts.format === "har") out += HAR_CLOSE;
            controller.enqueue(enc.encode(out));
            controller.close();
            return;
          }
          const parts: string[] = [];
          for (const row of next.value) {
            if (opts.format === "ndjson") parts.push(ndjsonLine(row, opts.captureUrl));
            else {
              parts.push(`${first ? "" : ","}${JSON.stringify(harEntry(row, opts.captureUrl))}`);
              first = false;
            }
          }
          out += parts.join("");
          controller.enqueue(enc.encode(out));
        } catch (e) {
          // Headers are gone already: the client sees a cut-off download (invalid JSON / a short
          // last line) rather than a truncated file that parses.
          logJson("error", "export failed mid-stream", { error: String(e) });
          controller.error(e);
        }
      },
      async cancel() {
        await pages.return(undefined);
      },
    },
    // One page at a time: pull() runs again only when the consumer has read what is queued.
    { highWaterMark: 0 },
  );
}
