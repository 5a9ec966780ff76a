"use client";
// Formatted JSON (pretty-printed), XML and HTML, highlighted by shiki as tokens that become text
// nodes. Too deep, too big or unparsable JSON and text over HIGHLIGHT_MAX fall back to the Raw
// view with a notice saying why.
import { useEffect, useMemo, useState, type CSSProperties } from "react";
import type { ThemedToken } from "shiki/core";
import { formatBytes } from "@/lib/shared/format/bytes";
import { HIGHLIGHT_MAX, highlightLanguage, prettyJson } from "@/lib/shared/format/body";
import { mayHide } from "@/lib/shared/format/invisible";
import { EscapedText } from "@/components/capture/escaped-text";
import { highlightTokens, type THighlightLang } from "@/components/capture/highlighter";
import { PRE } from "./parts";
import { RawView } from "./raw";
import { FORMATTED, type TBodyView, type TBodyViewProps } from "./types";

function HighlightedBody({ kind, bytes, text: maybeText, bodyUrl, fileName }: TBodyViewProps) {
  const text = maybeText ?? "";
  const lang = highlightLanguage(kind);
  const pretty = useMemo(() => (kind === "json" ? prettyJson(text) : null), [kind, text]);
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

export const highlightedView: TBodyView = {
  id: "highlighted",
  mode: FORMATTED,
  kinds: ["json", "xml", "html"],
  Component: HighlightedBody,
};
