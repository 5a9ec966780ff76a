import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { AppError } from "@/lib/shared/errors/app-error";
import { MAX_JSON_BODY_BYTES, errorResponse, handle, json, noContent, parseJson, parseQuery } from "./respond";

const ZBody = z.object({ name: z.string().min(1, "Name is empty").optional(), n: z.number().int().optional() }).strict();

function post(body: BodyInit | null, contentType: string | null = "application/json", headers: Record<string, string> = {}): Request {
  const h = new Headers(headers);
  if (contentType) h.set("content-type", contentType);
  return new Request("http://test/api/x", { method: "POST", body, headers: h, duplex: "half" } as RequestInit);
}

/** The AppError a promise rejects with. */
async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => assert.fail("expected a rejection"),
    (err: unknown) => err,
  );
  assert.ok(e instanceof AppError, String(e));
  return e;
}

describe("parseJson", () => {
  test("parses and validates a JSON body", async () => {
    assert.deepEqual(await parseJson(post('{"name":"a","n":2}'), ZBody), { name: "a", n: 2 });
    assert.deepEqual(await parseJson(post('{"n":1}', "application/json; charset=utf-8"), ZBody), { n: 1 });
    assert.deepEqual(await parseJson(post("\uFEFF{}"), ZBody), {}, "a UTF-8 byte-order mark is tolerated");
  });

  test("415 without a JSON content type", async () => {
    for (const type of [null, "text/plain", "application/x-www-form-urlencoded", "application/jsonp"]) {
      const e = await appError(parseJson(post("{}", type), ZBody));
      assert.equal(e.code, "UNSUPPORTED_MEDIA_TYPE", String(type));
      assert.equal(e.status, 415);
    }
  });

  test("400 for invalid or missing JSON", async () => {
    for (const body of ["{", "", "nope", "{'a':1}"]) {
      const e = await appError(parseJson(post(body), ZBody));
      assert.equal(e.code, "BAD_REQUEST");
      assert.equal(e.message, "The request body is not valid JSON.");
    }
  });

  test("400 naming the field, with the issues as details", async () => {
    const e = await appError(parseJson(post('{"name":"","n":1.5}'), ZBody));
    assert.equal(e.code, "BAD_REQUEST");
    assert.match(e.message, /^name: Name is empty; n: /);
    const details = e.details as { issues: { path: string[]; message: string }[] };
    assert.deepEqual(
      details.issues.map((i) => i.path),
      [["name"], ["n"]],
    );
    assert.match((await appError(parseJson(post('{"x":1}'), ZBody))).message, /Unrecognized key: "x"/);
  });

  test("allowEmpty: no body validates {}, with or without a content type; a body still needs JSON", async () => {
    assert.deepEqual(await parseJson(post(null, null), ZBody, { allowEmpty: true }), {});
    assert.deepEqual(await parseJson(post("", "text/plain"), ZBody, { allowEmpty: true }), {});
    assert.deepEqual(await parseJson(post("  \n", "application/json"), ZBody, { allowEmpty: true }), {});
    assert.deepEqual(await parseJson(post('{"n":3}'), ZBody, { allowEmpty: true }), { n: 3 });
    assert.equal((await appError(parseJson(post('{"n":3}', "text/plain"), ZBody, { allowEmpty: true }))).code, "UNSUPPORTED_MEDIA_TYPE");
  });

  test("413 for a declared Content-Length far over the limit, before reading anything", async () => {
    let pulled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode("{}"));
          controller.close();
        },
      },
      { highWaterMark: 0 }, // pull only when someone reads
    );
    const req = post(body, "application/json", { "content-length": String(1024 * 1024 * 1024) });
    const e = await appError(parseJson(req, ZBody));
    assert.equal(e.code, "PAYLOAD_TOO_LARGE");
    assert.equal(e.status, 413);
    assert.equal(pulled, false, "the body was not read");
  });

  test("413 for a body somewhat over the limit, read to the end (so the sender can see the answer)", async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    const total = MAX_JSON_BODY_BYTES + 4 * chunk.byteLength;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const e = await appError(parseJson(post(body, "application/json", { "content-length": String(total) }), ZBody));
    assert.equal(e.code, "PAYLOAD_TOO_LARGE");
    assert.equal(sent, total, "the whole body was consumed");
  });

  test("413 for an endless streamed body, giving up after a bounded amount", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x20);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const e = await appError(parseJson(post(body), ZBody));
    assert.equal(e.code, "PAYLOAD_TOO_LARGE");
    assert.ok(sent <= 80 * 1024 * 1024, `stopped reading after ${sent} bytes`);
  });

  test("a body exactly at the limit is read", async () => {
    const text = `{"name":"${"a".repeat(MAX_JSON_BODY_BYTES - 11)}"}`;
    assert.equal(Buffer.byteLength(text), MAX_JSON_BODY_BYTES);
    const out = await parseJson(post(text), z.object({ name: z.string() }));
    assert.equal(out.name.length, MAX_JSON_BODY_BYTES - 11);
  });
});

