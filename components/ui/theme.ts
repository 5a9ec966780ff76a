// Light, dark or follow the system. The choice lives in localStorage; THEME_SCRIPT applies it
// before first paint (inlined in the root layout) so a dark-mode user never sees a white flash.
export type TThemeMode = "light" | "dark" | "system";

export const THEME_STORAGE_KEY = "hookscope-theme";

export function readThemeMode(): TThemeMode {
  try {
    const v = localStorage.getItem(THEME_STORAGE_KEY);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

export function systemPrefersDark(): boolean {
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

export function applyThemeMode(mode: TThemeMode): void {
  const dark = mode === "dark" || (mode === "system" && systemPrefersDark());
  document.documentElement.classList.toggle("dark", dark);
  document.documentElement.style.colorScheme = dark ? "dark" : "light";
}

export function saveThemeMode(mode: TThemeMode): void {
  try {
    if (mode === "system") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, mode);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  applyThemeMode(mode);
}

/** Same logic as applyThemeMode(readThemeMode()), as a constant string for an inline <script>. */
export const THEME_SCRIPT = `(function(){try{var m=localStorage.getItem(${JSON.stringify(THEME_STORAGE_KEY)});var d=m==="dark"||(m!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.toggle("dark",d);e.style.colorScheme=d?"dark":"light";}catch(_){}})();`;
