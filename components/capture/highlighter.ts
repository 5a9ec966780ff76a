"use client";
// Syntax highlighting with shiki, loaded on first use (its grammars are not in the dashboard's
// first bundle). The JavaScript regex engine needs no WebAssembly, so the page's CSP stays
// without 'wasm-unsafe-eval'. Tokens, not HTML: the viewer renders them as React text nodes.
import type { GrammarState, HighlighterCore, ThemedToken, ThemeRegistration } from "shiki/core";

export type THighlightLang = "json" | "xml" | "html";

let highlighter: Promise<HighlighterCore> | null = null;

const THEMES = { light: "hookscope-light", dark: "hookscope-dark" } as const;

/**
 * GitHub's themes paint JSON keys, numbers and literals the same blue and strings a blue close to
 * it; these are the JSON tree's colours (components/capture/body-views/json-tree.tsx, Tailwind's
 * sky-800/300, emerald-700/300, amber-700/300, fuchsia-700/300), each ≥ 4.5:1 on the page's background.
 */
const JSON_COLOURS = {
  light: { key: "#075985", string: "#047857", number: "#b45309", literal: "#a21caf" },
  dark: { key: "#7dd3fc", string: "#6ee7b7", number: "#fcd34d", literal: "#f0abfc" },
} as const;

type TTheme = ThemeRegistration;

function withJsonColours(theme: TTheme, name: string, c: { key: string; string: string; number: string; literal: string }): TTheme {
  const rule = (scope: string[], foreground: string) => ({ scope, settings: { foreground } });
  return {
    ...theme,
    name,
    tokenColors: [
      ...(theme.tokenColors ?? theme.settings ?? []),
      rule(["string.quoted.double.json", "string.quoted.double.json punctuation.definition.string"], c.string),
      rule(["support.type.property-name.json", "support.type.property-name.json punctuation"], c.key),
      rule(["constant.numeric.json"], c.number),
      rule(["constant.language.json"], c.literal),
    ],
  };
}

function load(): Promise<HighlighterCore> {
  highlighter ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }] = await Promise.all([
      import("shiki/core"),
      import("shiki/engine/javascript"),
    ]);
    const [light, dark] = await Promise.all([import("shiki/themes/github-light.mjs"), import("shiki/themes/github-dark.mjs")]);
    return createHighlighterCore({
      themes: [
        withJsonColours(light.default, THEMES.light, JSON_COLOURS.light),
        withJsonColours(dark.default, THEMES.dark, JSON_COLOURS.dark),
      ],
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
      themes: THEMES,
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
