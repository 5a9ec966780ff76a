"use client";
// Raw: the body as text (invalid UTF-8 shown as U+FFFD, with a notice), trimmed head and tail when big.
import { memo, useMemo, useRef } from "react";
import { formatBytes } from "@/lib/shared/format/bytes";
import { trimText } from "@/lib/shared/format/body";
import { findRanges, Marked, useFindResults, type TFind } from "./find";
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
  find,
}: {
  text: string;
  total: number;
  bodyUrl: string;
  fileName: string;
  binary?: boolean;
  notice?: string;
  find?: TFind;
}) {
  const t = useMemo(() => trimText(text), [text]);
  const query = find?.query ?? "";
  const headHits = useMemo(() => findRanges(t.head, query), [t, query]);
  const tailHits = useMemo(() => findRanges(t.tail, query), [t, query]);
  const count = headHits.length + tailHits.length;
  const current = count > 0 ? (((find?.current ?? 0) % count) + count) % count : -1;
  const ref = useRef<HTMLPreElement>(null);
  useFindResults(find, count, ref);
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
      <pre data-testid="body-raw" ref={ref} className={PRE}>
        <Marked text={t.head} ranges={headHits} current={current} multiline />
        {t.omitted > 0 && (
          <>
            <span className="my-1 block border-y border-dashed border-zinc-300 py-1 text-center font-sans text-xs text-zinc-500 dark:border-zinc-700">
              … {t.omitted.toLocaleString("en")} characters not shown …
            </span>
            <Marked text={t.tail} ranges={tailHits} current={current - headHits.length} multiline />
          </>
        )}
      </pre>
    </>
  );
});

function RawBody({ bytes, text, bodyUrl, fileName, find }: TBodyViewProps) {
  const shown = useMemo(
    () => text ?? nonFatalUtf8.decode(bytes.length > RAW_DECODE_MAX ? bytes.subarray(0, RAW_DECODE_MAX) : bytes),
    [text, bytes],
  );
  return <RawView text={shown} total={bytes.length} bodyUrl={bodyUrl} fileName={fileName} binary={text === null} find={find} />;
}

export const rawView: TBodyView = { id: "raw", mode: RAW, kinds: "any", opensFor: ["text", "empty"], findable: true, Component: RawBody };
