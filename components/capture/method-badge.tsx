// A request method as a small coloured label. Unknown tokens (PROPFIND, FOO) stay neutral, so a
// colour always means a standard method; the text is captured data and is rendered as text.

const METHOD_COLORS = new Map<string, string>(
  Object.entries({
    GET: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-300",
    HEAD: "bg-sky-50 text-sky-700 dark:bg-sky-950/60 dark:text-sky-400",
    POST: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
    PUT: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
    PATCH: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-300",
    DELETE: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
    OPTIONS: "bg-teal-50 text-teal-800 dark:bg-teal-950/60 dark:text-teal-300",
  }),
);

const NEUTRAL = "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200";

/** The badge's colour classes: a Map, so a captured method named `constructor` or `toString` is just unknown. */
export function methodColor(method: string): string {
  return METHOD_COLORS.get(method) ?? NEUTRAL;
}

/** Longest method shown whole; longer tokens are cut with an ellipsis (full text in the title). */
const MAX_SHOWN = 10;

export function MethodBadge({ method, className = "", testId }: { method: string; className?: string; testId?: string }) {
  const color = methodColor(method);
  const shown = method.length > MAX_SHOWN ? `${method.slice(0, MAX_SHOWN - 1)}…` : method;
  return (
    <span
      data-testid={testId}
      data-method={method}
      title={shown === method ? undefined : method}
      className={`inline-block min-w-12 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-[11px] leading-4 font-semibold ${color} ${className}`}
    >
      {shown}
    </span>
  );
}
