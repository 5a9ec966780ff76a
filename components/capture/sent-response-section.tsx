"use client";
// "Response we sent": the answer a capture got, from the response settings revision that answered it.
import { formatBytes } from "@/lib/shared/format/bytes";
import { describeAppliedFailure } from "@/lib/shared/format/rule-failure";
import type { TCaptureView } from "@/lib/shared/validation/captures";
import { Section } from "./capture-section";
import { EscapedText } from "./escaped-text";
import { HeaderTable } from "./header-table";

export /**
 * The whole answer the capture got (status, headers, body, delay), folded under a one-line
 * summary: rebuilt on the server from the response settings revision that answered it.
 */
function SentResponseSection({ capture }: { capture: TCaptureView }) {
  const r = capture.response;
  if (!r) {
    if (capture.oversize) return null; // the 413 note above says it
    return (
      <Section title="Response we sent" testId="sent-response">
        <p className="text-sm text-zinc-500">
          Answered {capture.responseStatus}. This capture is older than the response history, so its headers and body are not known.
        </p>
      </Section>
    );
  }
  const bodyBytes = r.body === null ? 0 : new TextEncoder().encode(r.body).length;
  return (
    <Section title="Response we sent" testId="sent-response">
      <details className="rounded-md border border-zinc-200 dark:border-zinc-800">
        <summary className="cursor-pointer px-3 py-2 text-sm select-none" data-testid="sent-response-summary">
          <span className="font-mono text-[13px] font-semibold">{r.status}</span>
          <span className="text-zinc-500">
            {" "}
            · {r.headers.length} headers · {r.body === null ? "no body" : `${formatBytes(bodyBytes)} body`}
            {r.delayMs > 0 && ` · held ${r.delayMs} ms after storing`}
          </span>
          {r.rule && (
            <span
              data-testid="sent-response-rule"
              className="ml-2 rounded bg-violet-50 px-1.5 py-0.5 text-xs text-violet-800 dark:bg-violet-950 dark:text-violet-200"
            >
              Rule {r.rule.index + 1}
              {r.rule.name ? ` “${r.rule.name}”` : ""}
            </span>
          )}
          {r.failure && (r.closed || ("failed" in r.failure ? r.failure.failed : true)) && (
            <span
              data-testid="sent-response-failure"
              className="ml-2 rounded bg-amber-50 px-1.5 py-0.5 text-xs text-amber-800 dark:bg-amber-950 dark:text-amber-200"
            >
              {r.closed ? "connection closed" : r.failure.mode === "slow" ? "slow on purpose" : "failed on purpose"}
            </span>
          )}
          {r.error && (
            <span
              data-testid="sent-response-error"
              className="ml-2 rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-800 dark:bg-red-950 dark:text-red-200"
            >
              template failed
            </span>
          )}
          {r.handshake && (
            <span
              data-testid="sent-response-handshake"
              className="ml-2 rounded bg-sky-50 px-1.5 py-0.5 text-xs text-sky-800 dark:bg-sky-950 dark:text-sky-200"
            >
              {r.handshake} handshake answered
            </span>
          )}
        </summary>
        <div className="border-t border-zinc-200 px-3 pt-1 pb-3 dark:border-zinc-800">
          {r.error && (
            <p data-testid="sent-response-error-text" className="mt-2 text-sm text-red-800 dark:text-red-200">
              The rule&apos;s template could not be rendered ({r.error}), so the endpoint&apos;s own answer was sent.
            </p>
          )}
          {r.failure && (
            <p data-testid="sent-response-failure-text" className="mt-2 text-sm text-amber-800 dark:text-amber-200">
              {describeAppliedFailure(r.failure)}
            </p>
          )}
          <HeaderTable headers={r.headers} testId="sent-response-headers" />
          {r.body !== null && (
            <pre
              data-testid="sent-response-body"
              className="mt-3 max-h-64 overflow-auto rounded-md bg-zinc-50 p-3 font-mono text-[12.5px] break-all whitespace-pre-wrap dark:bg-zinc-900"
            >
              <EscapedText text={r.body} />
            </pre>
          )}
          <p className="mt-2 text-xs text-zinc-500">
            {r.rule && !r.error
              ? `Answered by response rule ${r.rule.index + 1}${r.rule.name ? ` “${r.rule.name}”` : ""} as it was when this request arrived (Settings → Response); node added its Date and Connection headers.`
              : r.handshake
                ? `The answer ${r.handshake} expects, sent instead of the endpoint's configured answer (Settings → Response turns handshakes off); node added its Date and Connection headers.`
                : "As set in the endpoint's response settings when this request arrived; node added its Date and Connection headers."}
          </p>
        </div>
      </details>
    </Section>
  );
}
