// Access you cannot lose: the management key shown (copy, download) right after Create; a fresh
// browser adding an endpoint by its key or its dashboard link (and a wrong one refused in words);
// the dashboard link from a second tab; deleting an endpoint from Settings → Danger zone. And the
// settings dialog itself: one size on every tab, one way to save, tabs that scroll on a phone.
import fs from "node:fs";
import type { Page } from "@playwright/test";
import { createEndpointFromHome, expect, screenshot, send, sendJson, test } from "./fixtures";

/** The endpoint's name as saved (the header's button also holds "(rename)" for screen readers). */
async function endpointName(page: Page, id: string): Promise<string> {
  return ((await (await page.request.get(`/api/endpoints/${id}`)).json()) as { name: string }).name;
}

test("Create shows the management key once, with Copy, Download and what it is", async ({ page, context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { id } = await createEndpointFromHome(page);
  const panel = page.getByTestId("key-created");
  await expect(panel).toBeVisible();
  await expect(panel).toContainText("This key is the only way to manage this endpoint from another browser or the API");
  await expect(panel).toContainText("We store only its SHA-256 hash");
  const key = await panel.getByTestId("management-key").inputValue();
  expect(key).toMatch(/^hsk_[A-Za-z0-9_-]{43}$/);
  await screenshot(page, "key-created");
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(page.locator("html")).toHaveClass(/dark/);
  await screenshot(page, "key-created-dark");
  await page.emulateMedia({ colorScheme: "light" });

  await panel.getByTestId("copy-management-key").click();
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  const name = await endpointName(page, id);
  const [download] = await Promise.all([page.waitForEvent("download"), panel.getByTestId("download-management-key").click()]);
  expect(download.suggestedFilename()).toBe(`${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-management-key.txt`);
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(text).toContain(`Management key: ${key}`);
  expect(text).toContain(`/endpoints/${id}`);

  // The key is real: it opens this endpoint through the API.
  const api = await page.request.get(`/api/endpoints/${id}`, { headers: { authorization: `Bearer ${key}` } });
  expect(api.status()).toBe(200);

  // Shown once: dismissed, and not back after a reload.
  await panel.getByTestId("dismiss-key-created").click();
  await expect(panel).toBeHidden();
  await page.reload();
  await expect(page.getByTestId("endpoint-name")).toBeVisible();
  await expect(page.getByTestId("key-created")).toHaveCount(0);
});

test("a fresh browser adds endpoints by key and by dashboard link (taken from a second tab); wrong input is refused in words", async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  // Endpoint A: its key, from the panel shown after Create.
  const a = await createEndpointFromHome(page);
  const keyA = await page.getByTestId("key-created").getByTestId("management-key").inputValue();
  await sendJson(a.captureUrl, { first: true });
  // Endpoint B: its dashboard link, copied in a second tab that only opened the dashboard URL.
  const b = await createEndpointFromHome(page);
  const second = await context.newPage();
  await second.goto(`/endpoints/${b.id}`);
  await second.getByRole("button", { name: "Dashboard link" }).click();
  await second.getByTestId("copy-dashboard-link").click();
  await expect.poll(() => second.evaluate(() => navigator.clipboard.readText())).toMatch(/#key=hsk_/);
  const linkB = await second.evaluate(() => navigator.clipboard.readText());
  expect(linkB).toMatch(new RegExp(`^${baseURL}/endpoints/${b.id}#key=hsk_`));
  await second.close();

  const fresh = await browser.newContext({ baseURL });
  try {
    const home = await fresh.newPage();
    await home.goto("/");
    await expect(home.getByTestId("endpoints-empty")).toBeVisible();
    const input = home.getByTestId("add-endpoint-input");
    const addButton = home.getByRole("button", { name: "Add endpoint" });

    await input.fill("hsk_thisisnotthekeyofanyendpointatall0000000");
    await addButton.click();
    await expect(home.getByTestId("add-endpoint-error")).toHaveText(/No endpoint opens with this key/);
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await input.fill(a.captureUrl);
    await addButton.click();
    await expect(home.getByTestId("add-endpoint-error")).toContainText("That is a capture URL");
    await input.fill(linkB.replace(/#key=.*/, "#key="));
    await addButton.click();
    await expect(home.getByTestId("add-endpoint-error")).toContainText("has no key");
    await expect(home.getByTestId("endpoints-empty")).toBeVisible();

    await input.fill(keyA);
    await addButton.click();
    await expect(home.getByTestId("add-endpoint-added")).toContainText("Added");
    await expect(home.getByTestId("endpoint-item")).toHaveCount(1);
    await expect(home.getByTestId("endpoint-item")).toContainText(a.captureUrl);
    await expect(home.getByTestId("endpoint-item")).toContainText("1 capture");

    await input.fill(linkB);
    await addButton.click();
    await expect(home.getByTestId("endpoint-item")).toHaveCount(2);
    await expect(home.getByTestId("endpoint-list")).toContainText(b.captureUrl);
    await expect(input).toHaveValue("");
    await screenshot(home, "home-with-endpoints");

    // The cookie holds access: the dashboard opens with the capture.
    await home.getByTestId("endpoint-item").filter({ hasText: a.captureUrl }).click();
    await expect(home.getByTestId("capture-row")).toHaveCount(1);
  } finally {
    await fresh.close();
  }
});

test("Delete endpoint in Settings asks for the exact name; afterwards it is gone from home and its capture URL answers 404", async ({
  page,
}) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { doomed: true });
  await expect(page.getByTestId("capture-row")).toHaveCount(1);
  const name = await endpointName(page, id);

  await page.getByTestId("open-settings").click();
  const dialog = page.getByTestId("settings-dialog");
  await dialog.getByRole("tab", { name: "Danger zone" }).click();
  const zone = dialog.getByTestId("danger-zone");
  await expect(zone).toContainText("Deletes every capture it holds");
  const confirm = zone.getByTestId("delete-endpoint-confirm");
  const del = zone.getByTestId("delete-endpoint");
  await expect(del).toBeDisabled();
  await confirm.fill(name.slice(0, -1));
  await expect(del).toBeDisabled();
  await confirm.fill(`${name} `);
  await expect(del).toBeDisabled();
  await confirm.fill(name);
  await expect(del).toBeEnabled();
  await screenshot(page, "settings-danger-zone");
  await del.click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("endpoints-empty")).toBeVisible();
  await expect(page.getByTestId("endpoint-item")).toHaveCount(0);
  expect((await send(captureUrl, { body: "after" })).status).toBe(404);
  expect((await page.request.get(`/api/endpoints/${id}`)).status()).toBe(401);
});

