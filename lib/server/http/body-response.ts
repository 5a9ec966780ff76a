// A capture's body as a download: the exact bytes, or with Content-Encodings undone (?decode=,
// capped at DECODE_CAP). One answer for the dashboard's body route and the share link's.
import "server-only";
import { BODY_CHUNK_BYTES, readCaptureBodyChunk, type CaptureBodyHead } from "@/lib/server/db/captures";
import { DECODE_CAP } from "@/lib/shared/format/decode";
import { AppError } from "@/lib/shared/errors/app-error";
import { decodeBodyCapped, type TServerEncoding } from "./decode-body";

/**
 * The body from its head on, a chunk per query, each read only when the client has taken the one
 * before (a stream's pull): a slow reader holds one chunk, not the body. A capture deleted
 * meanwhile ends the download without its last chunk, which clients report as incomplete. (Next
 * drops Content-Length from route handlers' answers, so every download is chunked; the detail
 * API's bodySize gives the length.)
 */
function bodyStream(found: CaptureBodyHead): ReadableStream<Uint8Array> {
  let offset = found.head.length;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (found.head.length) controller.enqueue(found.head);
      if (offset >= found.size) controller.close();
    },
    async pull(controller) {
      const chunk = await readCaptureBodyChunk(found.id, offset, BODY_CHUNK_BYTES);
      if (!chunk?.length) return controller.error(new Error(`capture ${found.id} was deleted while its body was sent`));
      controller.enqueue(chunk);
      offset += chunk.length;
      if (offset >= found.size) controller.close();
    },
  });
}

/** The whole body (for decoding, which needs all of it; bodies are at most MAX_BODY_BYTES). */
async function wholeBody(found: CaptureBodyHead): Promise<Buffer> {
  const parts = [found.head];
  for (let offset = found.head.length; offset < found.size;) {
    const chunk = await readCaptureBodyChunk(found.id, offset, BODY_CHUNK_BYTES);
    if (!chunk?.length) throw new AppError("NOT_FOUND", "The capture was deleted while its body was read.");
    parts.push(chunk);
    offset += chunk.length;
  }
  return Buffer.concat(parts);
}

export async function captureBodyResponse(
  found: CaptureBodyHead,
  fileBase: string,
  decode: readonly TServerEncoding[] | undefined,
): Promise<Response> {
  let body: BodyInit;
  let truncated = false;
  if (decode) {
    try {
      const decoded = await decodeBodyCapped(await wholeBody(found), decode, DECODE_CAP);
      body = new Uint8Array(decoded.bytes);
      truncated = decoded.truncated;
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw new AppError("BAD_REQUEST", `The body is not valid ${decode.join(", ")}: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    body = bodyStream(found);
  }
  return new Response(body, {
    headers: {
      // Captured bytes are attacker-controlled: the original type is kept for tools like curl,
      // while attachment + nosniff + a sandbox CSP keep browsers from rendering them.
      "Content-Type": found.contentType ?? "application/octet-stream",
      "Content-Disposition": `attachment; filename="${fileBase}${decode ? ".decoded" : ""}.bin"`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "no-store",
      ...(decode ? { "X-Hookscope-Truncated": String(truncated) } : {}),
    },
  });
}
