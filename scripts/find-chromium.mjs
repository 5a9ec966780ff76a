// Finds a Chromium for Playwright: $CHROMIUM_PATH, then the system's chromium, then a browser
// Playwright downloaded itself. Returns null when there is none.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { isMainModule } from "./main-module.mjs";

export const HOW_TO_GET_CHROMIUM =
  "No Chromium found for the browser tests: install one (Debian/Ubuntu: `sudo apt-get install chromium`), " +
  "or set CHROMIUM_PATH=/path/to/chrome, or run `npx playwright install chromium`.";

/** The one line `npm test` prints when there is no browser; names a CHROMIUM_PATH that points nowhere. */
export function noChromiumMessage() {
  const fromEnv = process.env.CHROMIUM_PATH;
  return fromEnv ? `CHROMIUM_PATH=${fromEnv} does not exist. ${HOW_TO_GET_CHROMIUM}` : HOW_TO_GET_CHROMIUM;
}

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : null;
  for (const name of ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"]) {
    try {
      const p = execFileSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).trim();
      if (p) return p;
    } catch {
      // not on PATH
    }
  }
  return null; // Playwright's own download is used when executablePath is left unset
}

export async function playwrightHasBrowser() {
  try {
    const { chromium } = await import("@playwright/test");
    return fs.existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}

if (isMainModule(import.meta.url)) {
  const p = findChromium();
  if (p) console.log(p);
  else if (await playwrightHasBrowser()) console.log("(playwright download)");
  else {
    console.error(noChromiumMessage());
    process.exit(1);
  }
}
