import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { THEME_SCRIPT } from "@/components/ui/theme";
import "./globals.css";
import { Providers } from "./providers";

// No title here: the dashboard sets its own (<title> with the endpoint's name, known only in the
// browser), and a second, inherited <title> would win over it.
export const metadata: Metadata = {
  description: "Capture, inspect, compare, resend and forward webhooks.",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#09090b" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Set by proxy.ts for this response; the page's CSP runs only scripts that carry it.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    // The theme script sets class="dark" before React hydrates; the mismatch is expected.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* A constant string of ours (never captured data), allowed by this response's nonce. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-dvh bg-white text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
