// Browser tests of the dashboard against the real server (production build) and a throwaway
// embedded PostgreSQL, both started by e2e/global-setup.ts. Chromium comes from
// scripts/find-chromium.mjs (CHROMIUM_PATH, the system's chromium, or Playwright's download).
import { defineConfig } from "@playwright/test";
import { findChromium } from "./scripts/find-chromium.mjs";

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  outputDir: "test-results/output",
  // Two cores shared with the server and the database: generous limits, web-first waits only.
  timeout: 120_000,
  // Below scripts/test.mjs's 60 min for the stage (a quiet run takes about 20), so an overrun
  // still ends with Playwright's report of what failed.
  globalTimeout: 55 * 60_000,
  expect: { timeout: 20_000 },
  workers: process.env.CI ? 1 : 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [["list"]],
  use: {
    actionTimeout: 20_000,
    navigationTimeout: 60_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "ui",
      use: {
        browserName: "chromium",
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: findChromium() ?? undefined,
          args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        },
      },
    },
  ],
});
