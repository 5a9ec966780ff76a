// An endpoint's captures as a download stream, in any format of lib/server/export/formats/.
// Pull-based: the next page is read from Postgres only when the client has taken the previous
// one, so memory holds about one page (500 rows or 8 MiB of bodies) whatever the number of
// captures, and a slow client slows the reads instead of filling memory.
import "server-only";
import { exportCapturePages, type ExportRow } from "@/lib/server/db/capture-export";
import { logJson } from "@/lib/server/observability/log";
import type { TSearchTerm } from "@/lib/shared/search/query";
import type { ExportContext, ExportEncoder } from "./format";

const APP_VERSION = "0.1.0";

export function exportStream(opts: {
  endpointId: string;
  captureUrl: string;
  /** Captures with seq up to this one (the endpoint's counter when the export started). */
  upToSeq: number;
  encoder: ExportEncoder;
  /** Only captures matching these search terms (the list API's filters). */
  filter?: readonly TSearchTerm[];
}): ReadableStream<Uint8Array> {
  const pages = exportCapturePages(opts.endpointId, opts.upToSeq, opts.filter);
  return encodeExport(pages, opts.encoder, { captureUrl: opts.captureUrl, version: APP_VERSION });
}

/**
 * Pages of rows through one encoder: its open text, then each row's entry, then its close text;
 * one chunk per page. Cancelling the stream ends `pages`.
 */
export function encodeExport(pages: AsyncGenerator<ExportRow[]>, encoder: ExportEncoder, ctx: ExportContext): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let started = false;
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          let out = "";
          if (!started) {
            started = true;
            out += encoder.open(ctx);
          }
          const next = await pages.next();
          if (next.done) {
            out += encoder.close(ctx);
            controller.enqueue(enc.encode(out));
            controller.close();
            return;
          }
          const parts: string[] = [];
          for (const row of next.value) parts.push(encoder.entry(row, ctx, index++));
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
