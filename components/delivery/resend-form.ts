// The resend editor's state and its translation to ZResendRequest (the schema the API validates
// with), so the editor shows the server's own messages next to the fields. Fields left as the
// capture had them are not sent, and the server uses the capture's own: above all the body, which
// then goes out byte for byte (binary included). A body over the detail's 256 KiB preview is not
// editable until loaded whole (withLoadedBody): the editor never starts from a cut body.
import { forwardableHeaders } from "@/lib/shared/delivery/forward-request";
import { decodeUtf8 } from "@/lib/shared/format/bytes";
import { bodyPreviewText } from "@/lib/shared/format/body-preview";
import type { TFieldIssue } from "@/lib/browser/query/api";
import type { TCapture } from "@/lib/shared/validation/captures";
import { ZResendRequest, type TResendRequest } from "@/lib/shared/validation/deliveries";
import type { TSecretScheme } from "@/lib/shared/validation/signatures";

export interface TResendForm {
  url: string;
  method: string;
  headers: { rowKey: number; name: string; value: string }[];
  /** The body as text; null when the captured body is not UTF-8 or not loaded whole (it is then sent as captured). */
  bodyText: string | null;
  /** The captured body's text the editor started from (null as for bodyText): unchanged means "send the captured bytes". */
  capturedText: string | null;
  resign: boolean;
  resignScheme: TSecretScheme;
  resignSecret: string;
  followRedirects: boolean;
}

/** Field → message: url, method, headers.<row>.name|value, body, resign.secret, form. */
export type TResendErrors = Record<string, string>;

let rowKeys = 0;
export const newResendHeaderRow = (name = "", value = "") => ({ rowKey: ++rowKeys, name, value });

export function resendFormFromCapture(c: TCapture, lastUrl: string): TResendForm {
  const text = c.oversize || c.bodyTruncated ? null : bodyPreviewText(c.body);
  return {
    url: lastUrl,
    method: c.method,
    headers: forwardableHeaders(c.headers).map(([n, v]) => newResendHeaderRow(n, v)),
    bodyText: c.oversize ? "" : text,
    capturedText: text,
    resign: false,
    resignScheme: "auto",
    resignSecret: "",
    followRedirects: false,
  };
}

function sameHeaders(form: TResendForm, c: TCapture): boolean {
  const initial = forwardableHeaders(c.headers);
  const now = form.headers.filter((h) => h.name !== "" || h.value !== "");
  return now.length === initial.length && now.every((h, i) => h.name === initial[i]![0] && h.value === initial[i]![1]);
}

/** The API request for the form: only what differs from the capture, validated with ZResendRequest. */
export function resendRequestFromForm(
  form: TResendForm,
  c: TCapture,
): { ok: true; request: TResendRequest } | { ok: false; errors: TResendErrors } {
  const rows = form.headers.filter((h) => h.name !== "" || h.value !== "");
  const request: TResendRequest = { url: form.url.trim(), followRedirects: form.followRedirects };
  if (form.method.trim() !== c.method) request.method = form.method.trim();
  if (!sameHeaders(form, c)) request.headers = rows.map((h) => [h.name.trim(), h.value]);
  if (form.bodyText !== null && (c.oversize || form.bodyText !== form.capturedText)) request.body = { text: form.bodyText };
  if (form.resign) request.resign = { scheme: form.resignScheme, secret: form.resignSecret };
  const r = ZResendRequest.safeParse(request);
  if (r.success) return { ok: true, request };
  return {
    ok: false,
    errors: errorsFromIssues(
      r.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })),
      form,
    ),
  };
}

/** The form once the whole body is loaded (its exact bytes): editable as text when they are UTF-8. */
export function withLoadedBody(form: TResendForm, bytes: Uint8Array): TResendForm {
  const text = decodeUtf8(bytes);
  return { ...form, bodyText: text, capturedText: text };
}

/** Schema or server issues → the fields they are about (header rows numbered as shown). */
export function errorsFromIssues(issues: readonly TFieldIssue[], form: TResendForm): TResendErrors {
  const shownRows = form.headers.map((h, i) => ({ h, i })).filter(({ h }) => h.name !== "" || h.value !== "");
  const errors: TResendErrors = {};
  for (const issue of issues) {
    const [first, second, third] = issue.path;
    let key = "form";
    if (first === "url" || first === "method" || first === "body") key = first;
    else if (first === "headers" && second !== undefined) {
      const row = shownRows[Number(second)]?.i ?? Number(second);
      key = `headers.${row}.${third === "0" ? "name" : "value"}`;
    } else if (first === "headers") key = "headers";
    else if (first === "resign") key = "resign";
    errors[key] ??= issue.message;
  }
  return errors;
}
