"use client";
// Raw: the body as text (invalid UTF-8 shown as U+FFFD, with a notice), trimmed head and tail when big.
import { memo, useMemo } from "react";
import { formatBytes } from "@/lib/shared/format/bytes";
import { trimText } from "@/lib/shared/format/body";
import { EscapedText } from "@/components/capture/escaped-text";
import { NOTICE, PRE, TrimmedNotice } from "./parts";
import { RAW, type TBodyView, type TBodyViewProps } from "./types";

/** Bytes decoded for the Raw view of a body that is not valid UTF-8. */
const RAW_DECODE_MAX = 4 * 1024 * 1024;
const nonFatalUtf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** Text as the Raw view shows it; other views fall back to it (with a `notice` saying why). */
export const RawView = memo(function RawView({
  text,
  total,
  bodyUrl,
  fileName,
  binary,
  notice,
}: {
  text: string;
  total: number;
  bodyUrl: string;
  fileName: string;
  binary?: boolean;
  notice?: string;
}) {
  const t = useMemo(() => trimText(text), [text]);
  return (
    <>
      {notice && (
        <p data-testid="body-fallback-notice" className={NOTICE}>
          {notice}
        </p>
      )}
      {binary && <p className={NOTICE}>Not valid UTF-8: invalid bytes are shown as �. The Hex view shows every byte.</p>}
      {t.omitted > 0 && (
        <TrimmedNotice
          shown={`the first ${formatBytes(t.head.length)} and the last ${formatBytes(t.tail.length)} characters`}
          total={total}
          unit=""
          bodyUrl={bodyUrl}
          fileName={fileName}
        />
      )}
      <pre data-testid="body-raw" className={`${PRE} max-h-[70vh]`}>
        <EscapedText text={t.head} multiline />
        {t.omitted > 0 && (
          <>
            <span className="my-1 block border-y border-dashed border-zinc-300 py-1 text-center font-sans text-xs text-zinc-500 dark:border-zinc-700">
              … {t.omitted.toLocaleString("en")} characters not shown …
            </span>
            <EscapedText text={t.tail} multiline />
          </>
        )}
      </pre>
    </>
  );
});

function RawBody({ bytes, text, bodyUrl, fileName }: TBodyViewProps) {
  const shown = useMemo(
    () => text ?? nonFatalUtf8.decode(bytes.length > RAW_DECODE_MAX ? bytes.subarray(0, RAW_DECODE_MAX) : bytes),
    [text, bytes],
  );
  return <RawView text={shown} total={bytes.length} bodyUrl={bodyUrl} fileName={fileName} binary={text === null} />;
}

export const rawView: TBodyView = { id: "raw", mode: RAW, kinds: "any", opensFor: ["text", "empty"], Component: RawBody };
