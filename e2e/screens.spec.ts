// Every main screen at desktop (1440×900) and phone (390×844) size, light and dark: a screenshot
// of each for a person to look at (test-results/screenshots/screen-<name>-<size>-<theme>.png) and
// an axe-core check (WCAG 2.0 A/AA, 2.1 AA) that fails on any serious or critical violation. The
// theme is the stored preference the app's own toggle writes (localStorage), set before the first
// script runs. Screens are reached by roles and test ids that name what they are, with little
// data: one JSON capture, one more on the same path for compare, one share link.
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { THEME_STORAGE_KEY } from "../components/ui/theme";
import { createEndpointFromHome, expect, row, screenshot, sendJson, test } from "./fixtures";

const SIZES = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
} as const;
const THEMES = ["light", "dark"] as const;

const STRIPE_EVENT = {
  id: "evt_3PqS2bLkdIwHu7ix0",
  object: "event",
  type: "payment_intent.succeeded",
  data: { object: { id: "pi_3PqS2bLkdIwHu7ix", object: "payment_intent", amount: 2000, currency: "usd", status: "succeeded" } },
};

/** Runs axe on what is on screen now; returns one readable line per serious or critical problem. */
async function axeProblems(page: Page, screen: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  const out: string[] = [];
  for (const v of result.violations) {
    if (v.impact !== "serious" && v.impact !== "critical") continue;
    for (const n of v.nodes) {
      const why = n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? "";
      out.push(`[${screen}] ${v.impact} ${v.id}: ${v.help}\n    at ${n.target.join(" ")}\n    ${n.html.slice(0, 200)}\n    ${why}`);
      console.log(out.at(-1)); // as found: a long walk that fails later still shows these
    }
  }
  return out;
}

