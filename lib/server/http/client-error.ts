// node:http answers a request it cannot parse (400), whose headers pass maxHeaderSize (431) or
// that did not arrive in time (408) with a bare status line. server.ts gives those answers the
// error envelope like every other error, so a client (or a provider's delivery log) sees why.
// Same rules as node's own handler: answer only on a socket nothing was written to yet, then close.
import "server-only";
import type { Duplex } from "node:stream";
import { ERROR_STATUS, type TErrorCode } from "@/lib/shared/errors/app-error";
import { rawErrorEnvelope } from "./node-response";

const ANSWERS: Record<string, [TErrorCode, string]> = {
  HPE_HEADER_OVERFLOW: ["HEADERS_TOO_LARGE", "The request headers are larger than 16 KiB."],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: ["PAYLOAD_TOO_LARGE", "A chunk extension of the request body is too long."],
  ERR_HTTP_REQUEST_TIMEOUT: ["REQUEST_TIMEOUT", "The request did not arrive in time."],
};
const MALFORMED: [TErrorCode, string] = [
  "BAD_REQUEST",
  "The request is not valid HTTP/1.1: its request line, a header or its body framing is malformed.",
];

/** The `clientError` listener for server.ts. */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  writeClientError(socket, err.code);
  socket.destroy(err);
}

/** Writes the answer to node's error `errorCode` (408 for ERR_HTTP_REQUEST_TIMEOUT), if nothing was written on the socket yet. */
export function writeClientError(socket: Duplex, errorCode: string | undefined): void {
  const s = socket as Duplex & { bytesWritten?: number };
  if (s.writable && (s.bytesWritten ?? 0) === 0) {
    const [code, message] = ANSWERS[errorCode ?? ""] ?? MALFORMED;
    s.write(rawErrorEnvelope(ERROR_STATUS[code], code, message));
  }
}
