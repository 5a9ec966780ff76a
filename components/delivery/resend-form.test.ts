import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TCapture } from "@/lib/shared/validation/captures";
import { newResendHeaderRow, resendFormFromCapture, resendRequestFromForm } from "./resend-form";

const capture = (over: Partial<TCapture> = {}): TCapture => ({
  id: "c",
  endpointId: "e",
  seq: 3,
  method: "POST",
  path: "/stripe",
  query: null,
  size: 7,
  contentType: "application/json",
  receivedAt: "2026-11-29T00:00:00.000000Z",
  oversize: false,
  headers: [
    ["Host", "hooks.example"],
    ["Content-Type", "application/json"],
    ["Content-Length", "7"],
    ["Connection", "keep-alive"],
    ["Stripe-Signature", "t=1,v1=ab"],
  ],
  trailers: null,
  declaredLength: 7,
  remoteAddress: "127.0.0.1",
  httpVersion: "1.1",
  durationUs: 10,
  responseStatus: 200,
  response: null,
  body: { base64: Buffer.from('{"a":1}').toString("base64"), text: '{"a":1}' },
  ...over,
});

describe("resend editor", () => {
  test("pre-filled from the capture without Host, Content-Length and hop-by-hop headers; untouched, only the URL is sent", () => {
    const form = resendFormFromCapture(capture(), "https://example.com/hook");
    assert.deepEqual(
      form.headers.map((h) => [h.name, h.value]),
      [
        ["Content-Type", "application/json"],
        ["Stripe-Signature", "t=1,v1=ab"],
      ],
    );
    assert.deepEqual(resendRequestFromForm(form, capture()), {
      ok: true,
      request: { url: "https://example.com/hook", followRedirects: false },
    });
  });

  test("edits are sent: method, headers, body as text; a binary body is never sent from the form", () => {
    const c = capture();
    const form = { ...resendFormFromCapture(c, "https://example.com/x"), method: "PUT", bodyText: '{"a":2}' };
    form.headers = [...form.headers, newResendHeaderRow("X-Extra", "1")];
    const r = resendRequestFromForm(form, c);
    assert.ok(r.ok);
    assert.equal(r.request.method, "PUT");
    assert.deepEqual(r.request.body, { text: '{"a":2}' });
    assert.equal(r.request.headers?.length, 3);

    const bin = capture({ body: { base64: Buffer.from([0xff, 0x00, 0x80]).toString("base64"), text: null } });
    const fb = resendFormFromCapture(bin, "https://example.com/x");
    assert.equal(fb.bodyText, null);
    const rb = resendRequestFromForm(fb, bin);
    assert.ok(rb.ok && rb.request.body === undefined, "the server sends the captured bytes");
  });

  test("the API schema's messages, on the fields", () => {
    const c = capture();
    const form = resendFormFromCapture(c, "ftp://nope");
    form.headers = [newResendHeaderRow("", ""), newResendHeaderRow("Bad Name", "v")];
    const r = resendRequestFromForm(form, c);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.match(r.errors.url!, /absolute http/);
    assert.match(r.errors["headers.1.name"]!, /Header name may only contain/, "the row as shown, blank rows counted");
  });
});
