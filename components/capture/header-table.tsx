"use client";
// Header pairs as a table, in their order and case with repeats: request headers, trailers and the
// headers of the response we sent. A redacted value (share links) says that one was sent.
import { ClipboardButton } from "@/components/ui/clipboard-button";
import { headerDisplayValue, isLatin1Only } from "@/lib/shared/format/header";
import type { TCaptureView, TRedactedValue } from "@/lib/shared/validation/captures";
import { EscapedText } from "./escaped-text";

export const TH = "border-b border-zinc-200 px-3 py-1.5 text-left text-xs font-medium text-zinc-500 dark:border-zinc-800";
export const TD = "border-b border-zinc-100 px-3 py-0.5 align-top font-mono text-[12.5px] leading-6 break-all dark:border-zinc-900";

export function HeaderTable({ headers, testId }: { headers: TCaptureView["headers"]; testId: string }) {
  return (
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
          <HeaderRow key={i} name={name} value={value} />
        ))}
      </tbody>
    </table>
  );
}

function HeaderRow({ name, value }: { name: string; value: string | TRedactedValue }) {
  const redacted = typeof value !== "string";
  const shown = redacted ? "" : headerDisplayValue(value);
  return (
    <tr data-testid="header-row" data-header-name={name} data-redacted={redacted || undefined}>
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
