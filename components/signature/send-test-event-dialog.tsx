"use client";
// "Send test event": a realistic sample event for a provider, signed with a stored or pasted
// secret, sent to this endpoint or any URL; shows the status, time, headers and body that came back.
import { buttonClass } from "@/components/ui/button-styles";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useSigningSecrets } from "@/lib/browser/query/signature-secrets";
import { npxCommand } from "@/lib/shared/cli/package-url";
import { useSendTestEvent } from "@/lib/browser/query/signature-test-events";
import {
  SCHEME_LABELS,
  TEST_EVENT_PROVIDERS,
  TEST_EVENTS,
  type TSendTestEventResponse,
  type TTestEventProvider,
} from "@/lib/shared/validation/signatures";

export interface SendTestEventDialogProps {
  endpoint: { id: string; captureUrl: string };
  open: boolean;
  onClose: () => void;
  /** After a test event sent to this endpoint was captured (e.g. select it in the list). */
  onCaptured?: (captureId: string) => void;
}

const input = "w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const button = buttonClass("secondary");
const primary = buttonClass("primary");

function Result({ r, onCaptured }: { r: TSendTestEventResponse; onCaptured?: (id: string) => void }) {
  const ok = r.response && r.response.status < 300;
  return (
    <div className="space-y-2 rounded-md border border-zinc-200 p-2 text-sm dark:border-zinc-800" data-testid="test-event-result">
      {r.error ? (
        <p className="text-red-700 dark:text-red-400">
          <strong>Not delivered:</strong> {r.error.message}
        </p>
      ) : (
        <p>
          <span className={ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}>
            {r.response!.status} {r.response!.statusText}
          </span>{" "}
          in {Math.round(r.durationMs)} ms
          {r.captureId && onCaptured && (
            <>
              {" · "}
              <button type="button" className="underline" onClick={() => onCaptured(r.captureId!)}>
                Show the capture
              </button>
            </>
          )}
        </p>
      )}
      <details>
        <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">
          Request sent: {r.request.method} {r.request.url}
        </summary>
        <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all font-mono text-xs">
          {r.request.headers.map(([n, v]) => `${n}: ${v}`).join("\n")}
          {"\n\n"}
          {r.request.body}
        </pre>
      </details>
      {r.response && (
        <details open={!ok}>
          <summary className="cursor-pointer text-zinc-600 dark:text-zinc-400">Response ({r.response.body.size} bytes)</summary>
          <pre className="mt-1 max-h-48 overflow-auto whitespace-pre-wrap break-all font-mono text-xs">
            {r.response.headers.map(([n, v]) => `${n}: ${v}`).join("\n")}
            {"\n\n"}
            {r.response.body.text ?? `(binary, ${r.response.body.size} bytes)`}
            {r.response.body.truncated && "\n… (truncated)"}
          </pre>
        </details>
      )}
    </div>
  );
}

