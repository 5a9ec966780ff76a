"use client";
// Short confirmations ("Copied capture URL") in one polite live region; a tiny store instead of a context.
import { useSyncExternalStore } from "react";

interface TToast {
  id: number;
  text: string;
  tone: "info" | "error";
}

let toasts: TToast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

export function showToast(text: string, tone: TToast["tone"] = "info"): void {
  const id = nextId++;
  toasts = [...toasts.slice(-2), { id, text, tone }];
  emit();
  setTimeout(
    () => {
      toasts = toasts.filter((t) => t.id !== id);
      emit();
    },
    tone === "error" ? 6000 : 2500,
  );
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
const EMPTY: TToast[] = [];

export function Toaster() {
  const list = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => EMPTY,
  );
  return (
    <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex flex-col items-end gap-2">
      {list.map((t) => (
        <div
          key={t.id}
          role={t.tone === "error" ? "alert" : "status"}
          className={`rounded-md px-3 py-2 text-sm shadow-lg ${
            t.tone === "error" ? "bg-red-600 text-white" : "bg-zinc-900 text-zinc-50 dark:bg-zinc-100 dark:text-zinc-900"
          }`}
        >
          {t.text}
        </div>
      ))}
    </div>
  );
}