describe("parseQuery", () => {
  const ZQ = z.object({ limit: z.coerce.number().int().min(1).default(10), q: z.string().optional() });

  test("reads the first value of each parameter", () => {
    assert.deepEqual(parseQuery(new Request("http://t/x?limit=5&q=a"), ZQ), { limit: 5, q: "a" });
    assert.deepEqual(parseQuery(new Request("http://t/x"), ZQ), { limit: 10 });
  });

  test("400 naming the parameter", () => {
    assert.throws(
      () => parseQuery(new Request("http://t/x?limit=0"), ZQ),
      (e: unknown) => e instanceof AppError && e.status === 400 && /^limit: /.test(e.message),
    );
  });
});

describe("responses", () => {
  test("json sets the content type and no-store unless told otherwise", async () => {
    const r = json({ a: 1 }, { status: 201 });
    assert.equal(r.status, 201);
    assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
    assert.equal(r.headers.get("cache-control"), "no-store");
    assert.deepEqual(await r.json(), { a: 1 });
    assert.equal(json({}, { headers: { "Cache-Control": "max-age=5" } }).headers.get("cache-control"), "max-age=5");
  });

  test("noContent is an empty 204", async () => {
    const r = noContent();
    assert.equal(r.status, 204);
    assert.equal(await r.text(), "");
  });

  test("errorResponse: AppError → its status and envelope", async () => {
    const r = errorResponse(new AppError("NOT_FOUND", "Not here."));
    assert.equal(r.status, 404);
    assert.deepEqual(await r.json(), { error: { code: "NOT_FOUND", message: "Not here." } });
  });

  test("errorResponse: 413 closes the connection (the rest of the body may still be arriving)", () => {
    const r = errorResponse(new AppError("PAYLOAD_TOO_LARGE", "big"));
    assert.equal(r.status, 413);
    assert.equal(r.headers.get("connection"), "close");
    assert.equal(errorResponse(new AppError("BAD_REQUEST", "x")).headers.get("connection"), null);
  });

  test("errorResponse: database outage → 503 with Retry-After", async () => {
    const r = errorResponse(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }));
    assert.equal(r.status, 503);
    assert.match(r.headers.get("retry-after") ?? "", /^\d+$/);
    assert.equal(((await r.json()) as { error: { code: string } }).error.code, "DATABASE_UNAVAILABLE");
  });

  test("errorResponse: anything else → 500 that reveals nothing", async () => {
    const original = process.stderr.write;
    const logged: string[] = [];
    process.stderr.write = ((line: string) => logged.push(line) > 0) as typeof process.stderr.write;
    try {
      const r = errorResponse(new Error("relation secret_table at /srv/app/lib/db.ts:12"));
      assert.equal(r.status, 500);
      const text = await r.text();
      assert.ok(!text.includes("secret_table"), text);
      assert.deepEqual(JSON.parse(text), { error: { code: "INTERNAL", message: "Something went wrong on our side." } });
      assert.equal(logged.length, 1, "the real error is logged for the operator");
      assert.match(JSON.parse(logged[0]!).error, /secret_table/);
    } finally {
      process.stderr.write = original;
    }
  });

  test("handle turns a thrown error into the envelope and passes results through", async () => {
    const ok = handle(async (n: number) => json({ n }));
    assert.deepEqual(await (await ok(3)).json(), { n: 3 });
    const failing = handle(async () => {
      throw new AppError("BAD_REQUEST", "nope");
    });
    const r = await failing();
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { error: { code: "BAD_REQUEST", message: "nope" } });
  });
});
