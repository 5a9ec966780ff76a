"use client";
// Resend editor: the capture's method, headers (minus Host, Content-Length and hop-by-hop ones,
// which the sender sets) and body, pre-filled and editable, plus the target URL (the last one used
// for this endpoint). A binary body is not editable here and goes out exactly as captured; so does a
// body over the detail's 256 KiB preview unless it is loaded whole first ("Load it to edit"). Sends
// through POST /api/captures/:id/resend and shows what came back; the delivery list refreshes.
import { useQueryClient } from "@tanstack/react-query";
import { useMemo, useState, type FormEvent } from "react";
import { Field, FieldError, SETTINGS_INPUT } from "@/components/ui/fields";
import { buttonClass } from "@/components/ui/button-styles";
import { ModalDialog } from "@/components/ui/modal-dialog";
import { showToast } from "@/components/ui/toaster";
import { ApiError, describeError } from "@/lib/browser/query/api";
import { useResend } from "@/lib/browser/query/deliveries";
import { captureBodyQuery } from "@/lib/browser/query/use-capture";
import { formatBytes } from "@/lib/shared/format/bytes";
import { bodyPreviewBytes } from "@/lib/shared/format/body-preview";
import type { TCapture } from "@/lib/shared/validation/captures";
import type { TDelivery } from "@/lib/shared/validation/deliveries";
import { ResignFields } from "@/components/signature/resign-fields";
import { DeliveryOutcome } from "./delivery-list";
import {
  errorsFromIssues,
  newResendHeaderRow,
  resendFormFromCapture,
  resendRequestFromForm,
  withLoadedBody,
  type TResendErrors,
  type TResendForm,
} from "./resend-form";

const LAST_URL_KEY = (endpointId: string) => `hookscope:resend-url:${endpointId}`;

function lastUrl(endpointId: string): string {
  try {
    return localStorage.getItem(LAST_URL_KEY(endpointId)) ?? "";
  } catch {
    return "";
  }
}

/** Hex of the first bytes of a body, 16 per line. */
function hexPreview(body: Uint8Array, max = 64): string {
  const bytes = Array.from(body.subarray(0, max), (b) => b.toString(16).padStart(2, "0"));
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push(`${i.toString(16).padStart(4, "0")}  ${bytes.slice(i, i + 16).join(" ")}`);
  return lines.join("\n");
}

export function ResendDialog({ open, onClose, capture }: { open: boolean; onClose: () => void; capture: TCapture }) {
  return (
    <ModalDialog open={open} onClose={onClose} title={`Resend #${capture.seq}`} size="wide" testId="resend-dialog">
      <ResendEditor capture={capture} onClose={onClose} />
    </ModalDialog>
  );
}

