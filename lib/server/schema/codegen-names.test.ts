// Generated names: a type named after a global or reserved name, and names quicktype respells.
import assert from "node:assert/strict";
import { test } from "node:test";
import { generateCode } from "./codegen";
import { compile } from "./codegen.test-support";

test("names: a global or reserved name gets a suffix; quicktype's respellings (API, URL) are the names used", async () => {
  const schema = { type: "object", properties: { code: { type: "object", properties: { a: { type: "string" } } } }, required: ["code"] };
  const types = ["error", "date", "promise", "webhook_event", "audit_events/admin_api_activity", "url.created", "code"];
  const ts = await generateCode(
    "typescript",
    types.map((type) => ({ type, schema })),
  );
  assert.deepEqual(Object.fromEntries(ts.names), {
    error: "ErrorPayload",
    date: "DatePayload",
    promise: "PromisePayload",
    webhook_event: "WebhookEventPayload",
    "audit_events/admin_api_activity": "AuditEventsAdminAPIActivity",
    "url.created": "URLCreated",
    code: "Code",
  });
  const uses = types.map(
    (type, i) =>
      `export const x${i}: T.WebhookEvent = { type: ${JSON.stringify(type)}, payload: { code: {} } as T.${ts.names.get(type)} };`,
  );
  assert.deepEqual(
    compile({ "names.ts": ts.code, "names-use.ts": [`import type * as T from "./names";`, ...uses].join("\n") }).slice(0, 5),
    [],
  );
  const zod = await generateCode(
    "zod",
    types.map((type) => ({ type, schema })),
  );
  assert.equal(zod.names.get("error"), "ErrorPayloadSchema");
  assert.deepEqual(compile({ "names-zod.ts": zod.code }).slice(0, 5), []);
});

test("an event type seen only with empty bodies ({}) still has a type, in the union too", async () => {
  const empty = { type: "object", properties: {} };
  const full = { type: "object", properties: { id: { type: "integer" } }, required: ["id"] };
  const schemas = [
    { type: "a/create", schema: full },
    { type: "a/empty", schema: empty },
  ];
  const ts = await generateCode("typescript", schemas);
  assert.equal(ts.names.get("a/empty"), "AEmpty");
  const use = `import type * as T from "./empty";\nexport const x: T.WebhookEvent = { type: "a/empty", payload: {} };\nexport const y: T.AEmpty = {};\n`;
  assert.deepEqual(compile({ "empty.ts": ts.code, "empty-use.ts": use }).slice(0, 5), []);
  const zod = await generateCode("zod", schemas);
  assert.equal(zod.names.get("a/empty"), "AEmptySchema");
  assert.deepEqual(compile({ "empty-zod.ts": zod.code }).slice(0, 5), []);
});
