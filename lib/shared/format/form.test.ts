import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseMultipart, parseUrlEncoded } from "./form";

describe("parseUrlEncoded", () => {
  test("decodes + and percent escapes, keeps order and repeats, flags broken escapes", () => {
    const { fields } = parseUrlEncoded("a=1&b=x+y&a=2&c=%E2%9C%93&bad=%E0%A4%A&flag");
    assert.deepEqual(
      fields.map((f) => [f.name, f.value, f.malformed]),
      [
        ["a", "1", false],
        ["b", "x y", false],
        ["a", "2", false],
        ["c", "✓", false],
        ["bad", "%E0%A4%A", true],
        ["flag", "", false],
      ],
    );
  });
  test("caps the field count", () => {
    const r = parseUrlEncoded(Array.from({ length: 1500 }, (_, i) => `f${i}=1`).join("&"));
    assert.equal(r.fields.length, 1000);
    assert.equal(r.omitted, 500);
  });
});

describe("parseMultipart", () => {
  const b = "XyZ";
  const body = Buffer.concat([
    Buffer.from(`preamble\r\n--${b}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhello\r\nworld\r\n`),
    Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="file"; filename="ü.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    Buffer.from([0, 1, 2, 3, 0xff]),
    Buffer.from(`\r\n--${b}--\r\nepilogue`),
  ]);
  test("fields and files with sizes and offsets", () => {
    const r = parseMultipart(`multipart/form-data; boundary=${b}`, new Uint8Array(body));
    assert.equal(r.problem, null);
    assert.equal(r.parts.length, 2);
    assert.deepEqual([r.parts[0]!.name, r.parts[0]!.text, r.parts[0]!.size], ["title", "hello\r\nworld", 12]);
    const file = r.parts[1]!;
    assert.deepEqual(
      [file.name, file.filename, file.contentType, file.size, file.text],
      ["file", "ü.bin", "application/octet-stream", 5, null],
    );
    assert.deepEqual([...body.subarray(file.start, file.start + 5)], [0, 1, 2, 3, 0xff]);
  });
  test("problems are reported, not thrown", () => {
    assert.match(parseMultipart("multipart/form-data", new Uint8Array(body)).problem!, /no boundary/);
    assert.match(parseMultipart("multipart/form-data; boundary=nope", new Uint8Array(body)).problem!, /never appears/);
    const cut = parseMultipart(`multipart/form-data; boundary=${b}`, new Uint8Array(body.subarray(0, 90)));
    assert.ok(cut.problem);
  });
});