function ResendEditor({ capture, onClose }: { capture: TCapture; onClose: () => void }) {
  const [form, setForm] = useState<TResendForm>(() => resendFormFromCapture(capture, lastUrl(capture.endpointId)));
  const [errors, setErrors] = useState<TResendErrors>({});
  const [result, setResult] = useState<TDelivery | null>(null);
  const resend = useResend(capture.id);
  const qc = useQueryClient();
  const [loadingBody, setLoadingBody] = useState(false);
  const [loaded, setLoaded] = useState(!capture.bodyTruncated);
  const preview = useMemo(() => bodyPreviewBytes(capture.body), [capture.body]);
  // Editing a body over the detail's preview needs it whole: fetched (or taken from the cache) only when asked.
  const loadBody = async () => {
    setLoadingBody(true);
    try {
      const bytes = await qc.fetchQuery(captureBodyQuery(capture.bodyUrl));
      setForm((f) => withLoadedBody(f, bytes));
      setLoaded(true);
    } catch (e) {
      setErrors((x) => ({ ...x, body: describeError(e) }));
    } finally {
      setLoadingBody(false);
    }
  };
  const set = <K extends keyof TResendForm>(k: K, v: TResendForm[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    // An edited field's old message no longer applies.
    setErrors((e) => (k in e ? Object.fromEntries(Object.entries(e).filter(([key]) => key !== k)) : e));
  };
  const setHeader = (rowKey: number, part: "name" | "value", v: string) =>
    set(
      "headers",
      form.headers.map((h) => (h.rowKey === rowKey ? { ...h, [part]: v } : h)),
    );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = resendRequestFromForm(form, capture);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    setResult(null);
    resend.mutate(r.request, {
      onSuccess: (d) => {
        setResult(d);
        try {
          localStorage.setItem(LAST_URL_KEY(capture.endpointId), form.url.trim());
        } catch {
          // private mode: the URL is simply not remembered
        }
        showToast(
          d.outcome === "succeeded"
            ? `Resent: ${d.response?.status ?? ""} in ${Math.round(d.durationMs)} ms`
            : "Resend failed; see why below",
          d.outcome === "succeeded" ? "info" : "error",
        );
      },
      onError: (err) => {
        if (err instanceof ApiError && err.issues.length) setErrors(errorsFromIssues(err.issues, form));
        else setErrors({ form: describeError(err) });
      },
    });
  };

  const binary = form.bodyText === null;
  return (
    <form onSubmit={submit} noValidate className="space-y-3 text-sm" data-testid="resend-form">
      <div className="grid grid-cols-[8rem_1fr] gap-2">
        <Field id="resend-method" label="Method" error={errors.method}>
          <input
            id="resend-method"
            className={`${SETTINGS_INPUT} font-mono`}
            value={form.method}
            onChange={(e) => set("method", e.target.value)}
            aria-invalid={Boolean(errors.method)}
            data-testid="resend-method"
          />
        </Field>
        <Field
          id="resend-url"
          label="Target URL"
          error={errors.url}
          hint="Sent from the server; internal addresses are refused unless the server allows private targets."
        >
          <input
            id="resend-url"
            className={`${SETTINGS_INPUT} font-mono`}
            value={form.url}
            placeholder="https://example.com/webhooks"
            onChange={(e) => set("url", e.target.value)}
            aria-invalid={Boolean(errors.url)}
            data-testid="resend-url"
            autoFocus
          />
        </Field>
      </div>

      <fieldset>
        <legend className="mb-1 font-medium">Headers</legend>
        <p className="mb-1 text-xs text-zinc-500">Host, Content-Length and hop-by-hop headers are set by the sender.</p>
        <div className="max-h-48 space-y-1 overflow-y-auto pr-1">
          {form.headers.map((h, i) => (
            <div key={h.rowKey} className="grid grid-cols-[2fr_3fr_auto] items-start gap-1" data-testid="resend-header-row">
              <div>
                <input
                  aria-label={`Header ${i + 1} name`}
                  className={`${SETTINGS_INPUT} font-mono text-xs`}
                  value={h.name}
                  onChange={(e) => setHeader(h.rowKey, "name", e.target.value)}
                  aria-invalid={Boolean(errors[`headers.${i}.name`])}
                />
                {errors[`headers.${i}.name`] && <FieldError>{errors[`headers.${i}.name`]}</FieldError>}
              </div>
              <div>
                <input
                  aria-label={`Header ${i + 1} value`}
                  className={`${SETTINGS_INPUT} font-mono text-xs`}
                  value={h.value}
                  onChange={(e) => setHeader(h.rowKey, "value", e.target.value)}
                  aria-invalid={Boolean(errors[`headers.${i}.value`])}
                />
                {errors[`headers.${i}.value`] && <FieldError>{errors[`headers.${i}.value`]}</FieldError>}
              </div>
              <button
                type="button"
                className={buttonClass("ghost", "", "sm")}
                aria-label={`Remove header ${i + 1}`}
                onClick={() =>
                  set(
                    "headers",
                    form.headers.filter((x) => x.rowKey !== h.rowKey),
                  )
                }
              >
                ✕
              </button>
            </div>
          ))}
        </div>
        {errors.headers && <FieldError>{errors.headers}</FieldError>}
        <button
          type="button"
          className={buttonClass("ghost", "mt-1", "sm")}
          onClick={() => set("headers", [...form.headers, newResendHeaderRow()])}
        >
          + Add header
        </button>
      </fieldset>

      <div>
        <span className="mb-1 block font-medium">Body</span>
        {binary && !loaded ? (
          <div
            data-testid="resend-large-note"
            className="rounded-md border border-zinc-200 bg-zinc-50 p-2 text-xs dark:border-zinc-700 dark:bg-zinc-950"
          >
            <p>
              Large body, {formatBytes(capture.bodySize)}. It is sent exactly as captured, byte for byte; only its first{" "}
              {formatBytes(preview.length)} are loaded here.
            </p>
            <button
              type="button"
              className={buttonClass("secondary", "mt-2", "sm")}
              onClick={() => void loadBody()}
              disabled={loadingBody}
              data-testid="resend-load-body"
            >
              {loadingBody ? "Loading…" : `Load it to edit (${formatBytes(capture.bodySize)})`}
            </button>
          </div>
        ) : binary ? (
          <div
            data-testid="resend-binary-note"
            className="rounded-md border border-zinc-200 bg-zinc-50 p-2 text-xs dark:border-zinc-700 dark:bg-zinc-950"
          >
            <p>
              Binary body, {capture.bodySize.toLocaleString("en")} bytes (not UTF-8 text). It is sent exactly as captured, byte for byte; to
              send other bytes, use the API with <code className="font-mono">body.base64</code>.
            </p>
            <pre className="mt-2 overflow-x-auto font-mono text-[11px] leading-4 text-zinc-600 dark:text-zinc-400">
              {hexPreview(preview)}
            </pre>
          </div>
        ) : (
          <>
            <textarea
              aria-label="Body"
              className={`${SETTINGS_INPUT} h-36 font-mono text-xs`}
              value={form.bodyText ?? ""}
              onChange={(e) => set("bodyText", e.target.value)}
              data-testid="resend-body"
              spellCheck={false}
            />
            <p className="mt-1 text-xs text-zinc-500">
              {capture.oversize
                ? "This capture went over the size limit and its body was not stored: type the body to send."
                : form.bodyText === form.capturedText
                  ? "Unchanged: the captured bytes are sent exactly."
                  : "Edited: sent as UTF-8 text."}
            </p>
          </>
        )}
        {errors.body && <FieldError>{errors.body}</FieldError>}
      </div>

      <div className="space-y-2">
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={form.resign} onChange={(e) => set("resign", e.target.checked)} data-testid="resend-resign" />
          Re-sign with a test secret
        </label>
        {form.resign && (
          <ResignFields
            scheme={form.resignScheme}
            secret={form.resignSecret}
            error={errors.resign}
            onScheme={(v) => set("resignScheme", v)}
            onSecret={(v) => set("resignSecret", v)}
          />
        )}
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={form.followRedirects} onChange={(e) => set("followRedirects", e.target.checked)} />
          Follow redirects (each hop is checked again)
        </label>
      </div>

      {errors.form && <FieldError>{errors.form}</FieldError>}

      {result && (
        <div data-testid="resend-result" className="rounded-md border border-zinc-200 p-2 text-xs dark:border-zinc-700">
          <DeliveryOutcome delivery={result} />
          {result.error && <p className="mt-1 text-red-700 dark:text-red-300">{result.error.message}</p>}
        </div>
      )}

      <div className="flex justify-end gap-2 pt-1">
        <button type="button" className={buttonClass("ghost")} onClick={onClose}>
          Close
        </button>
        <button type="submit" className={buttonClass("primary")} disabled={resend.isPending} data-testid="resend-send">
          {resend.isPending ? "Sending…" : result ? "Send again" : "Send"}
        </button>
      </div>
    </form>
  );
}