test("Replace key in Settings: after a confirmation the new key is shown once, the old one opens nothing, and this tab goes on live", async ({
  page,
  browser,
  baseURL,
}) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  const oldKey = await page.getByTestId("management-key").inputValue();
  await page.getByTestId("open-settings").click();
  const dialog = page.getByTestId("settings-dialog");
  await dialog.getByRole("tab", { name: "Danger zone" }).click();
  const zone = dialog.getByTestId("replace-key");
  await zone.getByRole("button", { name: "Replace key…" }).click();
  await expect(zone).toContainText("Replace it now?");
  // The live stream opened with the old key ends (within 5 s); the page reconnects with the new cookie.
  const reconnected = page.waitForRequest((r) => r.url().includes(`/api/endpoints/${id}/events`), { timeout: 30_000 });
  await zone.getByTestId("replace-key-confirm").click();
  await expect(zone.getByTestId("key-replaced")).toContainText("Replaced");
  // The "save this key" bar under the dashboard showed the old key: it is gone.
  await expect(page.getByTestId("key-created")).toHaveCount(0);
  const newKey = await zone.getByTestId("management-key").inputValue();
  expect(newKey).toMatch(/^hsk_/);
  expect(newKey).not.toBe(oldKey);
  await screenshot(page, "settings-replace-key");

  // The old key opens nothing; another browser with it is refused in words.
  expect((await page.request.get(`/api/endpoints/${id}`, { headers: { authorization: `Bearer ${oldKey}` } })).status()).toBe(404);
  const other = await browser.newContext({ baseURL });
  const stranger = await other.newPage();
  await stranger.goto(`/endpoints/${id}#key=${encodeURIComponent(oldKey)}`);
  await expect(stranger.getByTestId("dashboard-error")).toContainText("does not open this endpoint");
  await other.close();

  // This tab keeps its access with the new key, and the live list goes on after its stream's reconnect.
  await reconnected;
  await expect(page.getByTestId("live-indicator")).toContainText("Live");
  await dialog.getByRole("button", { name: "Close" }).first().click();
  await sendJson(captureUrl, { after: "replace" });
  await expect(page.getByTestId("capture-row")).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId("capture-row")).toHaveCount(1);
});

