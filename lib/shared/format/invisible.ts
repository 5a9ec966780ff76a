// Characters that hide or reorder text: bidirectional overrides and isolates (Trojan Source),
// zero-width characters, and control characters. Captured text is attacker-controlled, so the
// viewer never lets such a character act: it is cut out of the text and shown as a visible
// escape such as `\u202E` (see components/capture/escaped-text.tsx).

/** One piece of displayable text: plain text, or one hidden character to show as an escape. */
export type TTextPiece = string | { escape: string; name: string };

const NAMES: Record<number, string> = {
  0x00: "NULL",
  0x09: "TAB",
  0x0a: "LINE FEED",
  0x0d: "CARRIAGE RETURN",
  0x1b: "ESCAPE",
  0x7f: "DELETE",
  0xad: "SOFT HYPHEN",
  0x061c: "ARABIC LETTER MARK",
  0x180e: "MONGOLIAN VOWEL SEPARATOR",
  0x200b: "ZERO WIDTH SPACE",
  0x200c: "ZERO WIDTH NON-JOINER",
  0x200d: "ZERO WIDTH JOINER",
  0x200e: "LEFT-TO-RIGHT MARK",
  0x200f: "RIGHT-TO-LEFT MARK",
  0x2028: "LINE SEPARATOR",
  0x2029: "PARAGRAPH SEPARATOR",
  0x202a: "LEFT-TO-RIGHT EMBEDDING",
  0x202b: "RIGHT-TO-LEFT EMBEDDING",
  0x202c: "POP DIRECTIONAL FORMATTING",
  0x202d: "LEFT-TO-RIGHT OVERRIDE",
  0x202e: "RIGHT-TO-LEFT OVERRIDE",
  0x2060: "WORD JOINER",
  0x2066: "LEFT-TO-RIGHT ISOLATE",
  0x2067: "RIGHT-TO-LEFT ISOLATE",
  0x2068: "FIRST STRONG ISOLATE",
  0x2069: "POP DIRECTIONAL ISOLATE",
  0xfeff: "ZERO WIDTH NO-BREAK SPACE (BOM)",
};

// C0 and C1 controls, DEL, soft hyphen, the Hangul fillers (blank letters), ALM, MVS, zero-width
// and bidi marks, line/paragraph separators, embeddings/overrides, word joiner and invisible
// operators, isolates, BOM, the interlinear annotation characters, and the tag characters
// (U+E0000–E007F: invisible copies of ASCII, so text can carry a hidden message).
const HIDDEN =
  /[\u0000-\u001f\u007f-\u009f\u00ad\u115f\u1160\u3164\uffa0\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb\u{e0000}-\u{e007f}]/gu;

const ANY_HIDDEN = new RegExp(HIDDEN.source, "u");

/** Fast check: whether the text may need splitHidden at all (tabs and newlines count too). */
export function mayHide(text: string): boolean {
  return ANY_HIDDEN.test(text);
}

/** `\u202E` for U+202E (`\u{E0041}` past U+FFFF): the escape a user sees in place of a hidden character. */
export function escapeOf(code: number): string {
  const hex = code.toString(16).toUpperCase();
  return code > 0xffff ? `\\u{${hex}}` : `\\u${hex.padStart(4, "0")}`;
}

export function nameOf(code: number): string {
  if (NAMES[code]) return NAMES[code];
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return "CONTROL CHARACTER";
  if (code >= 0xe0000 && code <= 0xe007f) return "TAG CHARACTER";
  if (code === 0x115f || code === 0x1160 || code === 0x3164 || code === 0xffa0) return "HANGUL FILLER";
  return "INVISIBLE CHARACTER";
}

/**
 * Splits text into plain runs and hidden characters. With `multiline`, line feeds, tabs and CRLF
 * pairs stay as they are (they lay out a body); everything else in HIDDEN becomes an escape.
 * After `maxEscapes` escapes the rest of the text has its hidden characters replaced by the same
 * escape written as plain text, so a body of a million zero-width spaces is one text node, not a
 * million elements.
 */
export function splitHidden(text: string, opts: { multiline?: boolean; maxEscapes?: number } = {}): TTextPiece[] {
  const multiline = opts.multiline ?? false;
  const maxEscapes = opts.maxEscapes ?? 2000;
  const out: TTextPiece[] = [];
  let last = 0;
  let escapes = 0;
  HIDDEN.lastIndex = 0;
  const keep = (s: string, at: number) => {
    const code = s.charCodeAt(at);
    return multiline && (code === 0x0a || code === 0x09 || (code === 0x0d && s.charCodeAt(at + 1) === 0x0a));
  };
  for (let m = HIDDEN.exec(text); m; m = HIDDEN.exec(text)) {
    if (keep(text, m.index)) continue;
    const code = text.codePointAt(m.index)!;
    if (escapes >= maxEscapes) {
      const rest = text.slice(last);
      out.push(rest.replace(HIDDEN, (c: string, at: number) => (keep(rest, at) ? c : escapeOf(c.codePointAt(0)!))));
      return out;
    }
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ escape: escapeOf(code), name: nameOf(code) });
    escapes++;
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Whether the text holds any character splitHidden would escape (newlines and tabs count unless multiline). */
export function hasHidden(text: string, multiline = false): boolean {
  return splitHidden(text, { multiline, maxEscapes: 1 }).some((p) => typeof p !== "string");
}

/** The text with every hidden character written as its escape: for titles, copies of "what you see". */
export function escapeHidden(text: string, multiline = false): string {
  return splitHidden(text, { multiline, maxEscapes: 0 })
    .map((p) => (typeof p === "string" ? p : p.escape))
    .join("");
}
