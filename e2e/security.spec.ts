// The dashboard under its strict Content-Security-Policy (scripts only with the response's
// nonce): it still hydrates and works, the no-flash theme script still runs before React, and
// the browser reports no CSP violation on the way. test/security-headers.test.ts checks the
// headers themselves.
import type { Page } from "@playwright/test";
import { createEndpointFromHome, expect, row, screenshot, sendJson, test } from "./fixtures";

/** Collects every CSP violation the page reports, from the first byte of each document. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction("__cspViolation", (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __cspViolation: (v: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  return seen;
}

test("under the nonce CSP the dashboard hydrates, goes live, runs the theme script, and nothing is blocked", async ({ page }) => {
  const violations = await watchViolations(page);
  // Hydrated and interactive: the button works, the live stream connects, a capture shows up.
  const { captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { csp: "strict" }, { path: "/csp" });
  await row(page, 1).click();
  await expect(page.getByTestId("capture-row")).toHaveCount(1);

  await page.getByRole("button", { name: "Dark" }).click();
  await page.reload({ waitUntil: "domcontentloaded" });
  // Only the inline theme script (allowed by its nonce) can have set this before React ran.
  expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
  await screenshot(page, "security-csp-dashboard");

  await page.goto("/");
  await expect(page.getByTestId("endpoint-item")).toHaveCount(1);
  expect(violations).toEqual([]);

  // The policy is really enforced: markup that slipped into the page (the way captured content
  // would, were it ever rendered as HTML) cannot run an inline handler.
  await page.evaluate(() => {
    const div = document.createElement("div");
    div.innerHTML = '<img src="data:," onerror="window.__injected = true" onload="window.__injected = true">';
    document.body.appendChild(div);
  });
  await expect.poll(() => violations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected === true)).toBe(false);
});
