import type { Route } from "@playwright/test";
import { createEndpointFromHome, expect, row, rows, screenshot, send, sendJson, test } from "./fixtures";

test("keyboard: j/k and arrows move the selection, / filters, ? shows shortcuts, Escape closes, c copies the capture URL", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { id, captureUrl } = await createEndpointFromHome(page);
  for (const name of ["alpha", "beta", "gamma", "delta"]) await sendJson(captureUrl, { name }, { path: `/${name}` });
  await expect(rows(page)).toHaveCount(4);
  const selectedSeq = () => page.locator('[data-testid="capture-row"][aria-selected="true"]');

  // Following the newest, #4 is already open; j moves down from it.
  await expect(selectedSeq()).toHaveAttribute("data-seq", "4");
  await page.locator("body").press("j");
  await expect(selectedSeq()).toHaveAttribute("data-seq", "3");
  const id3 = await row(page, 3).getAttribute("data-capture-id");
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/captures/${id3}$`));
  await page.keyboard.press("k");
  await expect(selectedSeq()).toHaveAttribute("data-seq", "4");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(selectedSeq()).toHaveAttribute("data-seq", "2");
  await page.keyboard.press("ArrowUp");
  await expect(selectedSeq()).toHaveAttribute("data-seq", "3");

  await page.keyboard.press("/");
  const filter = page.getByTestId("capture-filter");
  await expect(filter).toBeFocused();
  await page.keyboard.type("beta");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("/beta");
  await page.keyboard.press("Escape");
  await expect(filter).not.toBeFocused();
  await expect(filter).toHaveValue("");
  await expect(rows(page)).toHaveCount(4);

  await page.keyboard.press("?");
  const shortcuts = page.getByTestId("shortcuts-dialog");
  await expect(shortcuts).toBeVisible();
  await expect(shortcuts).toContainText("Copy the capture URL");
  // Keys do not move the selection behind an open dialog.
  await page.keyboard.press("j");
  await expect(selectedSeq()).toHaveAttribute("data-seq", "3");
  await page.keyboard.press("Escape");
  await expect(shortcuts).toBeHidden();

  await page.keyboard.press("c");
  await expect(page.getByRole("status").filter({ hasText: "Copied capture URL" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(captureUrl);

  // The list itself takes focus (Tab reaches it), the keys work from there, and it names the
  // selected row for assistive technology.
  const listbox = page.getByRole("listbox", { name: "Captures, newest first" });
  await listbox.focus();
  await expect(listbox).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(selectedSeq()).toHaveAttribute("data-seq", "2");
  await expect(listbox).toHaveAttribute("aria-activedescendant", `capture-${await row(page, 2).getAttribute("data-capture-id")}`);
});

test("scrolled away from the top, new captures keep the view still and show an 'N new' pill that scrolls back up", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  for (let i = 1; i <= 30; i++) await sendJson(captureUrl, { i }, { path: `/n/${i}` });
  await expect(row(page, 30)).toBeVisible();

  const list = page.getByTestId("capture-list");
  await list.evaluate((el) => el.scrollTo({ top: 56 * 10 }));
  await expect(row(page, 20)).toBeInViewport();
  const before = await row(page, 20).boundingBox();

  await sendJson(captureUrl, { i: 31 });
  await sendJson(captureUrl, { i: 32 });
  const pill = page.getByTestId("new-captures-pill");
  await expect(pill).toHaveText(/2 new/);
  // The row the user was reading did not move.
  expect((await row(page, 20).boundingBox())!.y).toBeCloseTo(before!.y, 0);

  await pill.click();
  await expect(pill).toBeHidden();
  await expect(row(page, 32)).toBeInViewport();
});

test("rename, response settings (refused, then saved and used by the capture URL), clear all", async ({ page }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);

  // Rename inline; the API's rule (a name is required) is shown before anything is sent.
  await page.getByTestId("endpoint-name").click();
  await page.getByTestId("endpoint-name-input").fill("   ");
  await page.getByTestId("endpoint-name-input").press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "Name is empty" })).toBeVisible();
  await expect(page.getByTestId("endpoint-name-input")).toHaveAttribute("aria-invalid", "true");
  await page.getByTestId("endpoint-name-input").fill("Stripe staging");
  await page.getByTestId("endpoint-name-input").press("Enter");
  await expect(page.getByTestId("endpoint-name")).toHaveText(/Stripe staging/);
  await expect(page).toHaveTitle(/Stripe staging/);

  // Settings: the API's own rule, shown next to the field, and nothing saved.
  await page.getByTestId("open-settings").click();
  const dialog = page.getByTestId("settings-dialog");
  await dialog.getByLabel("Delay (ms)").fill("99999");
  await dialog.getByLabel("Status").fill("202");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(dialog.getByTestId("field-error")).toHaveText("Delay must be 0–30000 ms");
  await expect(dialog.getByLabel("Delay (ms)")).toHaveAttribute("aria-invalid", "true");
  await dialog.getByRole("button", { name: "+ Add header" }).click();
  await dialog.getByLabel("Header 1 name").fill("X-Hookscope-Test");
  await dialog.getByLabel("Header 1 value").fill("yes");
  await dialog.getByLabel("Custom body").check();
  await dialog.getByLabel("Response body").fill("accepted");
  await screenshot(page, "settings");
  // Editing the refused field takes its error away before the next save.
  await dialog.getByLabel("Delay (ms)").fill("0");
  await expect(dialog.getByTestId("field-error")).toHaveCount(0);
  await expect(dialog.getByLabel("Delay (ms)")).not.toHaveAttribute("aria-invalid");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  // Saving keeps the dialog open and says so next to the button.
  await expect(dialog.getByTestId("settings-panel-response").getByTestId("form-footer").getByTestId("form-status")).toHaveText("✓ Saved");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // The capture URL now answers as configured.
  const answer = await send(captureUrl, { body: "x" });
  expect(answer.status).toBe(202);
  expect(answer.headers["x-hookscope-test"]).toBe("yes");
  expect(answer.body).toBe("accepted");
  await send(captureUrl, { body: "y" });
  await expect(rows(page)).toHaveCount(2);
  // Sent to the capture URL itself: the row's path shows as "/".
  await expect(row(page, 1).getByTitle("The capture URL itself (no sub-path)")).toHaveText("/");

  // Reopening shows what was saved; the name survived a reload.
  await page.reload();
  await expect(page.getByTestId("endpoint-name")).toHaveText(/Stripe staging/);
  await page.getByTestId("open-settings").click();
  await expect(dialog.getByLabel("Status")).toHaveValue("202");
  await expect(dialog.getByLabel("Header 1 name")).toHaveValue("X-Hookscope-Test");
  // Change the answer; the captures it already gave keep the old one.
  await dialog.getByLabel("Status").fill("201");
  await dialog.getByLabel("Response body").fill("created");
  await dialog.getByRole("button", { name: "Save settings" }).click();
  await expect(dialog.getByTestId("settings-panel-response").getByTestId("form-footer").getByTestId("form-status")).toHaveText("✓ Saved");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect((await send(captureUrl, { body: "z" })).status).toBe(201);
  await expect(rows(page)).toHaveCount(3);

  // Each capture shows the whole answer it got: status, headers in order, body.
  const detail = page.getByTestId("capture-detail");
  const sent = detail.getByTestId("sent-response");
  await row(page, 1).click();
  await expect(sent.getByTestId("sent-response-summary")).toContainText("202");
  await sent.getByTestId("sent-response-summary").click();
  await expect(sent.getByTestId("sent-response-body")).toHaveText("accepted");
  await expect(sent.locator('[data-testid="header-row"][data-header-name="X-Hookscope-Test"]')).toContainText("yes");
  const captureId = await row(page, 1).getAttribute("data-capture-id");
  await expect(sent.locator('[data-testid="header-row"][data-header-name="X-Hookscope-Capture-Id"]')).toContainText(captureId!);
  await screenshot(page, "sent-response");
  await row(page, 3).click();
  await expect(sent.getByTestId("sent-response-summary")).toContainText("201");
  await sent.getByTestId("sent-response-summary").click();
  await expect(sent.getByTestId("sent-response-body")).toHaveText("created");

  // Clear everything, after a confirmation.
  await row(page, 2).click();
  await page.getByTestId("open-clear").click();
  const clear = page.getByTestId("clear-dialog");
  await expect(clear).toContainText("Stripe staging");
  await clear.getByRole("button", { name: "Clear captures" }).click();
  await expect(clear).toBeHidden();
  await expect(page.getByTestId("endpoint-empty")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}$`));
  const left = await page.request.get(`/api/endpoints/${id}/captures`);
  expect((await left.json()).items).toEqual([]);
  // New captures still arrive after a clear.
  await send(captureUrl, { body: "after clear" });
  await expect(row(page, 4)).toBeVisible();
  await expect(rows(page)).toHaveCount(1);
});

