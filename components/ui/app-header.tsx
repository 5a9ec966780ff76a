import Link from "next/link";
import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/ui/theme-toggle";

/** The thin top bar every page shares: home link, page-specific middle, theme switch. */
export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-3 border-b border-zinc-200 px-4 dark:border-zinc-800">
      <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight">
        <span aria-hidden="true" className="grid size-6 place-items-center rounded bg-indigo-600 text-xs text-white">
          ◎
        </span>
        Hookscope
      </Link>
      <div className="flex min-w-0 flex-1 items-center gap-3">{children}</div>
      <Link href="/api-docs" className="text-sm text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100">
        API
      </Link>
      <ThemeToggle />
    </header>
  );
}
