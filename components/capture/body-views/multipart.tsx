"use client";
// Formatted multipart forms: one row per part (name, file name and type, a text preview, size).
import { useMemo } from "react";
import { formatBytes } from "@/lib/shared/format/bytes";
import { parseMultipart } from "@/lib/shared/format/form";
import { EscapedText } from "@/components/capture/escaped-text";
import { NOTICE, TABLE, TD, TH } from "./parts";
import { FORMATTED, type TBodyView, type TBodyViewProps } from "./types";

const PREVIEW_CHARS = 2000;

function MultipartFields({ contentType, bytes }: TBodyViewProps) {
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

export const multipartView: TBodyView = {
  id: "multipart-fields",
  mode: FORMATTED,
  kinds: ["multipart"],
  Component: MultipartFields,
};