export function SendTestEventDialog({ endpoint, open, onClose, onCaptured }: SendTestEventDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const secrets = useSigningSecrets(endpoint.id);
  const send = useSendTestEvent(endpoint.id);
  const [provider, setProvider] = useState<TTestEventProvider>("stripe");
  const [event, setEvent] = useState(TEST_EVENTS.stripe[0]!);
  const [secretMode, setSecretMode] = useState<"stored" | "pasted">("stored");
  const [secretId, setSecretId] = useState("");
  const [secret, setSecret] = useState("");
  const [targetMode, setTargetMode] = useState<"self" | "url">("self");
  const [url, setUrl] = useState("");

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const stored = secrets.data ?? [];
  const mode = stored.length === 0 ? "pasted" : secretMode;
  const chosenId = secretId || stored[0]?.id || "";

  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate({
      provider,
      event,
      ...(mode === "stored" ? { secretId: chosenId } : { secret: secret.trim() }),
      target: targetMode === "self" ? "self" : url.trim(),
    });
  };

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      className="m-auto w-[min(40rem,calc(100vw-2rem))] rounded-lg border border-zinc-200 bg-white p-4 text-zinc-900 shadow-xl backdrop:bg-black/30 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100"
    >
      <form onSubmit={submit} className="space-y-3">
        <header className="flex items-center justify-between">
          <h2 className="text-base font-semibold">Send a signed test event</h2>
          <button type="button" className={buttonClass("ghost")} onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        <div className="grid grid-cols-2 gap-2">
          <label className="text-xs">
            Provider
            <select
              className={input}
              value={provider}
              onChange={(e) => {
                const p = e.target.value as TTestEventProvider;
                setProvider(p);
                setEvent(TEST_EVENTS[p][0]!);
              }}
            >
              {TEST_EVENT_PROVIDERS.map((p) => (
                <option key={p} value={p}>
                  {SCHEME_LABELS[p]}
                </option>
              ))}
            </select>
          </label>
          <label className="text-xs">
            Event
            <select className={input} value={event} onChange={(e) => setEvent(e.target.value)}>
              {TEST_EVENTS[provider].map((ev) => (
                <option key={ev} value={ev}>
                  {ev}
                </option>
              ))}
            </select>
          </label>
        </div>
        <fieldset className="space-y-1">
          <legend className="text-xs">Sign with</legend>
          {stored.length > 0 && (
            <label className="flex items-center gap-2 text-sm">
              <input type="radio" checked={mode === "stored"} onChange={() => setSecretMode("stored")} />
              <select className={input} value={chosenId} disabled={mode !== "stored"} onChange={(e) => setSecretId(e.target.value)}>
                {stored.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label} ({s.hint})
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="flex items-center gap-2 text-sm">
            {stored.length > 0 && <input type="radio" checked={mode === "pasted"} onChange={() => setSecretMode("pasted")} />}
            <input
              className={`${input} font-mono`}
              type="password"
              autoComplete="off"
              placeholder={provider === "standard" ? "whsec_<base64>" : "A secret (used for this send only)"}
              value={secret}
              disabled={mode !== "pasted"}
              onChange={(e) => setSecret(e.target.value)}
            />
          </label>
        </fieldset>
        <fieldset className="space-y-1">
          <legend className="text-xs">Send to</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" checked={targetMode === "self"} onChange={() => setTargetMode("self")} />
            This endpoint <code className="truncate font-mono text-xs text-zinc-500">{endpoint.captureUrl}</code>
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" checked={targetMode === "url"} onChange={() => setTargetMode("url")} />
            <input
              className={input}
              type="url"
              placeholder="https://example.com/webhooks"
              value={url}
              disabled={targetMode !== "url"}
              onChange={(e) => setUrl(e.target.value)}
            />
          </label>
          {targetMode === "url" && (
            <p className="text-xs text-zinc-500">
              Sent from the server: private and loopback addresses are refused unless the server allows them. For your own machine use the
              CLI:{" "}
              <code className="font-mono break-all">{npxCommand(window.location.origin, `send ${provider} --to http://localhost:…`)}</code>
            </p>
          )}
        </fieldset>
        {send.isError && <p className="text-sm text-red-700 dark:text-red-400">{send.error.message}</p>}
        {send.data && <Result r={send.data} onCaptured={onCaptured} />}
        <div className="flex justify-end gap-2">
          <button
            type="submit"
            className={primary}
            disabled={send.isPending || (mode === "pasted" ? !secret.trim() : !chosenId) || (targetMode === "url" && !url.trim())}
          >
            {send.isPending ? "Sending…" : "Send"}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/** A button that opens the dialog. */
export function SendTestEventButton({
  endpoint,
  onCaptured,
  className = "",
}: Omit<SendTestEventDialogProps, "open" | "onClose"> & { className?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className={`${button} ${className}`} onClick={() => setOpen(true)}>
        Send test event
      </button>
      <SendTestEventDialog
        endpoint={endpoint}
        open={open}
        onClose={() => setOpen(false)}
        // "Show the capture" closes the dialog so the capture it selects is in view.
        onCaptured={
          onCaptured &&
          ((id) => {
            setOpen(false);
            onCaptured(id);
          })
        }
      />
    </>
  );
}
