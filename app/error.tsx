"use client";
// A page that threw while rendering: the app's chrome, what happened, and a way to try again or
// go home. The root layout (theme, providers) is still in place here.
import { useEffect } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { PageMessage } from "@/components/ui/page-message";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <PageMessage
      title="Something went wrong"
      messageTestId="error-message"
      action={
        <button type="button" className={buttonClass("primary")} onClick={() => reset()}>
          Try again
        </button>
      }
    >
      This page failed to load{error.digest ? ` (reference ${error.digest})` : ""}. Your captures are safe; try again, or go back to your
      endpoints.
    </PageMessage>
  );
}
