import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError, ERROR_STATUS, errorBody } from "./app-error";

describe("AppError", () => {
  test("maps each code to its HTTP status", () => {
    assert.equal(new AppError("NOT_FOUND", "gone").status, 404);
    assert.equal(new AppError("UNSUPPORTED_MEDIA_TYPE", "json please").status, 415);
    assert.equal(new AppError("DATABASE_UNAVAILABLE", "down").status, 503);
    for (const [code, status] of Object.entries(ERROR_STATUS)) assert.ok(status >= 400 && status <= 599, `${code}: ${status}`);
  });

  test("errorBody is the { error: { code, message } } envelope, with details only when given", () => {
    assert.deepEqual(errorBody("BAD_REQUEST", "limit: too big"), { error: { code: "BAD_REQUEST", message: "limit: too big" } });
    assert.deepEqual(errorBody("BAD_REQUEST", "m", { issues: [] }), {
      error: { code: "BAD_REQUEST", message: "m", details: { issues: [] } },
    });
    assert.ok(!("details" in errorBody("NOT_FOUND", "m").error));
  });
});
