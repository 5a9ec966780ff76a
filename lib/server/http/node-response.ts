// The error envelope ({ error: { code, message } }) for answers written on node:http directly,
// outside Next's route handlers (which use respond.ts): on a ServerResponse (server.ts' refusals,
// capture, metrics), or as raw HTTP/1.1 bytes on a socket node has not parsed a request from
// (clientError, the per-address connection cap). Callers add the headers their answer needs.
import "server-only";
import http from "node:http";
import type { ServerResponse } from "node:http";
import { errorBody, type TErrorCode } from "@/lib/shared/errors/app-error";

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

/** The envelope's text and the headers that describe it, then `headers`. */
function envelope(code: TErrorCode, message: string, headers: Record<string, string>) {
  const body = JSON.stringify(errorBody(code, message));
  return { body, headers: { "Content-Type": JSON_CONTENT_TYPE, "Content-Length": String(Buffer.byteLength(body)), ...headers } };
}

/** Answers `res` with the envelope (node leaves the body out for HEAD). */
export function writeErrorEnvelope(
  res: ServerResponse,
  status: number,
  code: TErrorCode,
  message: string,
  headers: Record<string, string> = {},
): void {
  const answer = envelope(code, message, headers);
  res.writeHead(status, answer.headers);
  res.end(answer.body);
}

/** The same answer as the bytes of a whole HTTP/1.1 response, for a raw socket; always Connection: close. */
export function rawErrorEnvelope(status: number, code: TErrorCode, message: string, headers: Record<string, string> = {}): string {
  const answer = envelope(code, message, { ...headers, Connection: "close" });
  const lines = Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ""}\r\n${lines.join("")}\r\n${answer.body}`;
}
