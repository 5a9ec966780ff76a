// Compare two captures: ticked in the list or "compare with previous"; JSON compared by structure
// (only the changed path shows), headers added/removed/changed, unchanged regions folded, captured markup inert, and 1 MiB
// bodies diffed in a Web Worker while the page stays responsive.
import type { Page } from "@playwright/test";
import { createEndpointFromHome, expect, row, screenshot, send, sendJson, test } from "./fixtures";

const XSS = `<img src=x onerror="alert('xss')"><script>alert('xss')</script>`;

/** Records main-thread stalls (long tasks) from now on; read them with longestStall(). */
async function watchMainThread(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __stalls: number[] };
    w.__stalls = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__stalls.push(e.duration);
    }).observe({ type: "longtask" });
  });
}

async function longestStall(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, ...(window as unknown as { __stalls: number[] }).__stalls));
}

test("two JSON captures with reordered keys and one changed nested value: only that path shows; headers diffed; markup stays text", async ({
  page,
  dialogs,
}) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  await sendJson(
    captureUrl,
    { id: "evt_1", type: "charge.succeeded", data: { object: { amount: 2000, currency: "usd", note: XSS } }, livemode: false },
    {
      path: "/stripe",
      headers: [
        ["Stripe-Signature", "t=1,v1=aaa"],
        ["X-Removed", "only in A"],
      ],
    },
  );
  await sendJson(
    captureUrl,
    { livemode: false, data: { object: { note: XSS, currency: "usd", amount: 2500 } }, type: "charge.succeeded", id: "evt_1" },
    {
      path: "/stripe",
      headers: [
        ["Stripe-Signature", "t=2,v1=bbb"],
        ["X-Added", XSS],
      ],
    },
  );
  await expect(row(page, 2)).toBeVisible();

  await row(page, 1).getByTestId("compare-checkbox").click();
  await expect(page.getByTestId("compare-bar")).toContainText("#1 marked");
  await row(page, 2).click({ modifiers: ["Shift"] });
  await expect(page.getByTestId("compare-bar")).toContainText("Compare #1 with #2");
  await page.getByTestId("compare-marked").click();

  const a = await row(page, 1).getAttribute("data-capture-id");
  const b = await row(page, 2).getAttribute("data-capture-id");
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/compare\\?a=${a}&b=${b}$`));
  const view = page.getByTestId("compare-view");
  await expect(view.getByTestId("compare-result")).toBeVisible();

  // Body: exactly one changed path, with both values.
  const changes = view.getByTestId("json-change");
  await expect(changes).toHaveCount(1);
  await expect(changes.first()).toHaveAttribute("data-path", ".data.object.amount");
  await expect(changes.first().locator('[data-side="a"]')).toHaveText("2000");
  await expect(changes.first().locator('[data-side="b"]')).toHaveText("2500");
  await expect(view.getByTestId("compare-summary")).toContainText("1 changed JSON path");

  // Headers: changed, only in A, only in B.
  const headers = view.getByTestId("headers-row");
  await expect(headers.filter({ has: page.locator('[data-side="a"]', { hasText: "t=1,v1=aaa" }) })).toHaveAttribute("data-kind", "changed");
  await expect(view.locator('[data-testid="headers-row"][data-name="X-Removed"]')).toHaveAttribute("data-kind", "removed");
  await expect(view.locator('[data-testid="headers-row"][data-name="X-Added"]')).toHaveAttribute("data-kind", "added");
  await expect(view.locator('[data-testid="headers-row"][data-name="X-Added"] [data-side="b"]')).toHaveText(XSS);
  await expect(view.locator('[data-testid="headers-row"][data-kind="same"]').first()).toBeAttached();

  // The markup in the header value is text: no element was created and no dialog opened.
  await expect(page.locator("img[src=x]")).toHaveCount(0);
  expect(dialogs).toEqual([]);
  await screenshot(page, "compare-json");

  // Swap, then close back to B's capture.
  await view.getByTestId("compare-swap").click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?a=${b}&b=${a}$`));
  await expect(view.getByTestId("json-change").first().locator('[data-side="a"]')).toHaveText("2500");
  await view.getByTestId("compare-close").click();
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/captures/${a}$`));
});

test("compare with previous picks the previous capture on the same path; text bodies line by line; binary by offset", async ({ page }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  const text = (body: string, path: string) =>
    send(captureUrl, { path, headers: [["Content-Type", "text/plain"]], body }).then((r) => expect(r.status).toBe(200));
  await text("alpha\nbeta\ngamma\n", "/logs");
  await text("other path", "/else");
  await text("alpha\nBETA\ngamma\ndelta\n", "/logs");
  await send(captureUrl, { path: "/bin", body: Buffer.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff, 0xfe]) });
  await send(captureUrl, { path: "/bin", body: Buffer.from([0, 1, 2, 3, 4, 5, 6, 0x80, 8, 9, 0xff, 0xfe]) });
  await expect(row(page, 5)).toBeVisible();

  await row(page, 3).click();
  await page.getByTestId("compare-previous").click();
  const first = await row(page, 1).getAttribute("data-capture-id");
  const third = await row(page, 3).getAttribute("data-capture-id");
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/compare\\?a=${first}&b=${third}$`));
  const lines = page.getByTestId("line-row");
  await expect(lines).toHaveCount(4);
  await expect(lines.nth(1)).toHaveAttribute("data-kind", "changed");
  await expect(lines.nth(1).locator('[data-side="a"]')).toHaveText("beta");
  await expect(lines.nth(1).locator('[data-side="b"]')).toHaveText("BETA");
  await expect(lines.nth(3)).toHaveAttribute("data-kind", "added");
  await screenshot(page, "compare-text");

  // The first capture on a path has nothing before it.
  await row(page, 1).click();
  await page.getByTestId("compare-previous").click();
  await expect(page.getByRole("status").filter({ hasText: "No earlier capture on /logs" })).toBeVisible();

  await row(page, 5).click();
  await page.getByTestId("compare-previous").click();
  await expect(page.getByTestId("binary-first-difference")).toHaveText("7");

  // Unchanged regions fold: 40 lines with one changed in the middle show that line with three
  // lines of context each side, and two folds that open on a click.
  const long = (changed: string) => Array.from({ length: 40 }, (_, i) => (i === 20 ? changed : `line ${i}`)).join("\n");
  await text(long("line 20"), "/long");
  await text(long("LINE TWENTY"), "/long");
  await expect(row(page, 7)).toBeVisible();
  await row(page, 7).click();
  await page.getByTestId("compare-previous").click();
  const lineDiff = page.getByTestId("line-diff");
  const folds = lineDiff.getByTestId("diff-fold");
  await expect(folds).toHaveCount(2);
  await expect(folds.first()).toHaveText("⋯ 17 unchanged lines (show)");
  await expect(folds.last()).toHaveText("⋯ 16 unchanged lines (show)");
  await expect(lineDiff.getByTestId("line-row")).toHaveCount(7);
  await expect(lineDiff.locator('[data-testid="line-row"][data-kind="changed"] [data-side="b"]')).toHaveText("LINE TWENTY");
  await screenshot(page, "compare-folded");
  await folds.first().click();
  await expect(folds).toHaveCount(1);
  await expect(lineDiff.getByTestId("line-row")).toHaveCount(24);
  await expect(lineDiff.getByTestId("line-row").first().locator('[data-side="a"]')).toHaveText("line 0");
});