test("selecting a capture updates the URL, the URL reopens it, and live arrivals keep it selected", async ({ page }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  for (const n of [1, 2, 3]) await sendJson(captureUrl, { n });
  await row(page, 2).click();
  const captureId = await row(page, 2).getAttribute("data-capture-id");
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}/captures/${captureId}$`));

  await sendJson(captureUrl, { n: 4 });
  await expect(row(page, 4)).toBeVisible();
  await expect(row(page, 2)).toHaveAttribute("aria-selected", "true");
  await expect(page.locator('[data-testid="capture-row"][aria-selected="true"]')).toHaveCount(1);

  // Opened fresh (another tab, a bookmark), the permalink selects the same capture.
  const tab = await page.context().newPage();
  await tab.goto(`/endpoints/${id}/captures/${captureId}`);
  await expect(row(tab, 2)).toHaveAttribute("aria-selected", "true");
  await expect(tab.locator('[data-testid="capture-row"][aria-selected="true"]')).toHaveCount(1);
});

test("dark mode: toggles, persists without a flash, and follows the system", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { theme: "dark", nested: { list: [1, 2, 3], ok: true } }, { path: "/theme" });
  await row(page, 1).click();
  const html = page.locator("html");
  await expect(html).not.toHaveClass(/dark/);

  await page.getByRole("button", { name: "Dark" }).click();
  await expect(html).toHaveClass(/dark/);
  await screenshot(page, "dashboard-dark");
  await page.getByTestId("open-settings").click();
  await expect(page.getByTestId("settings-dialog")).toBeVisible();
  await screenshot(page, "settings-dark");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("settings-dialog")).toBeHidden();

  // Applied by the inline script before any React code: already there at DOMContentLoaded.
  await page.reload({ waitUntil: "domcontentloaded" });
  expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);

  await page.getByRole("button", { name: "Light" }).click();
  await expect(html).not.toHaveClass(/dark/);
  await page.getByRole("button", { name: "System" }).click();
  await page.emulateMedia({ colorScheme: "dark" });
  await expect(html).toHaveClass(/dark/);
  await page.emulateMedia({ colorScheme: "light" });
  await expect(html).not.toHaveClass(/dark/);
});

test("a dashboard link carries the key: another browser gets full access, the key leaves the address bar", async ({
  page,
  context,
  browser,
  baseURL,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { id, captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { shared: true });

  await page.getByRole("button", { name: "Dashboard link" }).click();
  await page.getByTestId("copy-dashboard-link").click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(new RegExp(`^${baseURL}/endpoints/${id}#key=hsk_`));
  await page.keyboard.press("Escape");

  const teammate = await browser.newContext({ baseURL });
  const other = await teammate.newPage();
  await other.goto(link);
  await expect(other.getByTestId("capture-row")).toHaveCount(1);
  expect(new URL(other.url()).hash).toBe("");
  // The cookie now holds access: a plain reload still works.
  await other.reload();
  await expect(other.getByTestId("capture-row")).toHaveCount(1);

  // A tab that never saw the key offers the same link: the server reads it from the cookie.
  const tab = await teammate.newPage();
  await tab.goto(`/endpoints/${id}`);
  await tab.getByRole("button", { name: "Dashboard link" }).click();
  await expect(tab.getByTestId("management-key")).toHaveValue(new URL(link).hash.replace("#key=", ""));

  // A wrong key is refused in words.
  const stranger = await browser.newContext({ baseURL });
  const p3 = await stranger.newPage();
  await p3.goto(`/endpoints/${id}#key=hsk_wrongwrongwrongwrongwrong`);
  await expect(p3.getByTestId("dashboard-error")).toContainText("does not open this endpoint");
  await teammate.close();
  await stranger.close();
});

