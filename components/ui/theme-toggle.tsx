"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import { applyThemeMode, readThemeMode, saveThemeMode, type TThemeMode } from "./theme";

const MODES: { mode: TThemeMode; label: string; icon: string }[] = [
  { mode: "light", label: "Light", icon: "☀" },
  { mode: "dark", label: "Dark", icon: "☾" },
  { mode: "system", label: "System", icon: "◐" },
];

const subscribeNothing = () => () => {};

/** Light / dark / system switch; "system" follows the OS setting as it changes. */
export function ThemeToggle() {
  // The server cannot know the stored choice; render "system" there and the real one after hydration.
  const hydrated = useSyncExternalStore(
    subscribeNothing,
    () => true,
    () => false,
  );
  const [picked, setPicked] = useState<TThemeMode | null>(null);
  const mode = picked ?? (hydrated ? readThemeMode() : "system");

  useEffect(() => {
    if (mode !== "system") return;
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    const follow = () => applyThemeMode("system");
    mq.addEventListener("change", follow);
    return () => mq.removeEventListener("change", follow);
  }, [mode]);

  return (
    <div role="group" aria-label="Colour theme" className="inline-flex rounded-md border border-zinc-200 p-0.5 dark:border-zinc-700">
      {MODES.map(({ mode: m, label, icon }) => (
        <button
          key={m}
          type="button"
          aria-pressed={mode === m}
          title={`${label} theme`}
          onClick={() => {
            saveThemeMode(m);
            setPicked(m);
          }}
          className="rounded px-1.5 py-0.5 text-xs text-zinc-500 hover:text-zinc-900 aria-pressed:bg-zinc-200 aria-pressed:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100 dark:aria-pressed:bg-zinc-700 dark:aria-pressed:text-zinc-50"
        >
          <span aria-hidden="true">{icon}</span>
          <span className="sr-only">{label}</span>
        </button>
      ))}
    </div>
  );
}
