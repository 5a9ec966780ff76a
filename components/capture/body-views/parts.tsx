// Pieces the body views share: their text and notice styles, the trimmed-body notice, the form tables.
import { formatBytes } from "@/lib/shared/format/bytes";

export const PRE = "overflow-auto px-3 py-2 font-mono text-[12.5px] leading-5 whitespace-pre-wrap break-all";
export const NOTICE =
  "border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-900 dark:border-amber-900/60 dark:bg-amber-950/40 dark:text-amber-200";

/** Why a view that parses JSON shows a cut preview as sent. */
export const PARTIAL_JSON_NOTICE = "Only the start of this JSON is loaded, so it is shown as sent: Load all to format it.";

export function TrimmedNotice({
  shown,
  total,
  bodyUrl,
  fileName,
  unit,
}: {
  shown: string;
  total: number;
  bodyUrl: string;
  fileName: string;
  unit: string;
}) {
  return (
    <p data-testid="body-trimmed-notice" className={NOTICE}>
      Large body: showing {shown} of {formatBytes(total)}
      {unit}; the middle is left out here.{" "}
      <a href={bodyUrl} download={fileName} className="font-medium underline">
        Download the whole body
      </a>
      .
    </p>
  );
}

export const TABLE = "w-full border-collapse text-left text-[12.5px]";
export const TH = "border-b border-zinc-200 px-3 py-1.5 text-xs font-medium text-zinc-500 dark:border-zinc-800";
export const TD = "border-b border-zinc-100 px-3 py-1 align-top font-mono break-all dark:border-zinc-900";
