// "Copy as cURL / fetch / HTTPie": commands that send the captured request again, byte for byte
// where the tool allows it. Captured strings are attacker-controlled and end up pasted into a
// shell or an editor, so every byte outside printable ASCII is written as an escape: nothing a
// sender chose can break out of its quotes, run a command, or hide behind a bidi override.
import { bytesToBase64, decodeUtf8, latin1ToBytes } from "./bytes";
import { headerDisplayValue } from "./header";

export interface TRequestSpec {
  method: string;
  /** Absolute URL the request was sent to: the capture URL, path and query as sent (a latin1 byte string, like header values). */
  url: string;
  /** Header names and values as captured (values: node's latin1 reading of the wire bytes); null = redacted. */
  headers: readonly (readonly [string, string | null])[];
  body: Uint8Array;
  /** "1.0" or "1.1". */
  httpVersion?: string;
  /** File name the user saves the body under when it cannot be inlined. */
  bodyFileName: string;
}

/** Bodies up to this size without NUL bytes are written into the command; larger ones are read from a file. */
export const INLINE_BODY_MAX = 64 * 1024;

/** Placeholder sent in place of a redacted header value. */
export const REDACTED_PLACEHOLDER = "REDACTED";

// Headers the tools compute themselves from the URL and body; sending the captured ones would
// be wrong (Host names the capture server) or break the framing (Content-Length, chunking).
const SKIP = new Set(["host", "content-length", "transfer-encoding"]);

function present(spec: TRequestSpec, name: string): boolean {
  return spec.headers.some(([k]) => k.toLowerCase() === name);
}

/** Whether the body must come from a file: too big for a command line, or holding a NUL (no shell string can). */
export function bodyNeedsFile(body: Uint8Array): boolean {
  return body.length > INLINE_BODY_MAX || body.includes(0);
}

/**
 * A shell word that stands for exactly these bytes: '…' for printable ASCII, otherwise bash/zsh
 * ANSI-C quoting $'…' with \xHH for every other byte (so UTF-8 stays byte-exact and no control,
 * bidi or zero-width character reaches the terminal). The bytes must hold no NUL.
 */
