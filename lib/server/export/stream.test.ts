import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExportRow } from "@/lib/server/db/capture-export";
import { exportRow } from "@/test/support/export-row";
import { harProblems } from "@/test/support/har";
import type { ExportEncoder } from "./format";
import { EXPORT_ENCODERS, type TExportEncoders } from "./formats";
import { har, HAR_CLOSE, harEntry, harOpen } from "./formats/har";
import { encodeExport } from "./stream";

const CTX = { captureUrl: "https://hooks.example.com/h/abc", version: "0.1.0" };

// Two pages, as lib/server/db/capture-export.ts hands them out; `ended` says whether the reader stopped it.
function pages(rows: ExportRow[][]) {
  const state = { ended: false };
  async function* gen() {
    try {
      for (const page of rows) yield page;
    } finally {
      state.ended = true;
    }
  }
  return { pages: gen(), state };
}

const ROWS = [
  [exportRow({ id: "c1", path: "/one" }), exportRow({ id: "c2", method: "PUT", path: "/two" })],
  [exportRow({ id: "c3", method: "GET", path: "" })],
];

// The recipe in CONTRIBUTING.md ("How to add an export format"): one object, streamed by the
// same machinery as the route's formats; nothing else changes.
const csv: ExportEncoder<"csv"> = {
  id: "csv",
  contentType: "text/csv; charset=utf-8",
  extension: "csv",
  open: () => "id,method,path\r\n",
  entry: (row) => `${row.id},${row.method},${row.path}\r\n`,
  close: () => "",
};

test("a format is one object: a toy CSV encoder streams pages of captures through encodeExport", async () => {
  const { pages: p } = pages(ROWS);
  const text = await new Response(encodeExport(p, csv, CTX)).text();
  assert.equal(text, "id,method,path\r\nc1,POST,/one\r\nc2,PUT,/two\r\nc3,GET,\r\n");
});

test("the HAR encoder through the stream gives the HAR log byte for byte, entries joined across pages", async () => {
  const { pages: p } = pages(ROWS);
  const text = await new Response(encodeExport(p, EXPORT_ENCODERS.har, CTX)).text();
  const expected =
    harOpen({ version: "0.1.0", comment: `Captures of ${CTX.captureUrl}, oldest first` }) +
    ROWS.flat()
      .map((r) => JSON.stringify(harEntry(r, CTX.captureUrl)))
      .join(",") +
    HAR_CLOSE;
  assert.equal(text, expected);
  assert.deepEqual(harProblems(JSON.parse(text)), []);
  const empty = await new Response(encodeExport(pages([]).pages, har, CTX)).text();
  assert.deepEqual(JSON.parse(empty).log.entries, []);
});

test("every encoder sits under its own id, and cancelling the download ends the page reads", async () => {
  for (const [id, encoder] of Object.entries(EXPORT_ENCODERS)) assert.equal(encoder.id, id);
  // @ts-expect-error a format id without an encoder does not compile
  const missing: TExportEncoders = { har };
  assert.ok(missing);

  const { pages: p, state } = pages(ROWS);
  const reader = encodeExport(p, EXPORT_ENCODERS.ndjson, CTX).getReader();
  const first = await reader.read();
  assert.equal(new TextDecoder().decode(first.value).split("\n").length, 3); // two lines and the last newline
  await reader.cancel();
  assert.equal(state.ended, true);
});

test("backpressure: the next page is read only when the reader takes a chunk, none ahead of it", async () => {
  let read = 0;
  async function* many() {
    for (let i = 0; i < 100; i++) {
      read++;
      yield [exportRow({ id: `c${i}` })];
    }
  }
  // Let every pending pull() and page read run: a stream that reads ahead would have by now.
  const settle = async () => {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  const reader = encodeExport(many(), EXPORT_ENCODERS.ndjson, CTX).getReader();
  await settle();
  assert.equal(read, 0, "nothing is read before the first read()");
  await reader.read();
  await settle();
  assert.equal(read, 1, "one page per chunk taken");
  await reader.read();
  await reader.read();
  await settle();
  assert.equal(read, 3);
  await reader.cancel();
});
