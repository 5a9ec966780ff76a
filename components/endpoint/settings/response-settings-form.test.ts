import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { errorsFromServer, formFromSettings, newHeaderRow, settingsFromForm, type TSettingsForm } from "./response-settings-form";

const base = (): TSettingsForm =>
  formFromSettings({ status: 200, headers: [], body: null, contentType: null, delayMs: 0, handshakes: true });

describe("settings form", () => {
  test("round-trips settings, a blank custom body stays an empty body and not the default", () => {
    const s = {
      status: 201,
      headers: [["X-A", "1"] as [string, string]],
      body: "",
      contentType: "text/plain",
      delayMs: 250,
      handshakes: true,
    };
    assert.deepEqual(settingsFromForm(formFromSettings(s)), { ok: true, settings: s });
  });

  test("the API's own messages, next to the field they are about", () => {
    const r = settingsFromForm({ ...base(), delayMs: "99999", status: "100" });
    assert.equal(r.ok, false);
    assert.deepEqual(!r.ok && r.errors, { delayMs: "Delay must be 0–30000 ms", status: "Status must be 200–599" });
  });

  test("non-numbers are refused in words, not as NaN", () => {
    const r = settingsFromForm({ ...base(), status: "abc", delayMs: "soon" });
    assert.equal(!r.ok && r.errors.status, "Status must be a number, e.g. 200");
    assert.equal(!r.ok && r.errors.delayMs, "Delay must be a number of milliseconds");
  });

  test("header errors name the row as shown, even with blank rows in between", () => {
    const f = {
      ...base(),
      headers: [newHeaderRow("X-Ok", "1"), newHeaderRow("", ""), newHeaderRow("Bad Name", "v"), newHeaderRow("X-B", "a\nb")],
    };
    const r = settingsFromForm(f);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.errors["headers.2.name"]!, /Header name may only contain/);
    assert.match(r.errors["headers.3.value"]!, /line breaks/);
    assert.equal(Object.keys(r.errors).length, 2);
  });

  test("blank rows and an empty content type are dropped; an empty delay is 0", () => {
    const r = settingsFromForm({ ...base(), headers: [newHeaderRow()], contentType: "  ", delayMs: "" });
    assert.deepEqual(r, { ok: true, settings: { status: 200, headers: [], body: null, contentType: null, delayMs: 0, handshakes: true } });
  });

  test("server issues map to the same fields", () => {
    const f = { ...base(), headers: [newHeaderRow(), newHeaderRow("X", "y")] };
    assert.deepEqual(
      errorsFromServer(
        [
          { path: ["response", "delayMs"], message: "too slow" },
          { path: ["response", "headers", "0", "1"], message: "bad value" },
          { path: [], message: "whole thing" },
        ],
        f,
      ),
      { delayMs: "too slow", "headers.1.value": "bad value", form: "whole thing" },
    );
  });
});
