import assert from "node:assert/strict";
import { test } from "node:test";
import { mediaType, type TBodyKind } from "@/lib/shared/format/body";
import { chooseBodyView } from "./choose";
import { BODY_VIEWS } from "./index";
import { FORMATTED, type TBodyView } from "./types";

const body = (kind: TBodyKind, contentType: string | null = null) => ({ kind, contentType });
const buttons = (c: ReturnType<typeof chooseBodyView>) => c.modes.map((m) => `${m.label}${m.available ? "" : " (off)"}`);

test("the viewer's views: Tree for JSON (its source under Formatted); Formatted for XML, HTML and forms; Raw for text; Hex for binary; Formatted off where nothing formats", () => {
  const json = chooseBodyView(BODY_VIEWS, body("json"), null);
  assert.deepEqual([json.mode, json.view.id, buttons(json)], ["tree", "json-tree", ["Tree", "Formatted", "Raw", "Hex"]]);
  assert.equal(chooseBodyView(BODY_VIEWS, body("json"), "formatted").view.id, "highlighted");
  // Tree is left out (not shown disabled) for every other kind.
  for (const [kind, view] of [
    ["xml", "highlighted"],
    ["html", "highlighted"],
    ["urlencoded", "urlencoded-fields"],
    ["multipart", "multipart-fields"],
  ] as const) {
    const c = chooseBodyView(BODY_VIEWS, body(kind), null);
    assert.deepEqual([c.mode, c.view.id, buttons(c)], ["formatted", view, ["Formatted", "Raw", "Hex"]], kind);
  }
  for (const [kind, mode] of [
    ["text", "raw"],
    ["empty", "raw"],
    ["binary", "hex"],
  ] as const) {
    const c = chooseBodyView(BODY_VIEWS, body(kind), null);
    assert.deepEqual([c.mode, c.view.id, buttons(c)], [mode, mode, ["Formatted (off)", "Raw", "Hex"]], kind);
  }
  // A pressed button wins; one with nothing for this body (it was un-decoded under it) shows Raw.
  assert.equal(chooseBodyView(BODY_VIEWS, body("json"), "hex").view.id, "hex");
  const stale = chooseBodyView(BODY_VIEWS, body("binary"), "formatted");
  assert.deepEqual([stale.mode, stale.view.id], ["formatted", "raw"]);
});

// The recipe in CONTRIBUTING.md ("How to add a body view"): one view object, placed in the list.
test("a view registered for a kind is offered for that kind: a toy CSV table under Formatted for text/csv", () => {
  const csvTable: TBodyView = {
    id: "csv-table",
    mode: FORMATTED,
    kinds: ["text"],
    when: (b) => mediaType(b.contentType) === "text/csv",
    Component: () => null,
  };
  const views = [...BODY_VIEWS.slice(0, 3), csvTable, ...BODY_VIEWS.slice(3)];

  const csv = chooseBodyView(views, body("text", "text/csv; charset=utf-8"), null);
  assert.deepEqual([csv.mode, csv.view.id, buttons(csv)], ["formatted", "csv-table", ["Formatted", "Raw", "Hex"]]);
  // Other text, and every other kind, chooses as before.
  const plain = chooseBodyView(views, body("text", "text/plain"), null);
  assert.deepEqual([plain.mode, plain.view.id, buttons(plain)], ["raw", "raw", ["Formatted (off)", "Raw", "Hex"]]);
  assert.equal(chooseBodyView(views, body("json"), null).view.id, "json-tree");
});
