import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { TCapture } from "@/lib/shared/validation/captures";
import { newResendHeaderRow, resendFormFromCapture, resendRequestFromForm, withLoadedBody } from "./resend-form";

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
  body: { encoding: "utf8", data: '{"a":1}' },
  bodySize: 7,
  bodyTruncated: false,
  bodyUrl: "/api/captures/c/body",
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

    const bin = capture({ body: { encoding: "base64", data: Buffer.from([0xff, 0x00, 0x80]).toString("base64") } });
    const fb = resendFormFromCapture(bin, "https://example.com/x");
    assert.equal(fb.bodyText, null);
    const rb = resendRequestFromForm(fb, bin);
    assert.ok(rb.ok && rb.request.body === undefined, "the server sends the captured bytes");
  });

  test("a body cut to the preview is not editable and is sent as captured until loaded whole; then edits go out", () => {
    const big = capture({ body: { encoding: "utf8", data: '{"a":"xxx' }, bodySize: 300_000, bodyTruncated: true });
    const form = resendFormFromCapture(big, "https://example.com/x");
    assert.equal(form.bodyText, null, "never the preview as the body to send");
    const r = resendRequestFromForm(form, big);
    assert.ok(r.ok && r.request.body === undefined, "the server sends the captured bytes");

    const whole = `{"a":"${"x".repeat(300_000)}"}`;
    const loaded = withLoadedBody(form, new TextEncoder().encode(whole));
    assert.equal(loaded.bodyText, whole);
    const same = resendRequestFromForm(loaded, big);
    assert.ok(same.ok && same.request.body === undefined, "unchanged: still the captured bytes");
    const edited = resendRequestFromForm({ ...loaded, bodyText: whole.replace('"a"', '"b"') }, big);
    assert.ok(edited.ok && edited.request.body && "text" in edited.request.body && edited.request.body.text.startsWith('{"b"'));
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
