"use client";
// Everything about one capture, presentational, in the order people read it: the request line and
// key facts, "copy as" commands, the signature verdict, the body at full height (the pane is the
// one scroll), the headers in their original order and case with transport headers folded, the
// query parameters, and the response we sent. It takes the capture as data (its body is a preview
// of the first 256 KiB; "Load all" fetches its bodyUrl), so the dashboard
// (components/capture/capture-detail.tsx) and read-only views such as share links can both mount it. Header values may be redacted ({ redacted: true }).
// All captured content is rendered as text; hidden characters are shown as escapes.
import { useMemo, type ReactNode } from "react";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { formatBytes } from "@/lib/shared/format/bytes";
import { parseUrlEncoded } from "@/lib/shared/format/form";
import { headerDisplayValue } from "@/lib/shared/format/header";
import { escapeHidden } from "@/lib/shared/format/invisible";
import { bodyNeedsFile, toCurl, toFetch, toHttpie, type TRequestSpec } from "@/lib/shared/format/request-code";
import type { TCaptureView } from "@/lib/shared/validation/captures";
import { BodyViewer } from "./body-viewer";
import { Section } from "./capture-section";
import { DriftSection } from "./drift-section";
import { shortContentType } from "./capture-format";
import { EscapedText } from "./escaped-text";
import { HeaderTable, TD, TH } from "./header-table";
import { EventDeliveries } from "./event-deliveries";
import { EventTypeBadge } from "./event-type-badge";
import { MethodBadge } from "./method-badge";
import { SentResponseSection } from "./sent-response-section";
import { useBodyBytes } from "./use-body-bytes";

export interface CaptureDetailViewProps {
  capture: TCaptureView;
  /** The endpoint's capture URL (`…/h/<slug>`); the capture's path and query are appended to it. */
  captureUrl: string;
  /** Name for the downloaded body and for "copy as" commands that read it from a file. */
  bodyFileName?: string;
  /** No destructive actions (share links). */
  readOnly?: boolean;
  /** Extra buttons next to the "copy as" actions. */
  actions?: ReactNode;
  /** Shown when not readOnly; the caller confirms and deletes. */
  deleteAction?: ReactNode;
  /** The signature verdict: under the key facts, above the body. */
  verdict?: ReactNode;
  /** Extra sections at the end (e.g. deliveries). */
  children?: ReactNode;
  /** Select another capture: the links to the other deliveries of this capture's event. */
  onOpenCapture?: (captureId: string) => void;
  /** Open the compare view on two captures (older first): "Compare with previous delivery". */
  onCompare?: (aId: string, bId: string) => void;
}

/** The URL the request was sent to: capture URL + path + query, exactly as sent. */
export function captureFullUrl(captureUrl: string, c: Pick<TCaptureView, "path" | "query">): string {
  return `${captureUrl}${c.path}${c.query !== null ? `?${c.query}` : ""}`;
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="flex min-w-0 items-baseline gap-1.5">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="truncate" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}

function formatDuration(us: number): string {
  if (us < 1000) return `${us} µs`;
  if (us < 1_000_000) return `${(us / 1000).toFixed(us < 10_000 ? 2 : 1)} ms`;
  return `${(us / 1_000_000).toFixed(2)} s`;
}

