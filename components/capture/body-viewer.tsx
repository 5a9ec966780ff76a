"use client";
// The body of one capture: highlighted (JSON pretty-printed, XML, HTML), parsed forms, raw
// text, or a hex dump; gzip/deflate/br decoded on request with the output capped; big bodies
// trimmed head and tail. Every captured byte is rendered as text; the highlighter hands back
// tokens that become text nodes, so nothing here uses innerHTML.
import { memo, useEffect, useMemo, useState, type CSSProperties } from "react";
import type { ThemedToken } from "shiki/core";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import {
  bodyKind,
  HIGHLIGHT_MAX,
  hexDump,
  highlightLanguage,
  prettyJson,
  trimBytes,
  trimText,
  type TBodyKind,
} from "@/lib/shared/format/body";
import { formatBytes } from "@/lib/shared/format/bytes";
import { decodeUtf8 } from "@/lib/shared/format/bytes";
import { mayHide } from "@/lib/shared/format/invisible";
import { bodyEncodings, decodeBody, DECODE_CAP, type TDecoded, type TEncoding } from "@/lib/shared/format/decode";
import { parseMultipart, parseUrlEncoded } from "@/lib/shared/format/form";
import { EscapedText } from "./escaped-text";
import { highlightTokens, type THighlightLang } from "./highlighter";

type TMode = "formatted" | "raw" | "hex";

const PRE = "overflow-auto px-3 py-2 font-mono text-[12.5px] leading-5 whitespace-pre-wrap break-all";
const NOTICE =
  "border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200";

const KIND_LABEL: Record<TBodyKind, string> = {
  empty: "empty",
  json: "JSON",
  xml: "XML",
  html: "HTML",
  urlencoded: "form (urlencoded)",
  multipart: "form (multipart)",
  text: "text",
  binary: "binary",
};

/**
 * Brotli is decoded by the server: `${bodyUrl}?decode=…` (GET /api/captures/:id/body supports it;
 * another body URL must too, or the viewer says it could not decode).
 */
async function decodeOnServer(bodyUrl: string, encodings: readonly TEncoding[]): Promise<TDecoded> {
  const url = `${bodyUrl}${bodyUrl.includes("?") ? "&" : "?"}decode=${encodings.join(",")}`;
  const res = await fetch(url, { cache: "no-store" });
  if (!res.ok) {
    const err = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    return { ok: false, error: err?.error?.message ?? `The server could not decode the body (${res.status}).` };
  }
  return { ok: true, bytes: new Uint8Array(await res.arrayBuffer()), truncated: res.headers.get("X-Hookscope-Truncated") === "true" };
}

const nonFatalUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

export interface BodyViewerProps {
  bytes: Uint8Array;
  /** The body as UTF-8 when it is valid UTF-8 (as the API sends it), else null. */
  text: string | null;
  contentType: string | null;
  /** The request headers: Content-Encoding says what can be decoded. */
  headers: readonly (readonly [string, unknown])[];
  /** Where the exact bytes download from. */
  bodyUrl: string;
  fileName: string;
}

