// JUnit XML for `hookscope replay --junit`: one <testsuite>, one <testcase> per capture, a
// <failure> holding every failed check, <skipped> for a capture deleted before it was sent. CI
// systems (GitHub Actions reporters, GitLab, Jenkins) read this shape. Everything from a capture or
// an answer is escaped, and characters XML 1.0 forbids (most C0 controls, lone surrogates,
// U+FFFE/U+FFFF) are written as visible \uXXXX text, so any body or path yields a well-formed file.

export interface JUnitCase {
  name: string;
  classname: string;
  timeSeconds: number;
  /** Failed: the short message and the full text. */
  failure?: { message: string; type: string; text: string };
  skipped?: string;
}

export interface JUnitSuite {
  name: string;
  timestamp: Date;
  timeSeconds: number;
  properties: [string, string][];
  cases: JUnitCase[];
}

// Allowed: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF] (XML 1.0 §2.2).
// The `u` flag makes a surrogate pair one code point, so only lone surrogates match.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text made safe for XML 1.0 content and attribute values. */
export function xmlEscape(text: string, attribute = false): string {
  let s = text
    .replace(FORBIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
  // In attributes, quotes end the value and literal tabs/newlines are normalised to spaces by parsers.
  if (attribute) s = s.replaceAll('"', "&quot;").replaceAll("\t", "&#9;").replaceAll("\n", "&#10;").replaceAll("\r", "&#13;");
  else s = s.replaceAll("\r", "&#13;");
  return s;
}

const attr = (name: string, value: string | number) => ` ${name}="${xmlEscape(String(value), true)}"`;
const secs = (s: number) => (Math.round(s * 1000) / 1000).toFixed(3);

export function junitXml(suite: JUnitSuite): string {
  const failures = suite.cases.filter((c) => c.failure).length;
  const skipped = suite.cases.filter((c) => c.skipped !== undefined).length;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const counts = attr("tests", suite.cases.length) + attr("failures", failures) + attr("errors", 0) + attr("skipped", skipped);
  out.push(`<testsuites${attr("name", suite.name)}${counts}${attr("time", secs(suite.timeSeconds))}>`);
  out.push(
    `  <testsuite${attr("name", suite.name)}${counts}${attr("time", secs(suite.timeSeconds))}${attr("timestamp", suite.timestamp.toISOString().slice(0, 19))}>`,
  );
  if (suite.properties.length > 0) {
    out.push("    <properties>");
    for (const [n, v] of suite.properties) out.push(`      <property${attr("name", n)}${attr("value", v)}/>`);
    out.push("    </properties>");
  }
  for (const c of suite.cases) {
    const open = `    <testcase${attr("name", c.name)}${attr("classname", c.classname)}${attr("time", secs(c.timeSeconds))}`;
    if (!c.failure && c.skipped === undefined) {
      out.push(`${open}/>`);
      continue;
    }
    out.push(`${open}>`);
    if (c.failure) {
      out.push(`      <failure${attr("message", c.failure.message)}${attr("type", c.failure.type)}>${xmlEscape(c.failure.text)}</failure>`);
    }
    if (c.skipped !== undefined) out.push(`      <skipped${attr("message", c.skipped)}/>`);
    out.push("    </testcase>");
  }
  out.push("  </testsuite>", "</testsuites>", "");
  return out.join("\n");
}
