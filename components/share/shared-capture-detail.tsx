"use client";
// One capture seen through a share link: read-only, no delete, resend or edit. Header values the
// link hides arrive from the server as { redacted, length } and are shown as such. Captured
// content is rendered as text only.
import { MethodBadge } from "@/components/capture/method-badge";
import { formatSize, pathWithQuery } from "@/components/endpoint/capture-format";
import { buttonClass } from "@/components/ui/button-styles";
import { RelativeTime } from "@/components/ui/relative-time";
import { describeError } from "@/lib/query/api";
import { sharePath, useSharedCapture } from "@/lib/query/share-links";

export function SharedCaptureDetail({ token, captureId }: { token: string; captureId: string }) {
  const q = useSharedCapture(token, captureId);
  if (q.isPending) return <p className="p-6 text-sm text-zinc-500">Loading capture…</p>;
  if (q.isError) {
    return (
      <p role="alert" className="p-6 text-sm text-red-600 dark:text-red-400">
        {describeError(q.error, "capture")}
      </p>
    );
  }
  const c = q.data;
  const bodyUrl = sharePath(token, `/captures/${encodeURIComponent(c.id)}/body`);
  return (
    <article className="p-4 text-sm" data-testid="shared-capture" data-capture-id={c.id}>
      <header className="flex flex-wrap items-center gap-2">
        <MethodBadge method={c.method} />
        <code className="min-w-0 font-mono break-all" data-testid="shared-capture-path">
          {pathWithQuery(c) || "/"}
        </code>
      </header>
      <p className="mt-1 text-xs text-zinc-500">
        #{c.seq} · <RelativeTime iso={c.receivedAt} /> · {formatSize(c.size)}
        {c.contentType ? ` · ${c.contentType}` : ""} · from {c.remoteAddress} · answered {c.responseStatus}
      </p>

      <h3 className="mt-5 mb-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">Headers {c.headers.length}</h3>
      <table className="w-full font-mono text-xs">
        <tbody>
          {c.headers.map(([name, value], i) => (
            <tr
              key={i}
              data-testid="header-row"
              data-header-name={name}
              data-redacted={typeof value === "string" ? undefined : true}
              className="border-t border-zinc-100 align-top dark:border-zinc-800"
            >
              <td className="w-px py-1 pr-4 whitespace-nowrap text-zinc-500">{name}</td>
              <td className="py-1 break-all">
                {typeof value === "string" ? (
                  value
                ) : (
                  <span className="font-sans text-zinc-500 italic" data-testid="header-redacted">
                    hidden by the share link (a value of {value.length} {value.length === 1 ? "byte" : "bytes"} was sent)
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3 className="mt-5 mb-2 flex items-center gap-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
        Body {formatSize(c.size)}
        <a href={bodyUrl} className={buttonClass("secondary", "normal-case tracking-normal", "sm")} download>
          Download
        </a>
      </h3>
      {c.oversize ? (
        <p className="text-zinc-500">The body was over the size limit and was not stored.</p>
      ) : c.size === 0 ? (
        <p className="text-zinc-500">No body.</p>
      ) : c.body.text !== null ? (
        <pre
          data-testid="shared-capture-body"
          className="max-h-[60vh] overflow-auto rounded bg-zinc-50 p-3 font-mono text-xs break-all whitespace-pre-wrap dark:bg-zinc-900"
        >
          {c.body.text}
        </pre>
      ) : (
        <p className="text-zinc-500">Binary body ({formatSize(c.size)}): download it to look inside.</p>
      )}
    </article>
  );
}
