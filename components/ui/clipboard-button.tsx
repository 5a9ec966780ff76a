"use client";

import { useEffect, useState } from "react";
import { buttonClass, type TButtonSize, type TButtonVariant } from "./button-styles";
import { copyText } from "./clipboard";
import { showToast } from "./toaster";

const COPIED_MS = 1800;

/**
 * A button that copies `text` and says so where the eye already is: its own label turns to
 * "Copied ✓" for a moment (the width is kept so nothing beside it moves), and a polite status
 * right beside it tells screen readers `copiedMessage`. A failure is a toast: it needs words.
 */
export function ClipboardButton({
  text,
  label = "Copy",
  copiedMessage = "Copied",
  variant = "secondary",
  size = "md",
  className = "",
  disabled,
  title,
  testId,
}: {
  text: string;
  label?: string;
  copiedMessage?: string;
  variant?: TButtonVariant;
  size?: TButtonSize;
  className?: string;
  disabled?: boolean;
  /** Tooltip, e.g. why the button is disabled. */
  title?: string;
  testId?: string;
}) {
  const [copiedAt, setCopiedAt] = useState<number | null>(null);
  useEffect(() => {
    if (copiedAt === null) return;
    const t = setTimeout(() => setCopiedAt(null), COPIED_MS);
    return () => clearTimeout(t);
  }, [copiedAt]);
  const copied = copiedAt !== null;
  return (
    <>
      <button
        type="button"
        data-testid={testId}
        data-copied={copied || undefined}
        disabled={disabled}
        title={title}
        className={buttonClass(variant, className, size)}
        onClick={async () => {
          if (await copyText(text)) setCopiedAt(Date.now());
          else showToast("Could not copy; select the text and copy it by hand.", "error");
        }}
      >
        {/* Both labels share one grid cell: the button is as wide as the wider of the two. The label
            only fades (opacity), so the button keeps its accessible name meanwhile. */}
        <span className="grid">
          <span className={`col-start-1 row-start-1 ${copied ? "opacity-0" : ""}`}>{label}</span>
          <span aria-hidden="true" className={`col-start-1 row-start-1 ${copied ? "" : "invisible"}`}>
            Copied ✓
          </span>
        </span>
      </button>
      <span role="status" className="sr-only">
        {copied ? copiedMessage : ""}
      </span>
    </>
  );
}
