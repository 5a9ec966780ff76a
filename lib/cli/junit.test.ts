// The JUnit writer: its output parses with saxes, a strict XML 1.0 parser (it rejects characters
// XML 1.0 forbids, unescaped markup and unbalanced tags), whatever a capture's path, event type or
// answer holds; text comes back as written, forbidden characters as visible \uXXXX.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseXml } from "../../test/support/xml";
import { junitXml, xmlEscape, type JUnitSuite } from "./junit";

const NASTY = `POST /a?x=<b>&y="q"'s ]]> \u0000\u0001\u0008\u000b\u000c\u001b\u007f \uFFFE\uFFFF \uD800 ok \uD83D\uDE00 tab\there\r\nline`;

function suite(): JUnitSuite {
  return {
    name: "hookscope replay ep → http://localhost:3000/webhooks",
    timestamp: new Date("2026-12-06T10:00:00.123Z"),
    timeSeconds: 1.23456,
    properties: [["query", 'type:invoice.* "x"']],
    cases: [
      { name: "POST /ok invoice.paid (capture 1)", classname: "hookscope.replay.invoice.paid", timeSeconds: 0.012 },
      {
        name: NASTY,
        classname: "hookscope.replay.capture",
        timeSeconds: 0.5,
        failure: { message: `expected 2xx, got 500; ${NASTY}`, type: "status", text: `status: expected 2xx, got 500\n\n${NASTY}` },
      },
      { name: "GET / (capture 3)", classname: "hookscope.replay.capture", timeSeconds: 0, skipped: "deleted before it was sent" },
    ],
  };
}

describe("junitXml", () => {
  test("well-formed under a strict XML 1.0 parser: one testsuite, a testcase per capture, counts, failure and skipped", () => {
    const xml = junitXml(suite());
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    const root = parseXml(xml);
    assert.equal(root.name, "testsuites");
    assert.equal(root.children.length, 1);
    const ts = root.children[0]!;
    assert.equal(ts.name, "testsuite");
    assert.deepEqual(
      { tests: ts.attributes.tests, failures: ts.attributes.failures, errors: ts.attributes.errors, skipped: ts.attributes.skipped },
      { tests: "3", failures: "1", errors: "0", skipped: "1" },
    );
    assert.equal(ts.attributes.time, "1.235");
    assert.equal(ts.attributes.timestamp, "2026-12-06T10:00:00");
    const [props, ...cases] = ts.children;
    assert.equal(props!.children[0]!.attributes.value, 'type:invoice.* "x"');
    assert.deepEqual(
      cases.map((c) => c.name),
      ["testcase", "testcase", "testcase"],
    );
    assert.equal(cases[0]!.attributes.name, "POST /ok invoice.paid (capture 1)");
    assert.equal(cases[0]!.children.length, 0);
    const failure = cases[1]!.children[0]!;
    assert.equal(failure.name, "failure");
    assert.equal(failure.attributes.type, "status");
    assert.equal(cases[2]!.children[0]!.name, "skipped");
    assert.equal(cases[2]!.children[0]!.attributes.message, "deleted before it was sent");
  });

  test("text survives: markup and quotes escaped, tabs and newlines kept (also in attributes), forbidden characters shown as \\uXXXX", () => {
    const visible = `POST /a?x=<b>&y="q"'s ]]> \\u0000\\u0001\\u0008\\u000B\\u000C\\u001B\u007f \\uFFFE\\uFFFF \\uD800 ok \uD83D\uDE00 tab\there\r\nline`;
    const ts = parseXml(junitXml(suite())).children[0]!;
    const failing = ts.children[2]!;
    assert.equal(failing.attributes.name, visible, "attribute value");
    assert.equal(failing.children[0]!.attributes.message, `expected 2xx, got 500; ${visible}`);
    assert.equal(failing.children[0]!.text, `status: expected 2xx, got 500\n\n${visible}`, "element text");
  });

  test("xmlEscape", () => {
    assert.equal(xmlEscape(`<a & "b">`), `&lt;a &amp; "b"&gt;`);
    assert.equal(xmlEscape(`"\n`, true), `&quot;&#10;`);
    assert.equal(xmlEscape("\u0007"), "\\u0007");
  });
});
