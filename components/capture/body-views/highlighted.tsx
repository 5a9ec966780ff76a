"use client";
// Formatted JSON (pretty-printed), XML and HTML, highlighted by shiki as tokens that become text
// nodes. Too deep, too big or unparsable JSON and text over HIGHLIGHT_MAX fall back to the Raw
// view with a notice saying why. Find marks matches inside the tokens, line by line.
import { Fragment, useEffect, useMemo, useRef, useState, type CSSProperties, type ReactNode } from "react";
import type { ThemedToken } from "shiki/core";
import { formatBytes } from "@/lib/shared/format/bytes";
import { HIGHLIGHT_MAX, highlightLanguage } from "@/lib/shared/format/body";
import { prettyJson } from "@/lib/shared/format/json-tree";
import { mayHide } from "@/lib/shared/format/invisible";
import { EscapedText } from "@/components/capture/escaped-text";
import { highlightTokens, type THighlightLang } from "@/components/capture/highlighter";
import { findRanges, MARK, MARK_CURRENT, Marked, useFindResults, type TFind } from "./find";
import { PARTIAL_JSON_NOTICE, PRE } from "./parts";
import { RawView } from "./raw";
import { FORMATTED, type TBodyView, type TBodyViewProps } from "./types";

function HighlightedBody({ kind, bytes, text: maybeText, bodyUrl, fileName, find, partial }: TBodyViewProps) {
  const text = maybeText ?? "";
  const lang = highlightLanguage(kind);
  const pretty = useMemo(() => (kind === "json" ? prettyJson(text) : null), [kind, text]);
  const code = pretty?.ok ? pretty.text : text;
  const fallback = pretty && !pretty.ok ? (partial ? PARTIAL_JSON_NOTICE : pretty.reason) : undefined;
  if (!lang || fallback || code.length > HIGHLIGHT_MAX) {
    const why =
      fallback ??
      (lang && code.length > HIGHLIGHT_MAX
        ? `Not highlighted: over ${formatBytes(HIGHLIGHT_MAX)} of text is shown plain to keep the page fast.`
        : undefined);
    return <RawView text={code} total={bytes.length} bodyUrl={bodyUrl} fileName={fileName} notice={why} find={find} />;
  }
  return <HighlightedCode key={code} code={code} lang={lang} find={find} />;
}

const plain = (s: string) => (mayHide(s) ? <EscapedText text={s} multiline /> : s);

/** One line's tokens, with the parts inside find matches wrapped in marks. */
function lineNodes(line: ThemedToken[], hits: readonly [number, number][], current: number): ReactNode {
  let at = 0;
  return line.map((tk, j) => {
    const start = at;
    const end = (at += tk.content.length);
    // Most tokens hold no hidden character and no match: plain strings keep 30,000 tokens cheap to render.
    let content: ReactNode = plain(tk.content);
    const inside = hits.map((h, k) => [h, k] as const).filter(([[s, e]]) => s < end && e > start);
    if (inside.length > 0) {
      const pieces: ReactNode[] = [];
      let from = start;
      for (const [[s, e], k] of inside) {
        const a = Math.max(s, start);
        const b = Math.min(e, end);
        if (a > from) pieces.push(<Fragment key={`p${k}`}>{plain(tk.content.slice(from - start, a - start))}</Fragment>);
        pieces.push(
          <mark key={k} data-find-match="" data-find-current={k === current || undefined} className={k === current ? MARK_CURRENT : MARK}>
            {plain(tk.content.slice(a - start, b - start))}
          </mark>,
        );
        from = b;
      }
      if (from < end) pieces.push(<Fragment key="end">{plain(tk.content.slice(from - start))}</Fragment>);
      content = pieces;
    }
    return (
      <span key={j} style={tk.htmlStyle as CSSProperties | undefined}>
        {content}
      </span>
    );
  });
}

function HighlightedCode({ code, lang, find }: { code: string; lang: THighlightLang; find?: TFind }) {
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

  const query = find?.query ?? "";
  // Matches per line of tokens (a query never spans a line), or over the plain code until tokens come.
  const lineHits = useMemo(
    () => (tokens && query ? tokens.map((line) => findRanges(line.map((t) => t.content).join(""), query)) : null),
    [tokens, query],
  );
  const plainHits = useMemo(() => (!tokens && query ? findRanges(code, query) : []), [tokens, code, query]);
  const count = lineHits ? lineHits.reduce((n, h) => n + h.length, 0) : plainHits.length;
  const current = count > 0 ? (((find?.current ?? 0) % count) + count) % count : -1;
  const ref = useRef<HTMLPreElement>(null);
  useFindResults(find, count, ref, tokens);

  let before = 0;
  return (
    <pre
      data-testid="body-highlighted"
      ref={ref}
      data-highlighted={tokens ? "true" : failed ? "failed" : "pending"}
      className={`hs-code ${PRE}`}
    >
      {tokens ? (
        tokens.map((line, i) => {
          const hits = lineHits?.[i] ?? [];
          const first = before;
          before += hits.length;
          return (
            <span key={i}>
              {lineNodes(line, hits, current - first)}
              {i < tokens.length - 1 ? "\n" : null}
            </span>
          );
        })
      ) : (
        <Marked text={code} ranges={plainHits} current={current} multiline />
      )}
    </pre>
  );
}

export const highlightedView: TBodyView = {
  id: "highlighted",
  mode: FORMATTED,
  kinds: ["json", "xml", "html"],
  findable: true,
  Component: HighlightedBody,
};
