import assert from "node:assert/strict";
import { test } from "node:test";
import { exportRow as row } from "@/test/support/export-row";
import { harProblems } from "@/test/support/har";
import { HAR_CLOSE, harEntry, harOpen } from "./har";
import { ndjsonLine } from "./ndjson";

const URL_ = "https://hooks.example.com/h/abc";

test("a HAR log built from the pieces passes the HAR 1.2 check, with text and base64 bodies", () => {
  const entries = [
    harEntry(row(), URL_),
    harEntry(row({ body: Buffer.from([0xff, 0x00, 0x80]), contentType: null }), URL_),
    harEntry(row({ body: Buffer.alloc(0), method: "GET" }), URL_),
  ];
  const doc = JSON.parse(harOpen({ version: "0.1.0", comment: "t" }) + entries.map((e) => JSON.stringify(e)).join(",") + HAR_CLOSE);
  assert.deepEqual(harProblems(doc), []);
  assert.equal(doc.log.entries[0].request.url, `${URL_}/hook?a=1&b=x+y`);
  assert.deepEqual(doc.log.entries[0].request.queryString, [
    { name: "a", value: "1" },
    { name: "b", value: "x y" },
  ]);
  assert.equal(doc.log.entries[0].request.postData.text, '{"ok":true}');
  assert.deepEqual(doc.log.entries[1].request.postData, {
    mimeType: "application/octet-stream",
    params: [],
    text: "/wCA",
    _encoding: "base64",
  });
  assert.equal(doc.log.entries[2].request.postData, undefined);
  assert.equal(doc.log.entries[0].time, 1.534);
  // The answer sent: headers in order, body as content.text.
  assert.deepEqual(
    doc.log.entries[0].response.headers.map((h: { name: string }) => h.name),
    ["X-Hookscope-Capture-Id", "Content-Type", "Content-Length", "Location"],
  );
  assert.deepEqual(doc.log.entries[0].response.content, { size: 6, mimeType: "text/plain; charset=utf-8", text: "queued" });
  assert.equal(doc.log.entries[0].response.redirectURL, "/queued/1");
  assert.equal(doc.log.entries[0].response.bodySize, 6);
});

test("a HAR response with no known answer (a refused 413) is the status alone and still valid HAR", () => {
  const e = harEntry(row({ oversize: true, responseStatus: 413, response: null, body: Buffer.alloc(0) }), URL_);
  assert.deepEqual(harProblems({ log: { version: "1.2", creator: { name: "x", version: "1" }, entries: [e] } }), []);
  assert.equal(e.response.status, 413);
  assert.deepEqual(e.response.headers, []);
  assert.deepEqual(e.response.content, { size: 0, mimeType: "x-unknown" });
});

test("the HAR check itself catches a missing field, a wrong type and a non-custom extra field", () => {
  const e = harEntry(row(), URL_) as unknown as Record<string, Record<string, unknown>>;
  delete e.request!.queryString;
  e.response!.status = "202";
  e.extra = {};
  const problems = harProblems({ log: { version: "1.2", creator: { name: "x", version: "1" }, entries: [e] } });
  assert.ok(problems.includes("$.log.entries[0].request.queryString: required"), problems.join("\n"));
  assert.ok(problems.includes("$.log.entries[0].response.status: expected an integer"), problems.join("\n"));
  assert.ok(
    problems.some((p) => p.startsWith("$.log.entries[0].extra: not a HAR 1.2 field")),
    problems.join("\n"),
  );
});

test("an NDJSON line is one JSON object and a newline, body as base64", () => {
  const line = ndjsonLine(row({ body: Buffer.from([0, 1, 2, 255]) }), URL_);
  assert.ok(line.endsWith("}\n") && !line.slice(0, -1).includes("\n"));
  const v = JSON.parse(line);
  assert.equal(v.bodyBase64, "AAEC/w==");
  assert.deepEqual(v.headers, row().headers);
  assert.equal(v.url, `${URL_}/hook?a=1&b=x+y`);
});
