// Response rules' header regexes and path globs, compiled for a linear-time engine. Both run on
// the capture path, against what anyone may send, and anyone may create an endpoint and save its
// rules: a backtracking engine lets one pattern and one request stall the process (JavaScript's
// RegExp took 6.5 s for `(a|a)*$` over 27 characters, which safe-regex2's star-height check let
// through; picomatch's regex for `/*a*a*a*a*a*a*a*a*!` took 20 s over a 50-character path). RE2's
// automaton (re2js, a JavaScript port of Google's RE2) takes time linear in the input whatever the
// pattern. The rule validation (lib/shared/validation/response-rules.ts) compiles with these same
// functions, so what saves is what runs.
import picomatch from "picomatch";
import { RE2JS } from "re2js";

/**
 * RE2 program size (instructions) one pattern may compile to, and all of an endpoint's rules
 * together: matching costs up to this many steps per input character. Ordinary patterns are
 * 10–80 (`^sha256=[0-9a-f]{64}$` is 75, `/stripe/**` 16); large repetition counts are what grow
 * it (`[a-z]{1,1000}` is 2,001). At the caps a capture's rules cost at most tens of milliseconds
 * in the worst case, against seconds to forever for one backtracking pattern before.
 */
export const MAX_PATTERN_PROGRAM = 1000;
export const MAX_RULES_PROGRAM = 4000;

export class PatternError extends Error {}

/** A compiled pattern: its test, and its RE2 program size (for the rules' total). */
export interface CompiledPattern {
  test(input: string): boolean;
  size: number;
}

/**
 * A header regex in RE2 syntax (github.com/google/re2/wiki/Syntax): close to JavaScript's, but
 * without lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`) and backreferences (`\1`), the things that
 * need backtracking, and a few JavaScript-only escapes (`\cX`, `[^]`, `[\b]`); JavaScript's
 * `\uXXXX` and `\u{X}` are read as RE2's `\x{X}`. `\s` is ASCII whitespace only. The returned
 * test finds the pattern anywhere in the value, as RegExp.test does.
 */
export function compileHeaderRegex(source: string): CompiledPattern {
  const re = compileRe2(withRe2UnicodeEscapes(source), "regex");
  return { test: (value) => re.test(value), size: re.programSize() };
}

/**
 * A picomatch glob (`*`, `**`, `?`, `[…]`, `{a,b}`, extglobs but `!(…)`), matched over the whole
 * path. picomatch parses it; its regex is run by RE2 without the lookaheads picomatch adds for
 * dot segments and empty segments, so here `.` and `..` are segments like any other and `*` also
 * matches an empty segment (`/orders/*` matches `/orders/`).
 */
export function compilePathGlob(glob: string): CompiledPattern {
  let source: string;
  try {
    source = picomatch.makeRe(glob, { dot: true, strictBrackets: true }).source;
  } catch (e) {
    throw new PatternError(e instanceof Error ? e.message : String(e));
  }
  for (const [lookaround, plain] of PICOMATCH_LOOKAROUNDS) source = source.split(lookaround).join(plain);
  if (/\(\?<?[=!]/.test(source)) throw new PatternError("negated patterns (!(…)) are not supported; list what should match instead");
  const re = compileRe2(source, "glob");
  return { test: (path) => re.matches(path), size: re.programSize() };
}

/** `\uXXXX` and `\u{X…}` (JavaScript) as `\x{X…}` (RE2); every other escape is kept as written. */
function withRe2UnicodeEscapes(source: string): string {
  return source.replace(/\\(?:u([0-9a-fA-F]{4})|u\{([0-9a-fA-F]{1,6})\}|[\s\S])/g, (escape, four?: string, braced?: string) => {
    const hex = four ?? braced;
    return hex === undefined ? escape : `\\x{${hex}}`;
  });
}

/** What picomatch ({dot: true}) emits around segments, each with what RE2 runs instead. */
const PICOMATCH_LOOKAROUNDS: [string, string][] = [
  // `**`: any run of characters that does not form a `.` or `..` segment.
  [String.raw`(?:(?!(?:^|\/)\.{1,2}(?:\/|$)).)*?`, "(?:.)*?"],
  // A segment (or a leading `**`) that is not `.` or `..`.
  [String.raw`(?!(?:^|\/)\.{1,2}(?:\/|$))`, ""],
  [String.raw`(?!\.{1,2}(?:\/|$))`, ""],
  // `*` matches at least one character.
  ["(?=.)", ""],
];

function compileRe2(source: string, what: "regex" | "glob"): RE2JS {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source);
  } catch (e) {
    const message = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
    const hint =
      what === "regex" && /\(\?<?[=!]|\\[1-9]/.test(source)
        ? " (lookaround and backreferences are not supported: they can take exponential time)"
        : "";
    throw new PatternError(`${message}${hint}`);
  }
  if (re.programSize() > MAX_PATTERN_PROGRAM) {
    throw new PatternError(`the ${what} is too complex (large repetition counts); make it simpler`);
  }
  return re;
}
