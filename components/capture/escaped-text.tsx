// Captured text as text, with every hidden character (bidi overrides, zero-width characters,
// controls) shown as a visible escape like `\u202E` instead of acting on the text around it.
import { memo } from "react";
import { splitHidden } from "@/lib/shared/format/invisible";

const ESCAPE_CLASS = "mx-px rounded-sm bg-amber-100 px-0.5 font-mono text-[0.85em] text-amber-900 dark:bg-amber-900/60 dark:text-amber-100";

export const EscapedText = memo(function EscapedText({ text, multiline = false }: { text: string; multiline?: boolean }) {
  const pieces = splitHidden(text, { multiline });
  if (pieces.length === 1 && typeof pieces[0] === "string") return <>{pieces[0]}</>;
  return (
    <>
      {pieces.map((p, i) =>
        typeof p === "string" ? (
          p
        ) : (
          <span
            key={i}
            data-testid="hidden-char"
            data-escape={p.escape}
            title={`${p.name} (hidden character shown as an escape)`}
            className={ESCAPE_CLASS}
          >
            {p.escape}
          </span>
        ),
      )}
    </>
  );
});
