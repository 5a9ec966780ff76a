import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ruleRequestFromForm } from "./forwarding-tab";

describe("forward rule editor", () => {
  test("forward rule form: the schema's messages; blanks mean any", () => {
    const bad = ruleRequestFromForm({
      targetUrl: "localhost:3000",
      method: "GET POST",
      pathPrefix: "stripe",
      maxAttempts: "99",
      followRedirects: false,
      resign: true,
      resignScheme: "stripe",
      resignSecret: " whsec_pasted_with_a_space",
    });
    assert.equal(bad.ok, false);
    if (bad.ok) return;
    assert.deepEqual(Object.keys(bad.errors).sort(), ["maxAttempts", "method", "pathPrefix", "resign", "targetUrl"]);
    assert.match(bad.errors.pathPrefix!, /must start with "\/"/);
    assert.match(bad.errors.resign!, /whitespace/);
    const good = ruleRequestFromForm({
      targetUrl: "https://t.example/h",
      method: "",
      pathPrefix: "",
      maxAttempts: "",
      followRedirects: true,
      resign: false,
      resignScheme: "stripe",
      resignSecret: "ignored while unticked",
    });
    assert.deepEqual(good, {
      ok: true,
      request: {
        targetUrl: "https://t.example/h",
        method: null,
        pathPrefix: null,
        maxAttempts: null,
        followRedirects: true,
        enabled: true,
      },
    });
    const resigning = ruleRequestFromForm({
      targetUrl: "https://t.example/h",
      method: "",
      pathPrefix: "",
      maxAttempts: "",
      followRedirects: false,
      resign: true,
      resignScheme: "auto",
      resignSecret: "whsec_test_123",
    });
    assert.ok(resigning.ok);
    assert.deepEqual(resigning.request.resign, { scheme: "auto", secret: "whsec_test_123" });
  });
});
