"use client";

import { buttonClass, type TButtonSize, type TButtonVariant } from "./button-styles";
import { copyText } from "./clipboard";
import { showToast } from "./toaster";

/** A button that copies `text` and says so. */
export function ClipboardButton({
  text,
  label = "Copy",
  copiedMessage = "Copied",
  variant = "secondary",
  size = "md",
  className = "",
  disabled,
  testId,
}: {
  text: string;
  label?: string;
  copiedMessage?: string;
  variant?: TButtonVariant;
  size?: TButtonSize;
  className?: string;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <button
      type="button"
      data-testid={testId}
      disabled={disabled}
      className={buttonClass(variant, className, size)}
      onClick={async () => {
        if (await copyText(text)) showToast(copiedMessage);
        else showToast("Could not copy; select the text and copy it by hand.", "error");
      }}
    >
      {label}
    </button>
  );
}
