// `*` (any run of characters) and `?` (one character) over a whole string, in O(pattern × text)
// time at worst: search's `path:` globs and `type:` patterns, matched in the browser against every
// live capture. A RegExp built from the pattern (`[\s\S]*` per star) backtracks exponentially on
// a pattern like `*a*a*a*a*a*a*!` over a long captured path, and hangs the tab.

/** Whether `text` matches `pattern` whole; `?` is a wildcard only when `question` is true. */
export function wildcardMatch(pattern: string, text: string, question = true): boolean {
  let p = 0;
  let t = 0;
  // The last star seen, and where in the text its run ends so far: on a mismatch, the star takes
  // one more character and matching resumes after it. Earlier stars never need to take more.
  let star = -1;
  let starText = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (c === "*") {
      star = p++;
      starText = t;
    } else if (c !== undefined && (c === text[t] || (question && c === "?"))) {
      p++;
      t++;
    } else if (star !== -1) {
      p = star + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}