export function BodyViewer({ bytes, text, contentType, headers, bodyUrl, fileName }: BodyViewerProps) {
  const encodings = useMemo(() => bodyEncodings(headers, bytes), [headers, bytes]);
  const [decoded, setDecoded] = useState<TDecoded | null>(null);
  const [decoding, setDecoding] = useState(false);

  const viewBytes = decoded?.ok ? decoded.bytes : bytes;
  const viewText = useMemo(() => (decoded?.ok ? decodeUtf8(decoded.bytes) : text), [decoded, text]);
  const kind = useMemo(() => bodyKind(contentType, viewBytes, viewText), [contentType, viewBytes, viewText]);
  const defaultMode: TMode = kind === "binary" ? "hex" : kind === "text" || kind === "empty" ? "raw" : "formatted";
  const [chosen, setChosen] = useState<TMode | null>(null);
  const mode = chosen ?? defaultMode;
  const formattedAvailable = kind !== "binary" && kind !== "text" && kind !== "empty";

  const decode = async () => {
    setDecoding(true);
    try {
      setDecoded(await decodeBody(bytes, encodings, { remote: (encs) => decodeOnServer(bodyUrl, encs) }));
      setChosen(null);
    } finally {
      setDecoding(false);
    }
  };

  return (
    <div data-testid="body-viewer" data-kind={kind} className="overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800">
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 bg-zinc-50 px-2 py-1.5 dark:border-zinc-800 dark:bg-zinc-900/60">
        {/* A group of pressed/unpressed buttons, not tabs: there are no tab panels to point at. */}
        <div role="group" aria-label="Body view" className="flex rounded-md border border-zinc-200 p-0.5 dark:border-zinc-700">
          {(["formatted", "raw", "hex"] as const).map((m) => (
            <button
              key={m}
              type="button"
              aria-pressed={mode === m}
              data-testid={`body-mode-${m}`}
              disabled={m === "formatted" && !formattedAvailable}
              onClick={() => setChosen(m)}
              className={`rounded px-2 py-0.5 text-xs font-medium ${
                mode === m
                  ? "bg-white shadow-sm dark:bg-zinc-700"
                  : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
              } disabled:opacity-40`}
            >
              {m === "formatted" ? "Formatted" : m === "raw" ? "Raw" : "Hex"}
            </button>
          ))}
        </div>
        <span className="text-xs text-zinc-500">
          {KIND_LABEL[kind]} · {formatBytes(viewBytes.length)}
          {decoded?.ok ? ` decoded from ${formatBytes(bytes.length)}` : ""}
        </span>
        <div className="ml-auto flex items-center gap-1">
          {encodings.length > 0 &&
            (decoded ? (
              <button type="button" className={buttonClass("ghost", "", "sm")} onClick={() => setDecoded(null)} data-testid="undecode-body">
                Show as received
              </button>
            ) : (
              <button
                type="button"
                className={buttonClass("secondary", "", "sm")}
                onClick={() => void decode()}
                disabled={decoding}
                data-testid="decode-body"
                title={`Content-Encoding: ${encodings.join(", ")}. Output is capped at ${formatBytes(DECODE_CAP)}.`}
              >
                {decoding ? "Decoding…" : `Decode ${encodings.join(" + ")}`}
              </button>
            ))}
          <ClipboardButton
            text={viewText ?? ""}
            disabled={viewText === null || viewBytes.length === 0}
            label="Copy body"
            copiedMessage="Copied body"
            size="sm"
            variant="ghost"
            testId="copy-body"
          />
          <a href={bodyUrl} download={fileName} className={buttonClass("ghost", "", "sm")} data-testid="download-body">
            Download
          </a>
        </div>
      </div>

      {decoded && !decoded.ok && (
        <p role="alert" data-testid="decode-notice" className={NOTICE}>
          {decoded.error}
        </p>
      )}
      {decoded?.ok && (
        <p data-testid="decode-notice" data-truncated={decoded.truncated} className={NOTICE}>
          Decoded from {encodings.join(" + ")}.{" "}
          {decoded.truncated
            ? `The decoded output is cut at ${formatBytes(DECODE_CAP)}: the rest was not decoded (a body that expands this much may be a compression bomb). Download the body for all of it.`
            : `${formatBytes(bytes.length)} as received, ${formatBytes(decoded.bytes.length)} decoded.`}
        </p>
      )}

      {viewBytes.length === 0 ? (
        <p data-testid="body-empty" className="px-3 py-3 text-sm text-zinc-500">
          No body.
        </p>
      ) : mode === "hex" ? (
        <HexView bytes={viewBytes} bodyUrl={bodyUrl} fileName={fileName} />
      ) : mode === "raw" || !formattedAvailable ? (
        <RawView
          text={viewText ?? nonFatalUtf8.decode(viewBytes.length > 4 * 1024 * 1024 ? viewBytes.subarray(0, 4 * 1024 * 1024) : viewBytes)}
          total={viewBytes.length}
          bodyUrl={bodyUrl}
          fileName={fileName}
          binary={viewText === null}
        />
      ) : (
        <FormattedView
          kind={kind}
          bytes={viewBytes}
          text={viewText ?? ""}
          contentType={contentType}
          bodyUrl={bodyUrl}
          fileName={fileName}
        />
      )}
    </div>
  );
}

function TrimmedNotice({
  shown,
  total,
  bodyUrl,
  fileName,
  unit,
}: {
  shown: string;
  total: number;
  bodyUrl: string;
  fileName: string;
  unit: string;
}) {
  return (
    <p data-testid="body-trimmed-notice" className={NOTICE}>
      Large body: showing {shown} of {formatBytes(total)}
      {unit}; the middle is left out here.{" "}
      <a href={bodyUrl} download={fileName} className="font-medium underline">
        Download the whole body
      </a>
      .
    </p>
  );
}

