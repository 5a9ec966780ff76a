// Shared button looks, as class strings so links and buttons can both wear them.
//
// One hierarchy, used the same way in every row, toolbar and dialog:
// - primary: the one main action of a dialog or a page (Create, Send, Save). At most one per view.
// - secondary (bordered): every other action that does something (Resend…, Compare with previous,
//   Share, Copy). Equal actions side by side all wear this one look.
// - ghost, the quiet level (no border): navigation-like or dismissive controls (Cancel, Close,
//   toolbar menus, icon buttons). Never beside a bordered button for an action of equal weight.
// - danger / dangerGhost: the destructive versions of primary / quiet.
const BASE =
  "inline-flex items-center justify-center gap-1.5 rounded-md font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:opacity-50";

const VARIANTS = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 dark:bg-indigo-500 dark:hover:bg-indigo-400",
  secondary:
    "border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
  ghost: "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100",
  /** A destructive action that is not the dialog's main button (a red ghost). */
  dangerGhost: "text-red-600 hover:bg-red-50 hover:text-red-700 dark:text-red-400 dark:hover:bg-red-950/50 dark:hover:text-red-300",
  danger: "bg-red-600 text-white hover:bg-red-500 dark:bg-red-600 dark:hover:bg-red-500",
} as const;

const SIZES = {
  sm: "px-2 py-1 text-xs",
  md: "px-3 py-1.5 text-sm",
  lg: "px-5 py-2.5 text-base",
} as const;

export type TButtonVariant = keyof typeof VARIANTS;
export type TButtonSize = keyof typeof SIZES;

export function buttonClass(variant: TButtonVariant = "secondary", extra = "", size: TButtonSize = "md"): string {
  return `${BASE} ${VARIANTS[variant]} ${SIZES[size]} ${extra}`.trim();
}