export function shellQuoteBytes(bytes: Uint8Array): string {
  let printable = true;
  for (const b of bytes) if (b < 0x20 || b > 0x7e) printable = false;
  if (printable) {
    let s = "";
    for (const b of bytes) s += b === 0x27 ? `'\\''` : String.fromCharCode(b);
    return `'${s}'`;
  }
  let s = "";
  for (const b of bytes) {
    if (b === 0x5c) s += "\\\\";
    else if (b === 0x27) s += "\\'";
    else if (b >= 0x20 && b <= 0x7e) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return `$'${s}'`;
}

/** A shell word for a JS string: UTF-8 bytes. */
export function shellQuote(text: string): string {
  return shellQuoteBytes(new TextEncoder().encode(text));
}

/** A header value's wire bytes (values are stored as latin1 readings; anything above 0xFF is taken as UTF-8). */
function valueBytes(value: string): Uint8Array {
  return latin1ToBytes(value) ?? new TextEncoder().encode(value);
}

function headerValue(value: string | null): string {
  return value ?? REDACTED_PLACEHOLDER;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const ascii = (s: string) => new TextEncoder().encode(s);

function notes(spec: TRequestSpec, fileBody: boolean): string[] {
  const out: string[] = [];
  if (fileBody) out.push(`# Save the body as ${spec.bodyFileName} first (Download body), then run this in that folder.`);
  if (spec.headers.some(([, v]) => v === null))
    out.push(`# Redacted header values are sent as ${REDACTED_PLACEHOLDER}: put the real ones in.`);
  return out;
}

/**
 * curl that repeats the request: same method, URL (path as is, no globbing), headers in the
 * captured order and case (an empty value as `Name;`), and the exact body bytes. Headers curl
 * would add on its own (User-Agent, Accept, a form Content-Type, Expect) are switched off when
 * the original had none.
 */
export function toCurl(spec: TRequestSpec): string {
  const fileBody = spec.body.length > 0 && bodyNeedsFile(spec.body);
  const args: string[] = ["curl", "--path-as-is", "--globoff"];
  if (spec.httpVersion === "1.0") args.push("--http1.0");
  else if (spec.url.startsWith("https:")) args.push("--http1.1"); // HTTP/2 would lower-case the names
  if (spec.method === "HEAD") args.push("--head");
  else args.push("-X", shellQuote(spec.method));
  args.push(shellQuoteBytes(valueBytes(spec.url)));
  const lines = [args.join(" ")];
  for (const [name, value] of spec.headers) {
    if (SKIP.has(name.toLowerCase())) continue;
    const v = headerValue(value);
    lines.push(`-H ${shellQuoteBytes(v === "" ? ascii(`${name};`) : concat(valueBytes(`${name}: `), valueBytes(v)))}`);
  }
  const unset = (name: string) => !present(spec, name.toLowerCase()) && lines.push(`-H ${shellQuote(`${name}:`)}`);
  unset("User-Agent");
  unset("Accept");
  if (spec.body.length) {
    unset("Content-Type");
    unset("Expect");
    // --data-raw, never --data-binary, for an inline body: --data-binary reads a body that starts with @ from that file.
    lines.push(fileBody ? `--data-binary ${shellQuote(`@${spec.bodyFileName}`)}` : `--data-raw ${shellQuoteBytes(spec.body)}`);
  }
  return [...notes(spec, fileBody), lines.join(" \\\n  ")].join("\n");
}

// HTTPie request items pick their kind from the separator after the name, longest first, so a
// value that starts with @ or = turns `Name:value` into `Name:@file` (the header read from a
// local file) or `Name:=json` (a body field). A backslash escapes one of these characters, and a
// backslash before one of them is dropped (it cannot be written so HTTPie keeps it).
const HTTPIE_SPECIAL = /[:;=@]/;

/** An HTTPie `Name:value` item that HTTPie reads as exactly this header; null when it cannot. */
export function httpieHeaderItem(name: string, value: string): string | null {
  if (/\\[:;=@]/.test(value)) return null;
  const first = value[0] ?? "";
  return `${name}:${HTTPIE_SPECIAL.test(first) ? `\\${first}${value.slice(1)}` : value}`;
}

/** HTTPie (3.x) that repeats the request; HTTPie cannot send header bytes that are not UTF-8. */
export function toHttpie(spec: TRequestSpec): string {
  const fileBody = spec.body.length > 0 && bodyNeedsFile(spec.body);
  // --ignore-stdin: a script's stdin is not a body (a file body comes in through `<`).
  const args: string[] = fileBody ? ["http", "--path-as-is"] : ["http", "--ignore-stdin", "--path-as-is"];
  // --raw=…: the body as given (never a file name), even when it starts with "-".
  if (spec.body.length && !fileBody) args.push(`--raw=${shellQuoteBytes(spec.body)}`);
  // `--` ends the options, so a method or header name that starts with "-" is not read as one.
  args.push("--", shellQuote(spec.method), shellQuoteBytes(valueBytes(spec.url)));
  const lines = [args.join(" ")];
  const inexact: string[] = [];
  for (const [name, value] of spec.headers) {
    if (SKIP.has(name.toLowerCase())) continue;
    const v = headerValue(value);
    // HTTPie reads `Name:value` (empty value: `Name;`) and sends values as UTF-8.
    const bytes = valueBytes(v);
    const text = decodeUtf8(bytes) ?? v;
    if (v === "") {
      lines.push(shellQuote(`${name};`));
      continue;
    }
    const item = httpieHeaderItem(name, text);
    if (item === null) inexact.push(name);
    lines.push(shellQuote(item ?? `${name}:${text.replace(/\\(?=[:;=@])/g, "")}`));
  }
  const unset = (name: string) => !present(spec, name.toLowerCase()) && lines.push(shellQuote(`${name}:`));
  unset("User-Agent");
  unset("Accept");
  unset("Accept-Encoding");
  unset("Connection");
  if (spec.body.length) unset("Content-Type");
  const cmd = lines.join(" \\\n  ") + (fileBody ? ` \\\n  < ${shellQuote(spec.bodyFileName)}` : "");
  const warn = inexact.length
    ? [`# HTTPie drops a backslash before : ; = or @ in a header value, so these go without it: ${inexact.join(", ")}.`]
    : [];
  return [...notes(spec, fileBody), ...warn, cmd].join("\n");
}

/**
 * A JavaScript string literal for text, with every character outside printable ASCII written
 * as \uXXXX (or \xHH), so the literal is exact and shows nothing hidden.
 */
export function jsString(text: string): string {
  let s = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += "\\\\";
    else if (c === 0x0a) s += "\\n";
    else if (c === 0x0d) s += "\\r";
    else if (c === 0x09) s += "\\t";
    else if (c >= 0x20 && c <= 0x7e) s += text[i];
    else if (c <= 0xff) s += `\\x${c.toString(16).padStart(2, "0")}`;
    else s += `\\u${c.toString(16).padStart(4, "0")}`;
  }
  return `${s}"`;
}

/**
 * fetch() that repeats the request (Node.js 18+; browsers refuse some headers such as Cookie
 * and Connection). Header values are byte strings (each character one byte), so they go out
 * exactly as captured; a UTF-8 body goes as a string, any other as bytes.
 */
export function toFetch(spec: TRequestSpec): string {
  // NUL bytes are no problem in JS source (base64), so only size sends the body to a file.
  const fileBody = spec.body.length > INLINE_BODY_MAX;
  const lines: string[] = [];
  if (fileBody) lines.push(`// Save the body as ${spec.bodyFileName} first (Download body); Node.js reads it from there.`);
  if (spec.headers.some(([, v]) => v === null))
    lines.push(`// Redacted header values are sent as ${REDACTED_PLACEHOLDER}: put the real ones in.`);
  lines.push('// Duplicate header names are joined with ", " by fetch\'s Headers.');
  if (fileBody) lines.push('const { readFile } = await import("node:fs/promises");');
  // fetch percent-encodes non-ASCII in URLs as UTF-8, so the path's bytes go as their UTF-8 reading.
  lines.push(`await fetch(${jsString(headerDisplayValue(spec.url))}, {`);
  lines.push(`  method: ${jsString(spec.method)},`);
  const headers = spec.headers.filter(([k]) => !SKIP.has(k.toLowerCase()));
  if (headers.length) {
    lines.push("  headers: [");
    for (const [k, v] of headers) lines.push(`    [${jsString(k)}, ${jsString(headerValue(v))}],`);
    lines.push("  ],");
  }
  if (spec.body.length) {
    const text = decodeUtf8(spec.body);
    if (fileBody) lines.push(`  body: await readFile(${jsString(spec.bodyFileName)}),`);
    else if (text !== null) lines.push(`  body: ${jsString(text)},`);
    else lines.push(`  body: Uint8Array.from(atob(${jsString(bytesToBase64(spec.body))}), (c) => c.charCodeAt(0)),`);
  }
  lines.push("});");
  return lines.join("\n");
}
