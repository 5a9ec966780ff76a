import Link from "next/link";
import type { ReactNode } from "react";
import { AppHeader } from "./app-header";
import { buttonClass } from "./button-styles";

/**
 * A whole page that only has something to say (404, an error, a share link that stopped
 * working, a dashboard link that failed): the app's header and theme switch, a heading, the
 * message, and a way home. `action` adds a button before the way home (e.g. "Try again").
 */
export function PageMessage({
  title,
  children,
  action,
  homeLabel = "Back to your endpoints",
  titleTestId,
  messageTestId,
  alert = true,
}: {
  title: string;
  children: ReactNode;
  action?: ReactNode;
  homeLabel?: string;
  titleTestId?: string;
  messageTestId?: string;
  /** The message is announced (an error the user did not expect); false for a plain 404. */
  alert?: boolean;
}) {
  return (
    <div className="flex min-h-dvh flex-col">
      <title>{`${title} · Hookscope`}</title>
      <AppHeader />
      <main className="mx-auto w-full max-w-lg px-4 py-16">
        <h1 className="text-xl font-semibold" data-testid={titleTestId}>
          {title}
        </h1>
        <p role={alert ? "alert" : undefined} data-testid={messageTestId} className="mt-3 text-zinc-600 dark:text-zinc-400">
          {children}
        </p>
        <div className="mt-6 flex flex-wrap gap-2">
          {action}
          <Link href="/" className={buttonClass("secondary")} data-testid="page-message-home">
            {homeLabel}
          </Link>
        </div>
      </main>
    </div>
  );
}
