import Link from "next/link";
import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/ui/theme-toggle";

/**
 * The thin top bar every page shares: home link, page-specific middle, theme switch. On a phone
 * (below `sm`) the API link, and the wordmark when there is a middle, give their room to it (an
 * endpoint's name): the mark alone still leads home and keeps "Hookscope" as its accessible name.
 */
export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b border-zinc-200 px-3 sm:gap-3 sm:px-4 dark:border-zinc-800">
      <Link href="/" className="flex shrink-0 items-center gap-2 font-semibold tracking-tight" data-testid="home-link">
        {/* The same mark as app/icon.svg (the favicon). */}
        <svg aria-hidden="true" viewBox="0 0 64 64" className="size-6 shrink-0">
          <rect width="64" height="64" rx="14" fill="#4f46e5" />
          <circle cx="32" cy="32" r="17" fill="none" stroke="#fff" strokeWidth="6" />
          <circle cx="32" cy="32" r="6" fill="#fff" />
        </svg>
        <span className={children ? "max-sm:sr-only" : undefined}>Hookscope</span>
      </Link>
      <div className="flex min-w-0 flex-1 items-center gap-2 sm:gap-3">{children}</div>
      <Link
        href="/api-docs"
        className="shrink-0 text-sm text-zinc-600 hover:text-zinc-900 max-sm:hidden dark:text-zinc-400 dark:hover:text-zinc-100"
      >
        API
      </Link>
      <ThemeToggle />
    </header>
  );
}
