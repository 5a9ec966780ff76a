import { ModalDialog } from "@/components/ui/modal-dialog";

export const SHORTCUTS: [keys: string[], what: string][] = [
  [["j", "↓"], "Next (older) capture"],
  [["k", "↑"], "Previous (newer) capture"],
  [["/"], "Search captures (method:, path:, header:, type:, size:, after:, before:, body text)"],
  [["x"], "Mark the selected capture for compare"],
  [["c"], "Copy the capture URL"],
  [["?"], "Show these shortcuts"],
  [["Esc"], "Close a dialog, clear the search"],
];

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <ModalDialog open={open} onClose={onClose} title="Keyboard shortcuts" testId="shortcuts-dialog">
      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={what} className="contents">
            <dt className="flex gap-1">
              {keys.map((k) => (
                <kbd
                  key={k}
                  className="min-w-6 rounded border border-zinc-300 bg-zinc-50 px-1.5 text-center font-mono text-xs leading-5 dark:border-zinc-600 dark:bg-zinc-800"
                >
                  {k}
                </kbd>
              ))}
            </dt>
            <dd className="text-zinc-600 dark:text-zinc-300">{what}</dd>
          </div>
        ))}
      </dl>
    </ModalDialog>
  );
}
