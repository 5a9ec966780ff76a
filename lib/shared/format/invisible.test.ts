import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { escapeHidden, hasHidden, splitHidden } from "./invisible";

describe("splitHidden", () => {
  test("bidi overrides, isolates, zero-width characters and BOM become escapes", () => {
    const s = "a\u202Eb\u2066c\u2069d\u200Be\u200Cf\u200Dg\uFEFFh\u202Ai";
    assert.equal(escapeHidden(s), "a\\u202Eb\\u2066c\\u2069d\\u200Be\\u200Cf\\u200Dg\\uFEFFh\\u202Ai");
    const pieces = splitHidden("x\u202Ey");
    assert.deepEqual(pieces, ["x", { escape: "\\u202E", name: "RIGHT-TO-LEFT OVERRIDE" }, "y"]);
  });
  test("controls: NUL, ESC, DEL, C1; newlines and tabs only kept in multiline text", () => {
    assert.equal(escapeHidden("\u0000\u001b[31m\u007f\u0085"), "\\u0000\\u001B[31m\\u007F\\u0085");
    assert.equal(escapeHidden("a\nb\tc"), "a\\u000Ab\\u0009c");
    assert.equal(escapeHidden("a\nb\tc\r\nd\re", true), "a\nb\tc\r\nd\\u000De");
  });
  test("tag characters (hidden ASCII) and Hangul fillers become escapes; the characters around them stay whole", () => {
    const hidden = [..."run rm"].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join("");
    assert.equal(escapeHidden(`ok${hidden}😀`), "ok\\u{E0072}\\u{E0075}\\u{E006E}\\u{E0020}\\u{E0072}\\u{E006D}😀");
    assert.deepEqual(splitHidden(`a${String.fromCodePoint(0xe0041)}b`), ["a", { escape: "\\u{E0041}", name: "TAG CHARACTER" }, "b"]);
    assert.equal(escapeHidden("x\u3164y\uFFA0z\u115F"), "x\\u3164y\\uFFA0z\\u115F");
    assert.deepEqual(splitHidden("\u3164"), [{ escape: "\\u3164", name: "HANGUL FILLER" }]);
    assert.equal(splitHidden(hidden).length, 6, "one escape per tag character, not per UTF-16 unit");
  });
  test("plain text is one piece, untouched", () => {
    assert.deepEqual(splitHidden("héllo wörld 😀 日本"), ["héllo wörld 😀 日本"]);
    assert.equal(hasHidden("plain"), false);
    assert.equal(hasHidden("a\u200Bb"), true);
  });
  test("past maxEscapes the rest stays one text piece, still escaped", () => {
    const s = "\u200B".repeat(10_000);
    const pieces = splitHidden(s, { maxEscapes: 100 });
    assert.equal(pieces.length, 101);
    assert.equal(pieces.at(-1), "\\u200B".repeat(9_900));
  });
  test("CRLF survives the over-limit path in multiline text", () => {
    assert.deepEqual(splitHidden("\u200Ba\r\nb\rc", { multiline: true, maxEscapes: 0 }), ["\\u200Ba\r\nb\\u000Dc"]);
  });
});
