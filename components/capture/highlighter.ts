"use client";
// Syntax highlighting with shiki, loaded on first use (its grammars are not in the dashboard's
// first bundle). The JavaScript regex engine needs no WebAssembly, so the page's CSP stays
// without 'wasm-unsafe-eval'. Tokens, not HTML: the viewer renders them as React text nodes.
import type { HighlighterCore, ThemedToken } from "shiki/core";

export type THighlightLang = "json" | "xml" | "html";

let highlighter: Promise<HighlighterCore> | null = null;

function load(): Promise<HighlighterCore> {
  highlighter ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }] = await Promise.all([
      import("shiki/core"),
      import("shiki/engine/javascript"),
    ]);
    return createHighlighterCore({
      themes: [import("shiki/themes/github-light.mjs"), import("shiki/themes/github-dark.mjs")],
      langs: [import("shiki/langs/json.mjs"), import("shiki/langs/xml.mjs"), import("shiki/langs/html.mjs")],
      engine: createJavaScriptRegexEngine({ forgiving: true }),
    });
  })();
  highlighter.catch(() => {
    highlighter = null;
  });
  return highlighter;
}

/** Lines of tokens, each with `htmlStyle` carrying --shiki-light / --shiki-dark colours. */
export async function highlightTokens(code: string, lang: THighlightLang): Promise<ThemedToken[][]> {
  const hl = await load();
  return hl.codeToTokens(code, {
    lang,
    themes: { light: "github-light", dark: "github-dark" },
    defaultColor: false,
    // A pathological line is left plain rather than stalling the tab.
    tokenizeMaxLineLength: 20_000,
    tokenizeTimeLimit: 200,
  }).tokens;
}