export function CaptureDetailView({
  capture,
  captureUrl,
  bodyFileName = `capture-${capture.seq}.bin`,
  readOnly = false,
  actions,
  deleteAction,
  verdict,
  onOpenCapture,
  onCompare,
  children,
}: CaptureDetailViewProps) {
  const url = captureFullUrl(captureUrl, capture);
  const shownUrl = headerDisplayValue(url);
  const bodyUrl = capture.bodyUrl;
  const body = useBodyBytes(capture);
  const query = useMemo(() => (capture.query ? parseUrlEncoded(headerDisplayValue(capture.query)) : null), [capture.query]);

  // A preview is only ever cut from a body over INLINE_BODY_MAX (BODY_PREVIEW_BYTES is larger), and
  // such a body is never written into the commands: they read the downloaded file, the exact bytes.
  // So the commands are the same from the preview as from the whole body (request-code.test.ts).
  const spec: TRequestSpec = {
    method: capture.method,
    url,
    headers: capture.headers.map(([k, v]) => [k, typeof v === "string" ? v : null] as const),
    body: body.bytes,
    httpVersion: capture.httpVersion,
    bodyFileName,
  };
  const needsFile = !body.complete || (body.bytes.length > 0 && bodyNeedsFile(body.bytes));
  const receivedAt = new Date(capture.receivedAt);

  return (
    <article data-testid="capture-detail" data-capture-id={capture.id} className="p-4 lg:p-5">
      {/* Wraps on a narrow screen: the URL then takes a line of its own instead of a sliver beside the badges. */}
      <header className="flex min-w-0 flex-wrap items-start gap-2">
        <MethodBadge method={capture.method} testId="detail-method" className="mt-0.5 text-xs" />
        <EventTypeBadge type={capture.eventType} source={capture.eventSource} testId="detail-event-type" className="mt-0.5 shrink" />
        <code
          data-testid="detail-url"
          title={escapeHidden(shownUrl)}
          className="min-w-[min(100%,16rem)] flex-1 font-mono text-[13px] leading-6 break-all"
        >
          <EscapedText text={shownUrl} />
        </code>
        <ClipboardButton
          text={shownUrl}
          label="Copy URL"
          copiedMessage="Copied request URL"
          size="sm"
          testId="copy-request-url"
          className="shrink-0"
        />
      </header>

      <dl className="mt-2 flex flex-wrap gap-x-5 gap-y-1 text-sm">
        <Fact label="Received" testId="detail-received">
          <span title={`${capture.receivedAt} (UTC)`}>{receivedAt.toLocaleString()}</span>{" "}
          <RelativeTime iso={capture.receivedAt} className="text-zinc-500" />
        </Fact>
        <Fact label="From" testId="detail-remote">
          <span className="font-mono text-[13px]">{capture.remoteAddress}</span>
        </Fact>
        <Fact label="Size" testId="detail-size">
          {formatBytes(capture.size)}
          {capture.declaredLength !== null && capture.declaredLength !== capture.size && (
            <span className="text-zinc-500"> (declared {formatBytes(capture.declaredLength)})</span>
          )}
        </Fact>
        <Fact label="Type" testId="detail-content-type">
          {capture.contentType ? (
            <EscapedText text={shortContentType(capture.contentType) ?? capture.contentType} />
          ) : (
            <span className="text-zinc-500">none</span>
          )}
        </Fact>
        <Fact label="Protocol">HTTP/{capture.httpVersion}</Fact>
        <Fact label="Handled in">{formatDuration(capture.durationUs)}</Fact>
        <Fact label="Answered" testId="detail-response">
          {capture.response?.closed ? (
            <span
              className="text-amber-800 dark:text-amber-200"
              title="A response rule closed the connection on purpose: no status was sent"
            >
              closed, no answer
            </span>
          ) : (
            <span className="font-mono text-[13px]">{capture.responseStatus}</span>
          )}
        </Fact>
        <Fact label="Seq">#{capture.seq}</Fact>
      </dl>

      <EventDeliveries capture={capture} onOpen={onOpenCapture} onCompare={onCompare} />

      <div className="mt-3 flex flex-wrap items-center gap-1.5">
        <ClipboardButton text={toCurl(spec)} label="Copy as cURL" copiedMessage="Copied as cURL" size="sm" testId="copy-curl" />
        <ClipboardButton text={toFetch(spec)} label="fetch" copiedMessage="Copied as fetch" size="sm" testId="copy-fetch" />
        <ClipboardButton text={toHttpie(spec)} label="HTTPie" copiedMessage="Copied as HTTPie" size="sm" testId="copy-httpie" />
        {actions}
        {!readOnly && deleteAction && <div className="ml-auto">{deleteAction}</div>}
      </div>
      {needsFile && (
        <p className="mt-1.5 text-xs text-zinc-500" data-testid="curl-file-note">
          The body is binary or large, so the cURL and HTTPie commands read it from <code className="font-mono">{bodyFileName}</code>:{" "}
          <a href={bodyUrl} download={bodyFileName} className="underline">
            download it
          </a>{" "}
          to the folder you run them in.
        </p>
      )}

      {capture.oversize && (
        <p role="note" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200">
          This request was refused with 413: its body was over the size cap, so only its headers and the size seen were kept.
        </p>
      )}

      {capture.drift && capture.drift.length > 0 && <DriftSection drift={capture.drift} eventType={capture.eventType} />}

      {verdict && (
        <Section title="Signature" testId="signature-section">
          {verdict}
        </Section>
      )}

      <Section title="Body" testId="body-section">
        <BodyViewer
          bytes={body.bytes}
          text={body.text}
          contentType={capture.contentType}
          headers={capture.headers}
          bodyUrl={bodyUrl}
          fileName={bodyFileName}
          preview={
            body.complete
              ? null
              : { total: capture.bodySize, loading: body.loading, error: body.error?.message ?? null, onLoadAll: body.loadAll }
          }
        />
      </Section>

      <Section title="Headers" count={capture.headers.length} testId="headers-section">
        <HeaderTable headers={capture.headers} testId="headers-table" foldTransport />
      </Section>

      {capture.trailers && capture.trailers.length > 0 && (
        <Section title="Trailers" count={capture.trailers.length}>
          <p className="mb-2 text-xs text-zinc-500">Sent after the chunked body.</p>
          <HeaderTable headers={capture.trailers} testId="trailers-table" />
        </Section>
      )}

      {query && (
        <Section title="Query parameters" count={query.fields.length} testId="query-section">
          <table data-testid="query-table" className="w-full border-collapse">
            <thead>
              <tr>
                <th className={`${TH} w-1/3`}>Name</th>
                <th className={TH}>Value</th>
              </tr>
            </thead>
            <tbody>
              {query.fields.map((f, i) => (
                <tr key={i} data-testid="query-row">
                  <td className={TD}>
                    <EscapedText text={f.name} />
                  </td>
                  <td className={TD}>
                    <EscapedText text={f.value} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}

      <SentResponseSection key={capture.id} capture={capture} />

      {children}
    </article>
  );
}
