"use client";
// Syntax highlighting with shiki, loaded on first use (its grammars are not in the dashboard's
// first bundle). The JavaScript regex engine needs no WebAssembly, so the page's CSP stays
// without 'wasm-unsafe-eval'. Tokens, not HTML: the viewer renders them as React text nodes.
import type { GrammarState, HighlighterCore, ThemedToken } from "shiki/core";

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
      langs: [],
      engine: createJavaScriptRegexEngine({ forgiving: true }),
    });
  })();
  highlighter.catch(() => {
    highlighter = null;
  });
  return highlighter;
}

// Grammars load one at a time, when a body first needs them: HTML brings CSS and JavaScript with
// it and costs seconds to prepare, which a JSON body should never pay.
const GRAMMARS: Record<THighlightLang, () => Promise<{ default: unknown }>> = {
  json: () => import("shiki/langs/json.mjs"),
  xml: () => import("shiki/langs/xml.mjs"),
  html: () => import("shiki/langs/html.mjs"),
};
const loadedLangs = new Map<THighlightLang, Promise<void>>();

async function loadLanguage(hl: HighlighterCore, lang: THighlightLang): Promise<void> {
  let loading = loadedLangs.get(lang);
  if (!loading) {
    loading = GRAMMARS[lang]().then((m) => hl.loadLanguage(m.default as Parameters<HighlighterCore["loadLanguage"]>[0]));
    loading.catch(() => loadedLangs.delete(lang));
    loadedLangs.set(lang, loading);
  }
  await loading;
}

/** Characters tokenized between two yields to the event loop. */
const CHUNK_CHARS = 8 * 1024;

const yieldToBrowser = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Lines of tokens, each with `htmlStyle` carrying --shiki-light / --shiki-dark colours.
 * Tokenizing is synchronous and costs about a second per 70 KB on a slow machine, so the code
 * goes through in chunks of whole lines, carrying the grammar state across, with a yield between
 * chunks: the tab keeps answering clicks while a big body is highlighted. `signal` stops early.
 */
export async function highlightTokens(code: string, lang: THighlightLang, signal?: AbortSignal): Promise<ThemedToken[][]> {
  const hl = await load();
  await loadLanguage(hl, lang);
  const lines = code.split(/\r?\n/);
  const out: ThemedToken[][] = [];
  let state: GrammarState | undefined;
  for (let i = 0; i < lines.length;) {
    let end = i;
    let size = 0;
    while (end < lines.length && (end === i || size + lines[end]!.length < CHUNK_CHARS)) size += lines[end++]!.length + 1;
    const result = hl.codeToTokens(lines.slice(i, end).join("\n"), {
      lang,
      themes: { light: "github-light", dark: "github-dark" },
      defaultColor: false,
      grammarState: state,
      // A pathological line is left plain rather than stalling the tab.
      tokenizeMaxLineLength: 20_000,
      tokenizeTimeLimit: 200,
    });
    out.push(...result.tokens);
    state = result.grammarState;
    i = end;
    if (i < lines.length) {
      await yieldToBrowser();
      if (signal?.aborted) throw new DOMException("Highlighting stopped", "AbortError");
    }
  }
  return out;
}