for (const [size, viewport] of Object.entries(SIZES) as [keyof typeof SIZES, (typeof SIZES)[keyof typeof SIZES]][]) {
  for (const theme of THEMES) {
    test.describe(`${size} ${theme}`, () => {
      test.use({ viewport, reducedMotion: "reduce" });

      test(`every main screen at ${size} size in ${theme}: screenshot and no serious axe violation`, async ({ page, browser, baseURL }) => {
        test.setTimeout(600_000); // a dozen screens, each with axe, on a shared 2-core machine
        const problems: string[] = [];
        const check = async (name: string) => {
          await screenshot(page, `screen-${name}-${size}-${theme}`);
          problems.push(...(await axeProblems(page, `${name} ${size} ${theme}`)));
        };
        const phone = size === "phone";
        await page.addInitScript(([key, value]) => localStorage.setItem(key, value), [THEME_STORAGE_KEY, theme] as const);

        // Home, before this browser knows any endpoint.
        await page.goto("/");
        await expect(page.getByRole("button", { name: "Create endpoint" })).toBeVisible();
        await expect(page.locator("html")).toHaveClass(theme === "dark" ? /\bdark\b/ : /^(?!.*\bdark\b)/);
        await check("home-empty");

        // The endpoint before anything arrived.
        const { id, captureUrl } = await createEndpointFromHome(page);
        await check("endpoint-empty");

        // Home again, now listing the endpoint.
        await page.goto("/");
        await expect(page.locator(`a[href^="/endpoints/${id}"]`).first()).toBeVisible();
        await check("home");

        // A JSON capture: the list, then its detail.
        await page.goto(`/endpoints/${id}`);
        await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
        await sendJson(captureUrl, STRIPE_EVENT, { path: "/stripe" });
        if (phone) {
          // A phone shows the list or the detail: the newest capture opens by itself (follow newest
          // is on for a page opened without a selection), and Back returns to the list.
          const back = page.getByTestId("phone-back");
          await expect(back).toBeVisible();
          await back.click();
          await expect(row(page, 1)).toBeVisible();
          await check("list");
          // Compact: header, toolbar and search take at most ~1/6 of the screen; the name is
          // readable, the slug whole, the actions in one menu.
          expect((await page.getByTestId("capture-list").boundingBox())!.y).toBeLessThanOrEqual(viewport.height / 6 + 4);
          expect((await page.getByTestId("endpoint-name").boundingBox())!.width).toBeGreaterThan(60);
          const slugPart = page.getByTestId("capture-url").locator("span").last();
          await expect(slugPart).toHaveText(new URL(captureUrl).pathname);
          const slugBox = (await slugPart.boundingBox())!;
          expect(slugBox.x).toBeGreaterThanOrEqual(0);
          expect(slugBox.x + slugBox.width).toBeLessThanOrEqual(viewport.width);
          await expect(page.getByTestId("endpoint-actions")).toBeHidden();
          await page.getByTestId("endpoint-actions-menu").click();
          const menu = page.getByRole("menu", { name: "Endpoint actions" });
          await expect(menu.getByRole("menuitem", { name: "Settings…" })).toBeVisible();
          await expect(menu.getByRole("menuitem", { name: /HAR/ })).toBeVisible();
          await check("actions-menu");
          await page.keyboard.press("Escape");
          await expect(menu).toBeHidden();
        } else {
          // Copy feedback appears on the button that was clicked.
          await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
          await page.getByTestId("copy-capture-url").click();
          await expect(page.getByTestId("copy-capture-url")).toContainText("Copied");
          await expect(page.getByTestId("copy-capture-url")).toHaveAccessibleName("Copy");
        }
        await row(page, 1).click();
        const detail = page.getByTestId("capture-detail");
        await expect(detail.getByTestId("body-viewer")).toContainText("payment_intent.succeeded");
        if (phone) await expect(page.getByTestId("phone-back")).toBeVisible();
        // The request URL reads as a line, never a sliver beside the method and event type badges.
        const detailWidth = (await page.getByTestId("capture-detail").boundingBox())!.width;
        expect((await page.getByTestId("detail-url").boundingBox())!.width).toBeGreaterThan(detailWidth / 2);
        await check("detail");

        // Compare: a second capture on the same path, compared with the previous one.
        await sendJson(
          captureUrl,
          { ...STRIPE_EVENT, id: "evt_3PqS2bLkdIwHu7ix1", data: { object: { ...STRIPE_EVENT.data.object, amount: 2500 } } },
          { path: "/stripe" },
        );
        if (phone && (await page.getByTestId("phone-back").isVisible())) await page.getByTestId("phone-back").click();
        await row(page, 2).click();
        await expect(page.getByTestId("capture-detail")).toHaveAttribute("data-capture-id", /.+/);
        await page.getByTestId("compare-previous").click();
        await expect(page.getByTestId("compare-view")).toBeVisible();
        await expect(page.getByTestId("compare-running")).toHaveCount(0);
        await check("compare");

        // Each settings tab.
        await page.goto(`/endpoints/${id}`);
        await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "live");
        if (phone) {
          await page.getByTestId("endpoint-actions-menu").click();
          await page.getByTestId("menu-settings").click();
        } else {
          await page.getByTestId("open-settings").click();
        }
        const settings = page.getByRole("dialog");
        const tabs = settings.getByRole("tab");
        await expect(tabs.first()).toBeVisible();
        const tabIds = await tabs.evaluateAll((els) => els.map((e) => e.getAttribute("data-testid") ?? ""));
        expect(tabIds.length).toBeGreaterThan(1);
        for (const tabId of tabIds) {
          await settings.getByTestId(tabId).click();
          await expect(settings.getByTestId(tabId)).toHaveAttribute("aria-selected", "true");
          await expect(settings.getByRole("tabpanel")).toBeVisible();
          await expect(settings.locator('[aria-busy="true"]')).toHaveCount(0);
          await check(`settings-${tabId.replace(/^settings-tab-/, "")}`);
        }
        await page.keyboard.press("Escape");

        // A read-only endpoint share link, opened by someone with no key.
        const share = await page.evaluate(async (endpointId) => {
          const r = await fetch(`/api/endpoints/${endpointId}/shares`, {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({}),
          });
          return { status: r.status, body: (await r.json()) as { url?: string } };
        }, id);
        expect(share.status, JSON.stringify(share.body)).toBe(201);
        // colorScheme too: the page for a link that opens nothing is plain HTML that follows the system.
        const teammate = await browser.newContext({ viewport, reducedMotion: "reduce", baseURL, colorScheme: theme });
        try {
          const shared = await teammate.newPage();
          await shared.addInitScript(([key, value]) => localStorage.setItem(key, value), [THEME_STORAGE_KEY, theme] as const);
          await shared.goto(share.body.url!);
          await expect(shared.getByTestId("share-notice")).toBeVisible();
          await expect(shared.getByTestId("capture-detail").getByTestId("body-viewer")).toBeVisible();
          await screenshot(shared, `screen-share-${size}-${theme}`);
          problems.push(...(await axeProblems(shared, `share ${size} ${theme}`)));

          // A share link that does not work: the app's chrome, the reason, a way home.
          await shared.goto("/s/hss_thisLinkDoesNotExist0000000000000000000000");
          await expect(shared.getByTestId("share-problem-title")).toBeVisible();
          await expect(shared.getByTestId("home-link")).toBeVisible();
          await screenshot(shared, `screen-share-gone-${size}-${theme}`);
          problems.push(...(await axeProblems(shared, `share-gone ${size} ${theme}`)));
        } finally {
          await teammate.close();
        }

        // A page that does not exist: the app's chrome, not the framework's bare 404.
        const notFound = await page.goto("/no/such/page");
        expect(notFound?.status()).toBe(404);
        await expect(page.getByTestId("not-found-title")).toHaveText("Page not found");
        await expect(page.getByRole("group", { name: "Colour theme" })).toBeVisible();
        await expect(page.getByTestId("page-message-home")).toHaveAttribute("href", "/");
        await check("not-found");

        expect(problems, `axe found serious or critical violations:\n${problems.join("\n")}`).toEqual([]);
      });
    });
  }
}
