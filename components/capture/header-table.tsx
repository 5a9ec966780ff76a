"use client";
// Header pairs as a table, in their order and case with repeats: request headers, trailers and the
// headers of the response we sent. A redacted value (share links) says that one was sent.
// Request headers can fold transport headers (host, connection, sec-fetch-*…) behind one toggle:
// they stay in their place in the order, hidden until shown.
import { useState } from "react";
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { headerDisplayValue, isLatin1Only } from "@/lib/shared/format/header";
import { isTransportHeader } from "@/lib/shared/format/transport-headers";
import type { TCaptureView, TRedactedValue } from "@/lib/shared/validation/captures";
import { EscapedText } from "./escaped-text";

export const TH = "border-b border-zinc-200 px-3 py-1.5 text-left text-xs font-medium text-zinc-500 dark:border-zinc-800";
export const TD = "border-b border-zinc-100 px-3 py-0.5 align-top font-mono text-[12.5px] leading-6 break-all dark:border-zinc-900";

export function HeaderTable({
  headers,
  testId,
  foldTransport = false,
}: {
  headers: TCaptureView["headers"];
  testId: string;
  foldTransport?: boolean;
}) {
  const [showTransport, setShowTransport] = useState(false);
  const transport = foldTransport ? headers.filter(([name]) => isTransportHeader(name)) : [];
  const folded = transport.length > 0 && !showTransport;
  return (
    <>
      <table data-testid={testId} className="w-full table-fixed border-collapse">
        <thead>
          <tr>
            <th className={`${TH} w-[34%]`}>Name</th>
            <th className={TH}>Value</th>
            <th className={`${TH} w-20`}>
              <span className="sr-only">Copy</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {headers.map(([name, value], i) => (
            <HeaderRow
              key={i}
              name={name}
              value={value}
              transport={foldTransport && isTransportHeader(name)}
              hidden={folded && isTransportHeader(name)}
            />
          ))}
        </tbody>
      </table>
      {transport.length > 0 && (
        <button
          type="button"
          aria-expanded={showTransport}
          data-testid="transport-headers-toggle"
          onClick={() => setShowTransport((v) => !v)}
          className="mt-1 flex w-full min-w-0 items-baseline gap-2 rounded px-3 py-1 text-left text-xs text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-900"
        >
          <span className="shrink-0 font-medium">
            {showTransport ? "▾ Hide" : "▸ Show"} {transport.length} transport {transport.length === 1 ? "header" : "headers"}
          </span>
          {!showTransport && (
            <span className="min-w-0 truncate font-mono">{[...new Set(transport.map(([n]) => n.toLowerCase()))].join(", ")}</span>
          )}
        </button>
      )}
    </>
  );
}

function HeaderRow({
  name,
  value,
  transport,
  hidden,
}: {
  name: string;
  value: string | TRedactedValue;
  transport?: boolean;
  hidden?: boolean;
}) {
  const redacted = typeof value !== "string";
  const shown = redacted ? "" : headerDisplayValue(value);
  return (
    <tr
      data-testid="header-row"
      data-header-name={name}
      data-redacted={redacted || undefined}
      data-transport={transport || undefined}
      hidden={hidden}
    >
      <td className={`${TD} text-zinc-700 dark:text-zinc-300`}>
        <EscapedText text={name} />
      </td>
      <td className={TD}>
        {redacted ? (
          <span className="font-sans text-xs text-zinc-500 italic" data-testid="header-redacted">
            {value.length === undefined
              ? "redacted (a value was sent; the sharer hid it)"
              : `redacted (a value of ${value.length} ${value.length === 1 ? "byte" : "bytes"} was sent; the sharer hid it)`}
          </span>
        ) : (
          <>
            <EscapedText text={shown} />
            {isLatin1Only(value) && (
              <span
                className="ml-2 font-sans text-xs text-zinc-500"
                title="These bytes are not valid UTF-8; each byte is shown as its Latin-1 character."
              >
                (not UTF-8)
              </span>
            )}
          </>
        )}
      </td>
      <td className={`${TD} py-0 text-right`}>
        {!redacted && (
          <ClipboardButton
            text={shown}
            label="Copy"
            copiedMessage={`Copied ${name}`}
            size="sm"
            variant="ghost"
            testId="copy-header-value"
            className="whitespace-nowrap"
          />
        )}
      </td>
    </tr>
  );
}
