// Retries recognised: a provider's retry sequence (error, error, success for one event key) shows
// as three linked deliveries in the list and the detail, the detail links each delivery, and
// "Compare with previous delivery" opens the compare view on the pair in one click. The key's
// source is set in Settings → Retries.
import type { Page } from "@playwright/test";
import { createEndpointFromHome, expect, row, screenshot, send, test } from "./fixtures";

/** Changes the endpoint's answer status the way the settings form does (same-site, with the key cookie). */
async function answerWith(page: Page, endpointId: string, status: number) {
  const got = await page.evaluate(
    async ([id, s]) => {
      const r = await fetch(`/api/endpoints/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ response: { status: s } }),
      });
      return r.status;
    },
    [endpointId, status] as const,
  );
  expect(got).toBe(200);
}

/** A Stripe event delivery as Stripe sends it; returns the status the capture URL answered. */
async function deliver(captureUrl: string, id: string, type = "invoice.paid") {
  const r = await send(captureUrl, {
    path: "/stripe",
    headers: [
      ["Content-Type", "application/json; charset=utf-8"],
      ["Stripe-Signature", `t=${Date.now()},v1=${"a".repeat(64)}`],
    ],
    body: JSON.stringify({ id, object: "event", type, data: { object: { id: "in_1NqK", object: "invoice", amount_due: 2000 } } }),
  });
  return r.status;
}

test("a Stripe retry sequence (500, 500, 200 for evt_…) is three linked deliveries; compare opens on the pair", async ({ page }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  await answerWith(page, id, 500);
  expect(await deliver(captureUrl, "evt_1RetryE2E")).toBe(500);
  expect(await deliver(captureUrl, "evt_2Other", "customer.created")).toBe(500);
  expect(await deliver(captureUrl, "evt_1RetryE2E")).toBe(500);

  // The first delivery's detail, open while the event's last retry arrives, keeps count.
  await expect(row(page, 3)).toBeVisible();
  await row(page, 1).click();
  await expect(page.getByTestId("event-delivery-summary")).toHaveText(/1st delivery of evt_1RetryE2E · delivered 2 times/);
  await answerWith(page, id, 200);
  expect(await deliver(captureUrl, "evt_1RetryE2E")).toBe(200);
  await expect(page.getByTestId("event-delivery-summary")).toHaveText(/1st delivery of evt_1RetryE2E · delivered 3 times/);

  // The list: the retries say which delivery they are; first deliveries say nothing.
  await expect(row(page, 4)).toBeVisible();
  await expect(row(page, 4).getByTestId("row-delivery")).toHaveText("3rd delivery");
  await expect(row(page, 3).getByTestId("row-delivery")).toHaveText("2nd delivery");
  await expect(row(page, 2).getByTestId("row-delivery")).toHaveCount(0);
  await expect(row(page, 1).getByTestId("row-delivery")).toHaveCount(0);

  // The detail of the last one: which delivery, of what, how long after the first, and all three linked.
  await row(page, 4).click();
  const strip = page.getByTestId("event-deliveries");
  await expect(strip.getByTestId("event-delivery-summary")).toContainText("3rd delivery of evt_1RetryE2E");
  await expect(strip.getByTestId("event-delivery-summary")).toContainText("after the first");
  const links = strip.getByTestId("event-delivery-link");
  await expect(links).toHaveCount(3);
  await expect(links.nth(0)).toContainText("1st · #1 · 500");
  await expect(links.nth(1)).toContainText("2nd · #3 · 500");
  await expect(links.nth(2)).toContainText("3rd · #4 · 200");
  await expect(links.nth(2)).toHaveAttribute("aria-current", "true");
  await screenshot(page, "retries-detail");

  // One click: the compare view on the previous delivery (#3) and this one (#4).
  const a = await row(page, 3).getAttribute("data-capture-id");
  const b = await row(page, 4).getAttribute("data-capture-id");
  await strip.getByTestId("compare-previous-delivery").click();
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/compare\\?a=${a}&b=${b}$`));
  await expect(page.getByTestId("compare-view").getByTestId("compare-result")).toBeVisible();
  await screenshot(page, "retries-compare");

  // Back in the detail, a link opens the first delivery, which knows it was delivered three times.
  await page.getByTestId("compare-view").getByTestId("compare-close").click();
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/captures/${b}$`));
  await page.getByTestId("event-delivery-link").first().click();
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/captures/${await row(page, 1).getAttribute("data-capture-id")}$`));
  await expect(page.getByTestId("event-delivery-summary")).toHaveText(/1st delivery of evt_1RetryE2E · delivered 3 times/);
  await expect(page.getByTestId("compare-previous-delivery")).toHaveCount(0);
});

test("Settings → Retries: a header as the key, with a clear error for a bad name", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  await page.getByTestId("open-settings").click();
  await page.getByTestId("settings-tab-retries").click();
  await expect(page.getByTestId("event-key-auto-list")).toContainText("X-GitHub-Delivery");
  await page.getByTestId("event-key-source-header").check();
  await page.locator("#event-key-header").fill("X Attempt");
  await page.getByTestId("settings-dialog").getByRole("button", { name: "Save event key" }).click();
  await expect(page.getByTestId("field-error")).toContainText("A header name may only contain");
  await page.locator("#event-key-header").fill("X-Attempt-Group");
  await page.getByTestId("settings-dialog").getByRole("button", { name: "Save event key" }).click();
  await expect(page.getByTestId("settings-dialog")).toContainText("Saved");
  await screenshot(page, "retries-settings");
  await page.keyboard.press("Escape");

  for (let i = 0; i < 2; i++) {
    const r = await send(captureUrl, { headers: [["X-Attempt-Group", "batch-7"]], body: `attempt ${i}` });
    expect(r.status).toBe(200);
  }
  await expect(row(page, 2).getByTestId("row-delivery")).toHaveText("2nd delivery");
  await expect(row(page, 1).getByTestId("row-delivery")).toHaveCount(0);
});
