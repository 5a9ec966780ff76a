"use client";
// Hex: offset, bytes and ASCII of every byte, trimmed head and tail past HEX_MAX.
import { memo, useMemo } from "react";
import { formatBytes } from "@/lib/shared/format/bytes";
import { hexDump, trimBytes } from "@/lib/shared/format/body";
import { PRE, TrimmedNotice } from "./parts";
import { HEX, type TBodyView } from "./types";

const HexView = memo(function HexView({ bytes, bodyUrl, fileName }: { bytes: Uint8Array; bodyUrl: string; fileName: string }) {
  const t = useMemo(() => trimBytes(bytes), [bytes]);
  const head = useMemo(() => hexDump(t.head), [t]);
  const tail = useMemo(() => (t.omitted ? hexDump(t.tail, t.tailOffset) : ""), [t]);
  return (
    <>
      {t.omitted > 0 && (
        <TrimmedNotice
          shown={`the first ${formatBytes(t.head.length)} and the last ${formatBytes(t.tail.length)}`}
          total={bytes.length}
          unit=""
          bodyUrl={bodyUrl}
          fileName={fileName}
        />
      )}
      <pre data-testid="body-hex" className={`${PRE} whitespace-pre`}>
        {head}
        {t.omitted > 0 && (
          <>
            {"\n"}
            <span className="my-1 block border-y border-dashed border-zinc-300 py-1 font-sans text-xs text-zinc-500 dark:border-zinc-700">
              … {formatBytes(t.omitted)} not shown …
            </span>
            {tail}
          </>
        )}
      </pre>
    </>
  );
});

export const hexView: TBodyView = { id: "hex", mode: HEX, kinds: "any", opensFor: ["binary"], Component: HexView };
