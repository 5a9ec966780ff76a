// The custom-response form's state and its translation to ZResponseSettings, the schema the API
// validates with, so the form shows the same messages the server would send, next to the fields.
import type { TFieldIssue } from "@/lib/browser/query/api";
import { ZResponseSettings, type TResponseSettings } from "@/lib/shared/validation/endpoints";

export interface TSettingsForm {
  status: string;
  headers: { rowKey: number; name: string; value: string }[];
  /** Off: the default body (a small JSON naming the capture id). */
  customBody: boolean;
  body: string;
  contentType: string;
  delayMs: string;
  /** Answer provider handshakes (Slack url_verification, Meta hub.challenge, …) before the answer above. */
  handshakes: boolean;
}

/** Field → message; header fields are `headers.<row>.name` / `headers.<row>.value`. */
export type TFieldErrors = Record<string, string>;

let rowKeys = 0;
export const newHeaderRow = (name = "", value = "") => ({ rowKey: ++rowKeys, name, value });

export function formFromSettings(s: TResponseSettings): TSettingsForm {
  return {
    status: String(s.status),
    headers: s.headers.map(([n, v]) => newHeaderRow(n, v)),
    customBody: s.body !== null,
    body: s.body ?? "",
    contentType: s.contentType ?? "",
    delayMs: String(s.delayMs),
    handshakes: s.handshakes,
  };
}

const WHOLE = /^\s*-?\d+(\.\d+)?\s*$/;

/** The settings to send, or the errors to show. */
export function settingsFromForm(f: TSettingsForm): { ok: true; settings: TResponseSettings } | { ok: false; errors: TFieldErrors } {
  const errors: TFieldErrors = {};
  if (!WHOLE.test(f.status)) errors.status = "Status must be a number, e.g. 200";
  if (f.delayMs.trim() !== "" && !WHOLE.test(f.delayMs)) errors.delayMs = "Delay must be a number of milliseconds";
  // Rows left completely blank are ignored rather than refused.
  const used = f.headers.map((h, row) => ({ ...h, row })).filter((h) => h.name.trim() !== "" || h.value !== "");
  const candidate = {
    status: Number(f.status),
    headers: used.map((h) => [h.name.trim(), h.value]),
    body: f.customBody ? f.body : null,
    contentType: f.contentType.trim() === "" ? null : f.contentType.trim(),
    delayMs: f.delayMs.trim() === "" ? 0 : Number(f.delayMs),
    handshakes: f.handshakes,
  };
  const parsed = ZResponseSettings.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOf(
        issue.path.map((p) => String(p)),
        (i) => used[i]?.row,
      );
      errors[field] ??= issue.message;
    }
  }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  return { ok: true, settings: parsed.data };
}

/** Field errors from the API's 400 issues (paths like ["response", "headers", 2, 0]). */
export function errorsFromServer(issues: TFieldIssue[], f: TSettingsForm): TFieldErrors {
  const used = f.headers.map((h, row) => ({ ...h, row })).filter((h) => h.name.trim() !== "" || h.value !== "");
  const out: TFieldErrors = {};
  for (const issue of issues) {
    const path = issue.path[0] === "response" ? issue.path.slice(1) : issue.path;
    out[fieldOf(path, (i) => used[i]?.row)] ??= issue.message;
  }
  return out;
}

function fieldOf(path: string[], rowOf: (usedIndex: number) => number | undefined): string {
  const [top, index, part] = path;
  if (top === "headers" && index !== undefined) {
    const row = rowOf(Number(index));
    if (row !== undefined) return `headers.${row}.${part === "1" ? "value" : "name"}`;
  }
  return top ?? "form";
}