const RawView = memo(function RawView({
  text,
  total,
  bodyUrl,
  fileName,
  binary,
  notice,
}: {
  text: string;
  total: number;
  bodyUrl: string;
  fileName: string;
  binary?: boolean;
  notice?: string;
}) {
  const t = useMemo(() => trimText(text), [text]);
  return (
    <>
      {notice && (
        <p data-testid="body-fallback-notice" className={NOTICE}>
          {notice}
        </p>
      )}
      {binary && <p className={NOTICE}>Not valid UTF-8: invalid bytes are shown as �. The Hex view shows every byte.</p>}
      {t.omitted > 0 && (
        <TrimmedNotice
          shown={`the first ${formatBytes(t.head.length)} and the last ${formatBytes(t.tail.length)} characters`}
          total={total}
          unit=""
          bodyUrl={bodyUrl}
          fileName={fileName}
        />
      )}
      <pre data-testid="body-raw" className={`${PRE} max-h-[70vh]`}>
        <EscapedText text={t.head} multiline />
        {t.omitted > 0 && (
          <>
            <span className="my-1 block border-y border-dashed border-zinc-300 py-1 text-center font-sans text-xs text-zinc-500 dark:border-zinc-700">
              … {t.omitted.toLocaleString("en")} characters not shown …
            </span>
            <EscapedText text={t.tail} multiline />
          </>
        )}
      </pre>
    </>
  );
});

const HexView = memo(function HexView({ bytes, bodyUrl, fileName }: { bytes: Uint8Array; bodyUrl: string; fileName: string }) {
  const t = useMemo(() => trimBytes(bytes), [bytes]);
  const head = useMemo(() => hexDump(t.head), [t]);
  const tail = useMemo(() => (t.omitted ? hexDump(t.tail, t.tailOffset) : ""), [t]);
  return (
    <>
      {t.omitted > 0 && (
        <TrimmedNotice
          shown={`the first ${formatBytes(t.head.length)} and the last ${formatBytes(t.tail.length)}`}
          total={bytes.length}
          unit=""
          bodyUrl={bodyUrl}
          fileName={fileName}
        />
      )}
      <pre data-testid="body-hex" className={`${PRE} max-h-[70vh] whitespace-pre`}>
        {head}
        {t.omitted > 0 && (
          <>
            {"\n"}
            <span className="my-1 block border-y border-dashed border-zinc-300 py-1 font-sans text-xs text-zinc-500 dark:border-zinc-700">
              … {formatBytes(t.omitted)} not shown …
            </span>
            {tail}
          </>
        )}
      </pre>
    </>
  );
});

function FormattedView({
  kind,
  bytes,
  text,
  contentType,
  bodyUrl,
  fileName,
}: {
  kind: TBodyKind;
  bytes: Uint8Array;
  text: string;
  contentType: string | null;
  bodyUrl: string;
  fileName: string;
}) {
  const lang = highlightLanguage(kind);
  const pretty = useMemo(() => (kind === "json" ? prettyJson(text) : null), [kind, text]);
  if (kind === "urlencoded") return <UrlEncodedFields text={text} />;
  if (kind === "multipart") return <MultipartFields contentType={contentType} bytes={bytes} />;
  const code = pretty?.ok ? pretty.text : text;
  const fallback = pretty && !pretty.ok ? pretty.reason : undefined;
  if (!lang || fallback || code.length > HIGHLIGHT_MAX) {
    const why =
      fallback ??
      (lang && code.length > HIGHLIGHT_MAX
        ? `Not highlighted: over ${formatBytes(HIGHLIGHT_MAX)} of text is shown plain to keep the page fast.`
        : undefined);
    return <RawView text={code} total={bytes.length} bodyUrl={bodyUrl} fileName={fileName} notice={why} />;
  }
  return <HighlightedCode key={code} code={code} lang={lang} />;
}

