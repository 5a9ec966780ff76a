import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TCaptureSummary } from "@/lib/shared/validation/captures";
import {
  emptyCaptureList,
  firstPageOnly,
  flattenCaptures,
  mergeCaptures,
  removeCapture,
  setCaptureDrift,
  topSeq,
  type TCaptureListData,
} from "./capture-cache";

function row(seq: number): TCaptureSummary {
  return {
    id: `id-${seq}`,
    endpointId: "e",
    seq,
    method: "POST",
    path: "/",
    query: null,
    size: 0,
    contentType: null,
    receivedAt: "2026-01-01T00:00:00.000000Z",
    oversize: false,
  };
}
const rows = (...seqs: number[]) => seqs.map(row);
const seqs = (d: TCaptureListData | undefined) => flattenCaptures(d).map((c) => c.seq);
function list(...pages: [number[], string | null][]): TCaptureListData {
  return {
    pages: pages.map(([s, nextCursor]) => ({ items: rows(...s), nextCursor })),
    pageParams: pages.map((_, i) => (i === 0 ? null : pages[i - 1]![1])),
  };
}

describe("mergeCaptures", () => {
  test("takes newest-first input whole (the page read after a burst), above a page with older ones left to load", () => {
    const d = mergeCaptures(list([[10, 9, 8], "8"]), rows(14, 13, 12, 11));
    assert.deepEqual(seqs(d), [14, 13, 12, 11, 10, 9, 8]);
  });
  test("prepends newer captures, newest first", () => {
    const d = mergeCaptures(list([[3, 2, 1], null]), rows(4, 5));
    assert.deepEqual(seqs(d), [5, 4, 3, 2, 1]);
  });

  test("ignores ids already loaded and returns the same object when nothing is new", () => {
    const before = list([[3, 2, 1], null]);
    assert.equal(mergeCaptures(before, rows(2, 3)), before);
    assert.deepEqual(seqs(mergeCaptures(before, rows(3, 4, 4))), [4, 3, 2, 1]);
  });

  test("places a late capture (committed out of order) by seq, in the page whose range holds it", () => {
    const d = mergeCaptures(list([[10, 9, 7], "7"], [[6, 4], "4"]), rows(8, 5));
    assert.deepEqual(
      d!.pages[0]!.items.map((c) => c.seq),
      [10, 9, 8, 7],
    );
    assert.deepEqual(
      d!.pages[1]!.items.map((c) => c.seq),
      [6, 5, 4],
    );
  });

  test("leaves out captures older than everything loaded while older pages remain (they come with scrolling)", () => {
    const before = list([[10, 9], "9"]);
    assert.equal(mergeCaptures(before, rows(3)), before);
    // On the last page nothing older exists, so an old capture belongs at its bottom.
    assert.deepEqual(seqs(mergeCaptures(list([[10, 9], null]), rows(3))), [10, 9, 3]);
  });

  test("fills an empty list", () => {
    assert.deepEqual(seqs(mergeCaptures(emptyCaptureList(), rows(1, 2))), [2, 1]);
  });

  test("keeps at most maxLiveRows, dropping older pages and resuming the cursor at the last kept row", () => {
    const d = mergeCaptures(list([[5, 4, 3], "3"], [[2, 1], null]), rows(6, 7), 4);
    assert.deepEqual(seqs(d), [7, 6, 5, 4]);
    assert.equal(d!.pages.length, 1);
    assert.equal(d!.pages[0]!.nextCursor, "4");
    assert.deepEqual(d!.pageParams, [null]);
  });

  test("a burst bigger than the bound keeps the newest", () => {
    const burst = Array.from({ length: 50 }, (_, i) => row(i + 1));
    const d = mergeCaptures(emptyCaptureList(), burst, 10);
    assert.deepEqual(seqs(d), [50, 49, 48, 47, 46, 45, 44, 43, 42, 41]);
    assert.equal(d!.pages[0]!.nextCursor, "41");
  });

  test("does not touch pages it does not change", () => {
    const before = list([[5, 4], "4"], [[3, 2], null]);
    const d = mergeCaptures(before, rows(6));
    assert.equal(d!.pages[1], before.pages[1]);
    assert.deepEqual(seqs(before), [5, 4, 3, 2], "input left as it was");
  });

  test("no data yet: nothing to merge into", () => {
    assert.equal(mergeCaptures(undefined, rows(1)), undefined);
  });
});

describe("other list edits", () => {
  test("removeCapture drops one id from whichever page holds it", () => {
    const d = removeCapture(list([[5, 4], "4"], [[3, 2], null]), "id-3");
    assert.deepEqual(seqs(d), [5, 4, 2]);
    const same = list([[1], null]);
    assert.equal(removeCapture(same, "id-9"), same);
  });

  test("topSeq and firstPageOnly", () => {
    const d = list([[5, 4], "4"], [[3, 2], null]);
    assert.equal(topSeq(d), 5);
    assert.equal(topSeq(emptyCaptureList()), null);
    assert.deepEqual(seqs(firstPageOnly(d)), [5, 4]);
    assert.deepEqual(firstPageOnly(d)!.pageParams, [null]);
  });
});

test("setCaptureDrift marks loaded rows by id, in whichever page, and returns the same object when none is loaded", () => {
  const data = list([[5, 4], "4"], [[3, 2], null]);
  const change = { kind: "removed" as const, path: "id", before: ["string"], after: [] };
  const next = setCaptureDrift(data, new Map([["id-2", [change]]]));
  assert.notEqual(next, data);
  assert.deepEqual(
    flattenCaptures(next).map((c) => c.drift ?? null),
    [null, null, null, [change]],
  );
  // The untouched page is kept as is (no re-render of its rows).
  assert.equal(next!.pages[0], data.pages[0]);
  assert.equal(setCaptureDrift(data, new Map([["id-9", [change]]])), data);
});
