// Content-Encoding decoding for the body viewer, with the output capped: a 50 KiB gzip bomb
// that expands to 50 MiB must cost at most the cap in memory and time, never the tab.
// gzip and deflate go through the platform's DecompressionStream read chunk by chunk (stopped at
// the cap). Browsers offer no brotli there, and the JavaScript brotli decoders grow their output
// to whatever the stream declares (no cap), so brotli is decoded by the server
// (GET /api/captures/:id/body?decode=br, lib/server/http/decode-body.ts) through `remote`.

/** Decoded output shown at most. */
export const DECODE_CAP = 1024 * 1024;

export type TEncoding = "gzip" | "deflate" | "br";

export type TDecoded = { ok: true; bytes: Uint8Array; truncated: boolean } | { ok: false; error: string };

/**
 * The encodings applied to the body, in the order they were applied, from Content-Encoding
 * (`gzip`, `x-gzip`, `deflate`, `br`); also gzip by magic bytes when no header says so (a
 * `.gz` upload). Empty when there is nothing we can decode; `identity` is skipped.
 */
export function bodyEncodings(headers: readonly (readonly [string, unknown])[], bytes: Uint8Array): TEncoding[] {
  const values = headers.filter(([k, v]) => k.toLowerCase() === "content-encoding" && typeof v === "string").map(([, v]) => v as string);
  const tokens = values
    .join(",")
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t && t !== "identity");
  const known = tokens.map((t) => (t === "gzip" || t === "x-gzip" ? "gzip" : t === "deflate" ? "deflate" : t === "br" ? "br" : null));
  if (known.length && known.every((k) => k !== null)) return known as TEncoding[];
  if (!tokens.length && bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return ["gzip"];
  return [];
}

async function readCapped(stream: ReadableStream<Uint8Array>, cap: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.length > cap) {
      chunks.push(value.subarray(0, cap - size));
      size = cap;
      truncated = true;
      await reader.cancel().catch(() => {});
      break;
    }
    chunks.push(value);
    size += value.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { bytes: out, truncated };
}

async function inflate(bytes: Uint8Array, format: CompressionFormat, cap: number) {
  const input = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  return readCapped(input.pipeThrough(new DecompressionStream(format)) as ReadableStream<Uint8Array>, cap);
}

async function decodeOne(bytes: Uint8Array, encoding: TEncoding, cap: number): Promise<TDecoded> {
  try {
    if (encoding === "gzip") return { ok: true, ...(await inflate(bytes, "gzip", cap)) };
    if (encoding === "deflate") {
      // HTTP's "deflate" is zlib-wrapped, but some senders use raw deflate: try both.
      try {
        return { ok: true, ...(await inflate(bytes, "deflate", cap)) };
      } catch {
        return { ok: true, ...(await inflate(bytes, "deflate-raw", cap)) };
      }
    }
    throw new Error("brotli is decoded by the server; no remote decoder was given");
  } catch (e) {
    const why = e instanceof Error && e.message ? e.message : String(e);
    return { ok: false, error: `Could not decode ${encoding}: ${why}` };
  }
}

/** Decodes a whole chain elsewhere (the server): resolves to the capped result. */
export type TRemoteDecoder = (encodings: readonly TEncoding[]) => Promise<TDecoded>;

/**
 * Undoes the encodings (last applied first), each step capped at `cap` bytes of output. A chain
 * that involves brotli goes to `remote` whole.
 */
export async function decodeBody(
  bytes: Uint8Array,
  encodings: readonly TEncoding[],
  opts: { cap?: number; remote?: TRemoteDecoder } = {},
): Promise<TDecoded> {
  const cap = opts.cap ?? DECODE_CAP;
  if (encodings.includes("br") && opts.remote) {
    try {
      return await opts.remote(encodings);
    } catch (e) {
      return { ok: false, error: `Could not decode ${encodings.join(", ")}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
  let current: TDecoded = { ok: true, bytes, truncated: false };
  for (const enc of [...encodings].reverse()) {
    if (!current.ok) return current;
    const wasTruncated = current.truncated;
    current = await decodeOne(current.bytes, enc, cap);
    if (current.ok && wasTruncated) current = { ...current, truncated: true };
  }
  return current;
}
