// A titled section of the capture detail (headers, body, the response we sent, the signature verdict…).
import type { ReactNode } from "react";

export function Section({ title, count, children, testId }: { title: string; count?: number; children: ReactNode; testId?: string }) {
  return (
    <section className="mt-5" data-testid={testId}>
      <h3 className="mb-2 flex items-baseline gap-2 text-xs font-semibold tracking-wide text-zinc-500 uppercase">
        {title}
        {count !== undefined && <span className="font-normal tabular-nums">{count}</span>}
      </h3>
      {children}
    </section>
  );
}
