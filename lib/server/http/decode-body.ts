// Content-Encoding decoding on the server, for what browsers cannot decode themselves (brotli:
// DecompressionStream has no "br"). Streamed through node's zlib and stopped at the cap, so a
// compression bomb costs at most the cap in memory and a little CPU.
import "server-only";
import { Readable } from "node:stream";
import zlib from "node:zlib";

export type TServerEncoding = "gzip" | "deflate" | "br";

function decoder(encoding: TServerEncoding): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress {
  if (encoding === "gzip") return zlib.createGunzip();
  if (encoding === "br") return zlib.createBrotliDecompress();
  return zlib.createInflate();
}

async function decodeOne(input: Buffer, encoding: TServerEncoding, cap: number): Promise<{ bytes: Buffer; truncated: boolean }> {
  const attempt = async (stream: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    Readable.from([input]).pipe(stream);
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (size + chunk.length > cap) {
          chunks.push(chunk.subarray(0, cap - size));
          size = cap;
          truncated = true;
          break;
        }
        chunks.push(chunk);
        size += chunk.length;
      }
    } finally {
      stream.destroy();
    }
    return { bytes: Buffer.concat(chunks, size), truncated };
  };
  if (encoding !== "deflate") return attempt(decoder(encoding));
  // HTTP's "deflate" is zlib-wrapped, but some senders use raw deflate: try both.
  try {
    return await attempt(zlib.createInflate());
  } catch {
    return attempt(zlib.createInflateRaw());
  }
}

/**
 * Undoes `encodings` (listed in the order they were applied, as in Content-Encoding), each step's
 * output capped at `cap` bytes. Throws with zlib's message when the bytes are not what they claim.
 */
export async function decodeBodyCapped(
  body: Buffer,
  encodings: readonly TServerEncoding[],
  cap: number,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  let current = { bytes: body, truncated: false };
  for (const enc of [...encodings].reverse()) {
    const next = await decodeOne(current.bytes, enc, cap);
    current = { bytes: next.bytes, truncated: current.truncated || next.truncated };
  }
  return current;
}
