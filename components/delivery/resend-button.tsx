"use client";
// "Resend" for the selected capture: loads it in full and opens the resend editor.
import { useState } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { useCapture } from "@/lib/browser/query/use-capture";
import { ResendDialog } from "./resend-dialog";

export function ResendButton({ captureId }: { captureId: string }) {
  const [open, setOpen] = useState(false);
  const capture = useCapture(captureId);
  return (
    <>
      <button
        type="button"
        className={buttonClass("secondary", "", "sm")}
        disabled={!capture.data}
        onClick={() => setOpen(true)}
        data-testid="resend-open"
        title="Send this capture (edited or not) to a URL"
      >
        Resend…
      </button>
      {capture.data && <ResendDialog open={open} onClose={() => setOpen(false)} capture={capture.data} />}
    </>
  );
}
