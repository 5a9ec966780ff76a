import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bodyKind, contentTypeParam, hexDump, jsonDepth, trimBytes, trimText, PRETTY_MAX_DEPTH } from "./body";
import { prettyJson } from "./json-tree";

const enc = (s: string) => new TextEncoder().encode(s);

describe("bodyKind", () => {
  test("by content type, then by sniffing", () => {
    assert.equal(bodyKind("application/json; charset=utf-8", enc("{}"), "{}"), "json");
    assert.equal(bodyKind("application/vnd.api+json", enc("{}"), "{}"), "json");
    assert.equal(bodyKind("text/html", enc("<p>"), "<p>"), "html");
    assert.equal(bodyKind("image/svg+xml", enc("<svg/>"), "<svg/>"), "xml");
    assert.equal(bodyKind("application/x-www-form-urlencoded", enc("a=1"), "a=1"), "urlencoded");
    assert.equal(bodyKind("multipart/form-data; boundary=x", enc("--x"), "--x"), "multipart");
    assert.equal(bodyKind(null, enc(' {"a":1}'), ' {"a":1}'), "json");
    assert.equal(bodyKind("text/plain", enc("hi"), "hi"), "text");
    assert.equal(bodyKind(null, new Uint8Array(0), ""), "empty");
    assert.equal(bodyKind("application/json", Uint8Array.of(0xff, 0xfe, 0), null), "binary");
  });
});

describe("jsonDepth and prettyJson", () => {
  test("100,000-deep nesting is measured without recursion and left raw", () => {
    const deep = "[".repeat(100_000) + "]".repeat(100_000);
    assert.equal(jsonDepth(deep), PRETTY_MAX_DEPTH + 1);
    const r = prettyJson(deep);
    assert.equal(r.ok, false);
    assert.match((r as { reason: string }).reason, /nested deeper than 256/);
  });
  test("brackets inside strings do not count", () => {
    assert.equal(jsonDepth('{"a":"[[[[\\"{{{{","b":[1]}'), 2);
  });
  test("escaped NUL pretty-prints as an escape; a raw NUL is invalid JSON", () => {
    const ok = prettyJson('{"a":"x\\u0000y"}');
    assert.deepEqual(ok, { ok: true, text: '{\n  "a": "x\\u0000y"\n}' });
    assert.equal(prettyJson('{"a":"x\u0000y"}').ok, false);
  });
  test("numbers keep the digits sent, keys their order, repeated keys stay (JSON.parse would change all three)", () => {
    const r = prettyJson('{"b":1,"2":12345678901234567890,"a":1.50,"a":2e3}');
    assert.deepEqual(r, { ok: true, text: '{\n  "b": 1,\n  "2": 12345678901234567890,\n  "a": 1.50,\n  "a": 2e3\n}' });
  });
  test("over 1 MiB is not parsed", () => {
    const r = prettyJson(JSON.stringify({ s: "x".repeat(1024 * 1024) }));
    assert.equal(r.ok, false);
  });
});

describe("trimming and hex", () => {
  test("trimText keeps head and tail and counts what is left out", () => {
    const s = "a".repeat(300 * 1024);
    const t = trimText(s);
    assert.equal(t.head.length, 160 * 1024);
    assert.equal(t.tail.length, 32 * 1024);
    assert.equal(t.omitted, s.length - 192 * 1024);
    assert.deepEqual(trimText("short"), { head: "short", tail: "", omitted: 0 });
  });
  test("trimText never splits a surrogate pair", () => {
    const s = "😀".repeat(200 * 1024);
    const t = trimText(s);
    assert.equal(t.head, "😀".repeat(t.head.length / 2));
    assert.equal(t.tail, "😀".repeat(t.tail.length / 2));
  });
  test("trimBytes starts the tail on a 16-byte line", () => {
    const t = trimBytes(new Uint8Array(100_001));
    assert.equal(t.tailOffset % 16, 0);
    assert.equal(t.head.length + t.omitted + t.tail.length, 100_001);
  });
  test("hexDump lays out offset, hex and ASCII; markup bytes stay printable text", () => {
    const dump = hexDump(enc("<script>alert(1)</script>\u0000"), 0x20);
    assert.equal(
      dump,
      "00000020  3c 73 63 72 69 70 74 3e  61 6c 65 72 74 28 31 29  |<script>alert(1)|\n" +
        "00000030  3c 2f 73 63 72 69 70 74  3e 00                    |</script>.|",
    );
  });
  test("contentTypeParam", () => {
    assert.equal(contentTypeParam('multipart/form-data; boundary="a b;c"', "boundary"), "a b;c");
    assert.equal(contentTypeParam("multipart/form-data; BOUNDARY=xyz", "boundary"), "xyz");
    assert.equal(contentTypeParam("text/plain", "boundary"), null);
  });
});
