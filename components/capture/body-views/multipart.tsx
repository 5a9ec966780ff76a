"use client";
// Formatted multipart forms: one row per part (name, file name, type, size), a text preview for
// text parts, a picture for image parts, and each part downloadable under its file name. Parts
// leave the page only as Blob URLs made here: a download is typed application/octet-stream (so
// it is saved, never rendered), and a preview is an <img> of a raster image whose bytes were
// sniffed (PNG, JPEG, GIF, WebP), so no part ever becomes a document of the instance's origin.
import { useCallback, useMemo } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { formatBytes } from "@/lib/shared/format/bytes";
import { parseMultipart, type TMultipartPart } from "@/lib/shared/format/form";
import { EscapedText } from "@/components/capture/escaped-text";
import { NOTICE, TABLE, TD, TH } from "./parts";
import { FORMATTED, type TBodyView, type TBodyViewProps } from "./types";

const PREVIEW_CHARS = 2000;
/** Images larger than this are not previewed (they still download). */
const IMAGE_PREVIEW_MAX = 8 * 1024 * 1024;

/** The raster image type the bytes start like; null for anything else (SVG included: it can carry script). */
export function sniffImage(b: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) return "image/webp";
  return null;
}

function partFileName(p: TMultipartPart, i: number): string {
  // Only the last path segment of what the sender named it; a nameless part gets its field name.
  const base = (p.filename ?? "").split(/[\\/]/).pop()?.trim();
  return base || `${p.name ?? "part"}-${i + 1}${p.text !== null ? ".txt" : ".bin"}`;
}

function download(content: Uint8Array, name: string) {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type: "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the URL; free it once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function ImagePreview({ content, type, alt }: { content: Uint8Array; type: string; alt: string }) {
  // The Blob URL lives as long as the <img> (React 19 runs the ref's cleanup when it goes).
  const attach = useCallback(
    (img: HTMLImageElement | null) => {
      if (!img) return;
      const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
      img.src = url;
      return () => URL.revokeObjectURL(url);
    },
    [content, type],
  );
  return (
    // eslint-disable-next-line @next/next/no-img-element -- a Blob URL made in the browser; next/image cannot load it
    <img
      ref={attach}
      alt={alt}
      data-testid="form-part-image"
      className="mt-1 max-h-48 max-w-full rounded border border-zinc-200 object-contain dark:border-zinc-800"
    />
  );
}

function MultipartFields({ contentType, bytes }: TBodyViewProps) {
  const { parts, omitted, problem } = useMemo(() => parseMultipart(contentType, bytes), [contentType, bytes]);
  return (
    <div data-testid="body-form-fields" className="overflow-x-auto">
      {problem && <p className={NOTICE}>{problem}</p>}
      <table className={TABLE}>
        <thead>
          <tr>
            <th className={`${TH} w-1/5`}>Field</th>
            <th className={TH}>Content</th>
            <th className={`${TH} w-20 text-right`}>Size</th>
            <th className={`${TH} w-24`}>
              <span className="sr-only">Download</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {parts.map((p, i) => {
            const content = bytes.subarray(p.start, p.start + p.size);
            const image = p.text === null && p.size <= IMAGE_PREVIEW_MAX ? sniffImage(content) : null;
            const name = partFileName(p, i);
            return (
              <tr key={i} data-testid="form-field" data-file={p.filename !== null}>
                <td className={TD}>
                  <EscapedText text={p.name ?? "(no name)"} />
                </td>
                <td className={TD}>
                  {(p.filename !== null || p.contentType) && (
                    <div className="font-sans text-xs text-zinc-600 dark:text-zinc-400" data-testid="form-part-meta">
                      {p.filename !== null && (
                        <>
                          file{" "}
                          <span className="font-mono text-zinc-800 dark:text-zinc-200">
                            <EscapedText text={p.filename} />
                          </span>
                        </>
                      )}
                      {p.filename !== null && p.contentType && " · "}
                      {p.contentType && <EscapedText text={p.contentType} />}
                    </div>
                  )}
                  {p.text !== null ? (
                    <span className="whitespace-pre-wrap">
                      <EscapedText text={p.text.length > PREVIEW_CHARS ? `${p.text.slice(0, PREVIEW_CHARS)}…` : p.text} multiline />
                    </span>
                  ) : image ? (
                    <ImagePreview content={content} type={image} alt={`Preview of ${name}`} />
                  ) : (
                    <span className="font-sans text-xs text-zinc-600 dark:text-zinc-400">
                      Binary content: download the part to open it.
                    </span>
                  )}
                </td>
                <td className={`${TD} text-right font-sans tabular-nums`}>{formatBytes(p.size)}</td>
                <td className={`${TD} py-0.5 text-right`}>
                  <button
                    type="button"
                    className={buttonClass("ghost", "whitespace-nowrap", "sm")}
                    data-testid="form-part-download"
                    title={`Download as ${name}`}
                    onClick={() => download(content, name)}
                  >
                    Download
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {omitted > 0 && <p className="px-3 py-1.5 text-xs text-zinc-500">{omitted.toLocaleString("en")} more parts not listed.</p>}
    </div>
  );
}

export const multipartView: TBodyView = {
  id: "multipart-fields",
  mode: FORMATTED,
  kinds: ["multipart"],
  Component: MultipartFields,
};
