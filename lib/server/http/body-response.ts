// A capture's body as a download: the exact bytes, or with Content-Encodings undone (?decode=,
// capped at DECODE_CAP). One answer for the dashboard's body route and the share link's.
import "server-only";
import { DECODE_CAP } from "@/lib/shared/format/decode";
import { AppError } from "@/lib/shared/errors/app-error";
import { decodeBodyCapped, type TServerEncoding } from "./decode-body";

export async function captureBodyResponse(
  found: { body: Buffer; contentType: string | null },
  fileBase: string,
  decode: readonly TServerEncoding[] | undefined,
): Promise<Response> {
  let body = found.body;
  let truncated = false;
  if (decode) {
    try {
      ({ bytes: body, truncated } = await decodeBodyCapped(found.body, decode, DECODE_CAP));
    } catch (e) {
      throw new AppError("BAD_REQUEST", `The body is not valid ${decode.join(", ")}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return new Response(new Uint8Array(body), {
    headers: {
      // Captured bytes are attacker-controlled: the original type is kept for tools like curl,
      // while attachment + nosniff + a sandbox CSP keep browsers from rendering them.
      "Content-Type": found.contentType ?? "application/octet-stream",
      "Content-Disposition": `attachment; filename="${fileBase}${decode ? ".decoded" : ""}.bin"`,
      "Content-Length": String(body.length),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "no-store",
      ...(decode ? { "X-Hookscope-Truncated": String(truncated) } : {}),
    },
  });
}
