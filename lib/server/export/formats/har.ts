// HAR 1.2 export: one stored capture as a HAR entry, and the log around the entries.
//
// HAR choices, where HAR 1.2 has no field for what we store:
// - The request body goes in request.postData.text: as text when it is valid UTF-8 (exact bytes
//   back with UTF-8), else as base64 with the custom field `_encoding: "base64"` (HAR allows
//   custom fields starting with "_"; the same name HAR uses for response bodies).
// - Header names keep their case and order, repeats are separate entries.
// - The response is the one the capture URL answered: status, headers in order and the body as
//   content.text (rebuilt from the response settings revision that answered, see
//   lib/shared/capture/answer.ts); status only, with empty content, where that is not known.
// - `_hookscope` carries the capture id, seq, the client address, oversize and declared length,
//   and the trailer fields after a chunked body (`trailers`, [name, value] pairs; null when none).
import "server-only";
import type { ExportRow } from "@/lib/server/db/capture-export";
import { captureRequestUrl, type ExportEncoder } from "@/lib/server/export/format";

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; params: HarNameValue[]; text: string; _encoding?: "base64" };
    headersSize: number;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: number;
    bodySize: number;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  _hookscope: {
    id: string;
    seq: number;
    remoteAddress: string;
    oversize: boolean;
    declaredLength: number | null;
    trailers: [string, string][] | null;
  };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function asUtf8(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** Query string pairs, decoded as browsers and HAR viewers expect (`+` is a space). */
function queryPairs(query: string | null): HarNameValue[] {
  if (!query) return [];
  return [...new URLSearchParams(query)].map(([name, value]) => ({ name, value }));
}

/** Cookie header(s) as name/value pairs; a part without "=" is a cookie with an empty name, as browsers read it. */
function cookiePairs(headers: ExportRow["headers"]): HarNameValue[] {
  const out: HarNameValue[] = [];
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "cookie") continue;
    for (const part of value.split(";")) {
      const p = part.trim();
      if (!p) continue;
      const eq = p.indexOf("=");
      out.push(eq === -1 ? { name: "", value: p } : { name: p.slice(0, eq).trim(), value: p.slice(eq + 1).trim() });
    }
  }
  return out;
}

const ms = (us: number) => Math.round(us) / 1000;

function harResponse(row: ExportRow, httpVersion: string): HarEntry["response"] {
  const sent = row.response;
  if (!sent) {
    return {
      status: row.responseStatus,
      statusText: "",
      httpVersion,
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: "x-unknown" },
      redirectURL: "",
      headersSize: -1,
      bodySize: -1,
    };
  }
  const header = (name: string) => sent.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  const size = sent.body === null ? 0 : Buffer.byteLength(sent.body);
  return {
    status: sent.status,
    statusText: "",
    httpVersion,
    cookies: [],
    headers: sent.headers.map(([name, value]) => ({ name, value })),
    content: { size, mimeType: header("content-type") ?? "x-unknown", ...(sent.body === null ? {} : { text: sent.body }) },
    redirectURL: header("location") ?? "",
    headersSize: -1,
    bodySize: size,
  };
}

export function harEntry(row: ExportRow, captureUrl: string): HarEntry {
  const httpVersion = `HTTP/${row.httpVersion}`;
  const text = row.body.length ? asUtf8(row.body) : null;
  const entry: HarEntry = {
    startedDateTime: row.receivedAt,
    time: ms(row.durationUs),
    request: {
      method: row.method,
      url: captureRequestUrl(captureUrl, row),
      httpVersion,
      cookies: cookiePairs(row.headers),
      headers: row.headers.map(([name, value]) => ({ name, value })),
      queryString: queryPairs(row.query),
      headersSize: -1,
      bodySize: row.body.length,
    },
    response: harResponse(row, httpVersion),
    cache: {},
    timings: { send: 0, wait: ms(row.durationUs), receive: 0 },
    _hookscope: {
      id: row.id,
      seq: row.seq,
      remoteAddress: row.remoteAddress,
      oversize: row.oversize,
      declaredLength: row.declaredLength,
      trailers: row.trailers,
    },
  };
  if (row.body.length) {
    const mimeType = row.contentType ?? "application/octet-stream";
    entry.request.postData =
      text === null ? { mimeType, params: [], text: row.body.toString("base64"), _encoding: "base64" } : { mimeType, params: [], text };
  }
  return entry;
}

/** The HAR document up to the first entry; entries follow joined by ",", then HAR_CLOSE. */
export function harOpen(opts: { version: string; comment: string }): string {
  const head = JSON.stringify({
    log: { version: "1.2", creator: { name: "Hookscope", version: opts.version }, comment: opts.comment, entries: [] },
  });
  // Cut at the empty entries array: everything before "[]}}" is the prefix.
  return `${head.slice(0, -"]}}".length)}`;
}

export const HAR_CLOSE = "]}}";

export const har: ExportEncoder<"har"> = {
  id: "har",
  contentType: "application/json; charset=utf-8",
  extension: "har",
  open: (ctx) => harOpen({ version: ctx.version, comment: `Captures of ${ctx.captureUrl}, oldest first` }),
  entry: (row, ctx, index) => `${index === 0 ? "" : ","}${JSON.stringify(harEntry(row, ctx.captureUrl))}`,
  close: () => HAR_CLOSE,
};
