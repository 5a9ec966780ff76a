"use client";
// The root layout itself failed: this replaces it, so it brings its own <html>, styles and theme
// (the nonce'd theme script is gone with the layout: the saved choice is applied after mount).
import { useEffect } from "react";
import { buttonClass } from "@/components/ui/button-styles";
import { PageMessage } from "@/components/ui/page-message";
import { applyThemeMode, readThemeMode } from "@/components/ui/theme";
import "./globals.css";

export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    applyThemeMode(readThemeMode());
    console.error(error);
  }, [error]);
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-dvh bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <PageMessage
          title="Hookscope could not load"
          messageTestId="error-message"
          action={
            <button type="button" className={buttonClass("primary")} onClick={() => reset()}>
              Try again
            </button>
          }
        >
          Something failed before the page could draw{error.digest ? ` (reference ${error.digest})` : ""}. Your captures are safe; try again
          in a moment.
        </PageMessage>
      </body>
    </html>
  );
}