test("a 700 px wide window (laptop split screen) puts the list above the detail", async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 800 });
  const { captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { narrow: true }, { path: "/narrow/window" });
  await row(page, 1).click();
  const list = (await page.getByTestId("capture-list").boundingBox())!;
  const detail = (await page.locator("[data-pane='detail']").boundingBox())!;
  expect(list.y + list.height).toBeLessThanOrEqual(detail.y + 1);
  expect(list.width).toBeGreaterThan(650);
  // Nothing overflows sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(700);
  // The actions wrap below the capture URL instead of sliding over it (they once covered it).
  const urlBar = (await page.getByTestId("capture-url-bar").boundingBox())!;
  const actions = (await page.getByTestId("endpoint-actions").boundingBox())!;
  expect(actions.y).toBeGreaterThanOrEqual(urlBar.y + urlBar.height - 1);
  const copy = (await page.getByTestId("copy-capture-url").boundingBox())!;
  expect(copy.x + copy.width).toBeLessThanOrEqual(700);
  await page.getByTestId("copy-capture-url").click({ trial: true }); // nothing lies on top of it
  for (const name of ["Settings", "Clear", "Keyboard shortcuts"]) {
    const b = (await page.getByTestId("endpoint-actions").getByRole("button", { name, exact: true }).boundingBox())!;
    expect(b.x + b.width).toBeLessThanOrEqual(700);
  }
  // Landmarks: the list and the selected capture are the page's main content.
  await expect(page.getByRole("main").getByRole("complementary", { name: "Captures" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("region", { name: "Selected capture" })).toBeVisible();
  await screenshot(page, "dashboard-700px");
});