test("the settings dialog keeps one size on every tab and saves the same way on each form", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await createEndpointFromHome(page);
  await page.getByTestId("open-settings").click();
  const dialog = page.getByTestId("settings-dialog");
  const tabs = dialog.getByRole("tab");
  const sizes: { tab: string; width: number; height: number }[] = [];
  for (let i = 0; i < (await tabs.count()); i++) {
    await tabs.nth(i).click();
    await expect(tabs.nth(i)).toHaveAttribute("aria-selected", "true");
    const box = (await dialog.boundingBox())!;
    sizes.push({ tab: (await tabs.nth(i).textContent())!, width: Math.round(box.width), height: Math.round(box.height) });
  }
  expect(sizes.map((s) => s.tab)).toEqual([
    "Response",
    "URL",
    "Signing secrets",
    "Forwarding",
    "Retries",
    "Retention",
    "Share links",
    "Danger zone",
  ]);
  for (const s of sizes) expect({ ...s, tab: "" }).toEqual({ ...sizes[0], tab: "" });
  // On a desktop every tab fits on the strip: the last one is not cut at the dialog's edge.
  const strip = (await dialog.getByRole("tablist").boundingBox())!;
  const last = (await tabs.last().boundingBox())!;
  expect(last.x + last.width).toBeLessThanOrEqual(strip.x + strip.width);

  // One save pattern, on Response and on Retention: Save waits for a change, Discard puts the saved
  // value back, and "Saved" shows next to the button with the dialog still open.
  for (const { tab, label, value } of [
    { tab: "Response", label: "Status", value: "202" },
    { tab: "Retention", label: "Keep at most (captures)", value: "500" },
  ]) {
    await dialog.getByRole("tab", { name: tab, exact: true }).click();
    // The first form of the tab (Response also has the rules' form below its own).
    const panel = dialog.getByRole("tabpanel", { name: tab, exact: true });
    const field = panel.getByLabel(label);
    const save = panel.getByRole("button", { name: /^Save/ }).first();
    const status = panel.getByTestId("form-status").first();
    const saved = await field.inputValue();
    await expect(save).toBeDisabled();
    await field.fill(value);
    await expect(status).toHaveText("Unsaved changes");
    await expect(save).toBeEnabled();
    await panel.getByRole("button", { name: "Discard changes" }).first().click();
    await expect(field).toHaveValue(saved);
    await expect(save).toBeDisabled();
    await field.fill(value);
    await save.click();
    await expect(status).toHaveText("✓ Saved");
    await expect(save).toBeDisabled();
    await expect(field).toHaveValue(value);
    // Next to the button, not in a corner of the screen.
    const s = (await status.boundingBox())!;
    const b = (await save.boundingBox())!;
    expect(Math.abs(s.y + s.height / 2 - (b.y + b.height / 2))).toBeLessThan(12);
    expect(b.x - (s.x + s.width)).toBeLessThan(200);
  }
  await expect(dialog).toBeVisible();
});

test("on a phone the settings tabs scroll sideways instead of being cut, and the dialog keeps its size", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await createEndpointFromHome(page);
  // On a phone the toolbar's actions are in one menu.
  await page.getByTestId("endpoint-actions-menu").click();
  await page.getByRole("menuitem", { name: "Settings…" }).click();
  const dialog = page.getByTestId("settings-dialog");
  const strip = dialog.getByRole("tablist");
  const overflow = await strip.evaluate((el) => ({
    scrolls: el.scrollWidth > el.clientWidth,
    style: getComputedStyle(el).overflowX,
    wraps: getComputedStyle(el).flexWrap,
  }));
  expect(overflow).toEqual({ scrolls: true, style: "auto", wraps: "nowrap" });
  // The cut edge fades: more tabs that way.
  await expect(strip).toHaveAttribute("data-fade", "right");
  const first = (await dialog.boundingBox())!;
  await screenshot(page, "settings-tabs-phone");

  // The last tab, chosen by keyboard, is scrolled fully into view inside the strip.
  await dialog.getByRole("tab", { name: "Response" }).focus();
  await page.keyboard.press("End");
  const last = dialog.getByRole("tab", { name: "Danger zone" });
  await expect(last).toHaveAttribute("aria-selected", "true");
  await expect(async () => {
    const s = (await strip.boundingBox())!;
    const t = (await last.boundingBox())!;
    expect(t.x).toBeGreaterThanOrEqual(s.x - 1);
    expect(t.x + t.width).toBeLessThanOrEqual(s.x + s.width + 1);
  }).toPass();
  await expect(strip).toHaveAttribute("data-fade", "left");
  const after = (await dialog.boundingBox())!;
  expect(Math.round(after.height)).toBe(Math.round(first.height));
  expect(after.y + after.height).toBeLessThanOrEqual(844);
});