function HighlightedCode({ code, lang }: { code: string; lang: THighlightLang }) {
  const [tokens, setTokens] = useState<ThemedToken[][] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const stop = new AbortController();
    highlightTokens(code, lang, stop.signal).then(
      (t) => !stop.signal.aborted && setTokens(t),
      () => !stop.signal.aborted && setFailed(true),
    );
    return () => stop.abort();
  }, [code, lang]);
  return (
    <pre
      data-testid="body-highlighted"
      data-highlighted={tokens ? "true" : failed ? "failed" : "pending"}
      className={`hs-code ${PRE} max-h-[70vh]`}
    >
      {tokens ? (
        tokens.map((line, i) => (
          <span key={i}>
            {line.map((tk, j) => (
              <span key={j} style={tk.htmlStyle as CSSProperties | undefined}>
                {/* Most tokens hold no hidden character: plain strings keep 30,000 tokens cheap to render. */}
                {mayHide(tk.content) ? <EscapedText text={tk.content} multiline /> : tk.content}
              </span>
            ))}
            {i < tokens.length - 1 ? "\n" : null}
          </span>
        ))
      ) : (
        <EscapedText text={code} multiline />
      )}
    </pre>
  );
}

const TABLE = "w-full border-collapse text-left text-[12.5px]";
const TH = "border-b border-zinc-200 px-3 py-1.5 text-xs font-medium text-zinc-500 dark:border-zinc-800";
const TD = "border-b border-zinc-100 px-3 py-1 align-top font-mono break-all dark:border-zinc-900";

function UrlEncodedFields({ text }: { text: string }) {
  const { fields, omitted } = useMemo(() => parseUrlEncoded(text), [text]);
  return (
    <div data-testid="body-form-fields" className="max-h-[70vh] overflow-auto">
      <table className={TABLE}>
        <thead>
          <tr>
            <th className={`${TH} w-1/3`}>Field</th>
            <th className={TH}>Value</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => (
            <tr key={i} data-testid="form-field">
              <td className={TD}>
                <EscapedText text={f.name} />
              </td>
              <td className={TD}>
                <EscapedText text={f.value} />
                {f.malformed && (
                  <span className="ml-2 font-sans text-xs text-amber-700 dark:text-amber-300">(bad percent-encoding, shown as sent)</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {omitted > 0 && (
        <p className="px-3 py-1.5 text-xs text-zinc-500">
          {omitted.toLocaleString("en")} more fields not listed; the Raw view has them all.
        </p>
      )}
    </div>
  );
}

const PREVIEW_CHARS = 2000;

function MultipartFields({ contentType, bytes }: { contentType: string | null; bytes: Uint8Array }) {
  const { parts, omitted, problem } = useMemo(() => parseMultipart(contentType, bytes), [contentType, bytes]);
  return (
    <div data-testid="body-form-fields" className="max-h-[70vh] overflow-auto">
      {problem && <p className={NOTICE}>{problem}</p>}
      <table className={TABLE}>
        <thead>
          <tr>
            <th className={`${TH} w-1/4`}>Field</th>
            <th className={TH}>Content</th>
            <th className={`${TH} w-24 text-right`}>Size</th>
          </tr>
        </thead>
        <tbody>
          {parts.map((p, i) => (
            <tr key={i} data-testid="form-field" data-file={p.filename !== null}>
              <td className={TD}>
                <EscapedText text={p.name ?? "(no name)"} />
              </td>
              <td className={TD}>
                {p.filename !== null && (
                  <div className="font-sans text-xs text-zinc-500">
                    file{" "}
                    <span className="font-mono text-zinc-800 dark:text-zinc-200">
                      <EscapedText text={p.filename} />
                    </span>
                    {p.contentType && (
                      <>
                        {" · "}
                        <EscapedText text={p.contentType} />
                      </>
                    )}
                  </div>
                )}
                {p.text !== null ? (
                  <span className="whitespace-pre-wrap">
                    <EscapedText text={p.text.length > PREVIEW_CHARS ? `${p.text.slice(0, PREVIEW_CHARS)}…` : p.text} multiline />
                  </span>
                ) : (
                  <span className="font-sans text-xs text-zinc-500">binary content (Hex view shows the whole body)</span>
                )}
              </td>
              <td className={`${TD} text-right font-sans tabular-nums`}>{formatBytes(p.size)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {omitted > 0 && <p className="px-3 py-1.5 text-xs text-zinc-500">{omitted.toLocaleString("en")} more parts not listed.</p>}
    </div>
  );
}