test("1 MiB bodies: the diff runs in a worker and the page never stalls", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  // JSON: 1 MiB with one changed value deep in an array.
  const items = Array.from({ length: 16000 }, (_, i) => ({ id: i, name: `item number ${i}`, tags: ["a", "b"], price: i * 3 }));
  const jsonA = JSON.stringify({ items });
  items[12345]!.price = -1;
  const jsonB = JSON.stringify({ items });
  expect(jsonA.length).toBeGreaterThan(1024 * 1024);
  await sendJson(captureUrl, JSON.parse(jsonA), { path: "/big" });
  await sendJson(captureUrl, JSON.parse(jsonB), { path: "/big" });
  // Text: 1 MiB of lines from a small set (no unique lines to anchor on), so lining them up is
  // the slow worst case that runs into the time budget.
  const tangled = (seed: number) =>
    Array.from({ length: 21000 }, (_, i) => `${String((i * seed) % 41).padStart(3, "0")} ${"-".repeat(46)}`).join("\n");
  await send(captureUrl, { path: "/tangled", headers: [["Content-Type", "text/plain"]], body: tangled(7) });
  await send(captureUrl, { path: "/tangled", headers: [["Content-Type", "text/plain"]], body: tangled(13) });
  await expect(row(page, 4)).toBeVisible();

  // Picked with the list's checkboxes, so no capture detail (which renders a body of its own) is
  // open: what is measured is the compare alone.
  await watchMainThread(page);
  await row(page, 1).getByTestId("compare-checkbox").click();
  await row(page, 2).getByTestId("compare-checkbox").click();
  await page.getByTestId("compare-marked").click();
  const changes = page.getByTestId("json-change");
  await expect(changes).toHaveCount(1);
  await expect(changes.first()).toHaveAttribute("data-path", ".items[12345].price");
  await expect(page.getByTestId("compare-summary")).toContainText("in a background worker");

  await page.getByTestId("compare-clear-marks").click();
  await row(page, 3).getByTestId("compare-checkbox").click();
  await row(page, 4).getByTestId("compare-checkbox").click();
  await page.getByTestId("compare-marked").click();
  await expect(page.getByTestId("compare-running")).toBeVisible();
  // While the worker works, the page still answers: typing into the filter shows at once.
  await page.getByTestId("capture-filter").fill("tangled");
  await expect(page.getByTestId("capture-filter")).toHaveValue("tangled");
  await expect(page.getByTestId("line-diff")).toBeVisible({ timeout: 60_000 });
  // Rendering is capped: a "show more" button instead of 20,000 rows in the DOM.
  await expect(page.getByTestId("diff-more").first()).toBeVisible();
  const stall = await longestStall(page);
  console.log(`longest main-thread task during two 1 MiB compares: ${Math.round(stall)} ms`);
  expect(stall).toBeLessThan(1500);
  await screenshot(page, "compare-1mib");
});