test("skeletons while the list and the selected capture load; a capture that is gone is explained in words", async ({ page }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { n: 1 });
  await sendJson(captureUrl, { n: 2 });
  await expect(rows(page)).toHaveCount(2);
  const first = (await row(page, 1).getAttribute("data-capture-id"))!;
  const second = (await row(page, 2).getAttribute("data-capture-id"))!;

  // Hold the list's and the capture's answers until the skeletons have been seen.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = async (route: Route) => {
    await gate;
    await route.continue();
  };
  await page.route(/\/api\/endpoints\/[^/]+\/captures(\?.*)?$/, held);
  await page.route(/\/api\/captures\/[^/]+$/, held);
  await page.goto(`/endpoints/${id}/captures/${first}`);
  await expect(page.getByTestId("capture-list-loading")).toBeVisible();
  await expect(page.getByTestId("capture-detail-loading")).toBeVisible();
  release();
  await expect(row(page, 1)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("capture-detail")).toHaveAttribute("data-capture-id", first);
  await expect(page.getByTestId("capture-list-loading")).toHaveCount(0);
  await expect(page.getByTestId("capture-detail-loading")).toHaveCount(0);
  await page.unrouteAll();

  // Deleted elsewhere (another tab, the API), then opened from its link: said in words.
  expect((await page.request.delete(`/api/captures/${second}`)).status()).toBe(204);
  await page.goto(`/endpoints/${id}/captures/${second}`);
  await expect(page.getByTestId("capture-detail-error")).toContainText("This capture doesn't exist any more");
  await expect(rows(page)).toHaveCount(1);
});
