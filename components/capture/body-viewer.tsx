"use client";
// The body of one capture: the frame around the body views (components/capture/body-views/:
// the JSON tree, highlighted JSON/XML/HTML, form fields, raw text, hex): the toolbar of view
// buttons, find in body (for views that can search), the body's kind and size, decoding gzip/deflate/br on request with the output capped, copy and
// download. Every captured byte is rendered as text; nothing here or in a view uses innerHTML.
import { useMemo, useState, type KeyboardEvent } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { bodyKind, type TBodyKind } from "@/lib/shared/format/body";
import { decodeUtf8, formatBytes } from "@/lib/shared/format/bytes";
import { bodyEncodings, decodeBody, DECODE_CAP, type TDecoded, type TEncoding } from "@/lib/shared/format/decode";
import { BODY_VIEWS, chooseBodyView, FIND_MAX, NOTICE } from "./body-views";

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
  /** Set when `bytes` is only the first part of the body (the capture detail's preview): the bar offers the rest. */
  preview?: TBodyPreviewBar | null;
}

export interface TBodyPreviewBar {
  /** Bytes of the whole body. */
  total: number;
  loading: boolean;
  error: string | null;
  onLoadAll: () => void;
}

export function BodyViewer({ bytes, text, contentType, headers, bodyUrl, fileName, preview = null }: BodyViewerProps) {
  const encodings = useMemo(() => bodyEncodings(headers, bytes), [headers, bytes]);
  const [decoded, setDecoded] = useState<TDecoded | null>(null);
  const [decoding, setDecoding] = useState(false);

  const viewBytes = decoded?.ok ? decoded.bytes : bytes;
  const viewText = useMemo(() => (decoded?.ok ? decodeUtf8(decoded.bytes) : text), [decoded, text]);
  const kind = useMemo(() => bodyKind(contentType, viewBytes, viewText), [contentType, viewBytes, viewText]);
  const [chosen, setChosen] = useState<string | null>(null);
  const { modes, mode, view } = chooseBodyView(BODY_VIEWS, { kind, contentType }, chosen);
  const [query, setQuery] = useState("");
  const [current, setCurrent] = useState(0);
  const [count, setCount] = useState(0);
  const findable = view.findable === true;
  const find = useMemo(() => (findable && query ? { query, current, onCount: setCount } : undefined), [findable, query, current]);
  const matches = find ? count : 0;
  const at = matches > 0 ? (((current % matches) + matches) % matches) + 1 : 0;
  const step = (by: number) => setCurrent((c) => c + by);
  const onFindKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter") {
      e.preventDefault();
      step(e.shiftKey ? -1 : 1);
    } else if (e.key === "Escape" && query) {
      e.preventDefault();
      setQuery("");
    }
  };

  const decode = async () => {
    setDecoding(true);
    try {
      // A preview is a cut compressed stream: the server decodes the stored bytes instead.
      const remote = (encs: readonly TEncoding[]) => decodeOnServer(bodyUrl, encs);
      setDecoded(
        preview
          ? await remote(encodings).catch((e: unknown) => ({ ok: false as const, error: `Could not decode: ${String(e)}` }))
          : await decodeBody(bytes, encodings, { remote }),
      );
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
          {modes.map((m) => (
            <button
              key={m.id}
              type="button"
              aria-pressed={mode === m.id}
              data-testid={`body-mode-${m.id}`}
              disabled={!m.available}
              onClick={() => {
                setChosen(m.id);
                setCurrent(0);
              }}
              className={`rounded px-2 py-0.5 text-xs font-medium ${
                mode === m.id
                  ? "bg-white shadow-sm dark:bg-zinc-700"
                  : "text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
              } disabled:opacity-40`}
            >
              {m.label}
            </button>
          ))}
        </div>
        <span className="text-xs text-zinc-500">
          {KIND_LABEL[kind]} · {formatBytes(decoded?.ok ? viewBytes.length : (preview?.total ?? viewBytes.length))}
          {decoded?.ok ? ` decoded from ${formatBytes(preview?.total ?? bytes.length)}` : ""}
        </span>
        {findable && viewBytes.length > 0 && (
          <div role="search" className="flex items-center gap-1" data-testid="body-find">
            <input
              type="search"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setCurrent(0);
              }}
              onKeyDown={onFindKey}
              placeholder="Find in body"
              aria-label="Find in body"
              data-testid="body-find-input"
              className="w-36 rounded-md border border-zinc-300 bg-white px-2 py-0.5 text-xs dark:border-zinc-700 dark:bg-zinc-900"
            />
            {query && (
              <>
                <span
                  className="min-w-16 text-xs text-zinc-600 tabular-nums dark:text-zinc-400"
                  aria-live="polite"
                  data-testid="body-find-count"
                >
                  {matches === 0 ? "No matches" : `${at} of ${matches.toLocaleString("en")}${matches >= FIND_MAX ? "+" : ""}`}
                </span>
                <button
                  type="button"
                  className={buttonClass("ghost", "", "sm")}
                  aria-label="Previous match"
                  title="Previous match (Shift+Enter)"
                  disabled={matches === 0}
                  onClick={() => step(-1)}
                  data-testid="body-find-prev"
                >
                  ↑
                </button>
                <button
                  type="button"
                  className={buttonClass("ghost", "", "sm")}
                  aria-label="Next match"
                  title="Next match (Enter)"
                  disabled={matches === 0}
                  onClick={() => step(1)}
                  data-testid="body-find-next"
                >
                  ↓
                </button>
              </>
            )}
          </div>
        )}
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
            disabled={viewText === null || viewBytes.length === 0 || (preview !== null && !decoded?.ok)}
            title={preview && !decoded?.ok ? "Load all first: only the first part of the body is here" : undefined}
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

      {preview && (
        <div data-testid="body-preview-bar" className={`${NOTICE} flex flex-wrap items-center gap-x-2 gap-y-1`}>
          <span>
            Showing the first {formatBytes(bytes.length)} of {formatBytes(preview.total)}
          </span>
          <span aria-hidden="true">·</span>
          <button
            type="button"
            className="font-medium underline disabled:no-underline disabled:opacity-60"
            onClick={preview.onLoadAll}
            disabled={preview.loading}
            data-testid="body-load-all"
          >
            {preview.loading ? `Loading ${formatBytes(preview.total)}…` : `Load all (${formatBytes(preview.total)})`}
          </button>
          <span aria-hidden="true">·</span>
          <a href={bodyUrl} download={fileName} className="font-medium underline">
            Download
          </a>
          {preview.error && (
            <span role="alert" className="text-red-700 dark:text-red-300">
              {preview.error}
            </span>
          )}
        </div>
      )}
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
      ) : (
        <view.Component
          kind={kind}
          contentType={contentType}
          bytes={viewBytes}
          text={viewText}
          bodyUrl={bodyUrl}
          fileName={fileName}
          find={find}
          partial={preview !== null && !decoded?.ok}
        />
      )}
    </div>
  );
}
