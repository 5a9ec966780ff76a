// Search and retention in the dashboard: `/` focuses the search box, a query filters the list on
// the server and shows one chip per term (× removes it), results stay live (a summary-only search
// takes new captures as they arrive; a header search refetches), a bad query says what is wrong;
// the Retention settings tab validates and saves; a home page on an instance with
// CREATE_ENDPOINT_TOKEN asks for the token.
import { startApp, type RunningApp } from "../test/support/app";
import { createEndpointFromHome, expect, rows, screenshot, send, sendJson, test } from "./fixtures";
import { E2E_APP_ENV } from "./support/state";

const chips = (page: import("@playwright/test").Page) => page.getByTestId("search-chip");

test("search: / focuses the box, a query filters the list with chips, results stay live, a bad query is explained", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { type: "charge.refunded" }, { path: "/stripe/events", headers: [["Stripe-Signature", "t=1,v1=abc"]] });
  await sendJson(captureUrl, { ref: "refs/heads/main" }, { path: "/github", headers: [["X-GitHub-Event", "push"]] });
  await send(captureUrl, { method: "GET", path: "/health" });
  await send(captureUrl, { method: "PUT", path: "/stripe/customers", headers: [["Content-Type", "text/plain"]], body: "hello" });
  await expect(rows(page)).toHaveCount(4);

  await page.locator("body").press("/");
  const box = page.getByTestId("capture-filter");
  await expect(box).toBeFocused();
  await page.keyboard.type("method:POST path:/stripe/*");
  await expect(chips(page)).toHaveCount(2);
  await expect(chips(page).nth(0)).toContainText("method");
  await expect(chips(page).nth(0)).toContainText("POST");
  await expect(chips(page).nth(1)).toContainText("/stripe/*");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("/stripe/events");
  await expect(page.getByTestId("search-count")).toHaveText("1 match");

  // Live, decided from the summary: a GET to /stripe stays out, a POST to /stripe comes in.
  await send(captureUrl, { method: "GET", path: "/stripe/ignored" });
  await sendJson(captureUrl, { type: "invoice.paid" }, { path: "/stripe/invoices" });
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toContainText("/stripe/invoices");
  await expect(page.getByText("/stripe/ignored")).toHaveCount(0);
  await screenshot(page, "search-chips");

  // Removing the method chip leaves the path filter: every /stripe capture, any method.
  await page.getByRole("button", { name: "Remove filter method POST" }).click();
  await expect(box).toHaveValue("path:/stripe/*");
  await expect(chips(page)).toHaveCount(1);
  await expect(rows(page)).toHaveCount(4);

  // A header search (only the server can judge it) refetches when a capture arrives.
  await box.fill('header:"x-github-event:push"');
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("/github");
  await sendJson(captureUrl, { ref: "refs/heads/dev" }, { path: "/github", headers: [["X-GitHub-Event", "pull_request"]] });
  await sendJson(captureUrl, { ref: "refs/heads/dev" }, { path: "/github/again", headers: [["X-GitHub-Event", "push"]] });
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toContainText("/github/again");

  // Body text.
  await box.fill("refunded");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("/stripe/events");

  // A bad query says what is wrong.
  await box.fill("size:huge");
  await expect(page.getByTestId("search-error")).toContainText("size:huge is not a size");
  await screenshot(page, "search-error");

  // Escape clears the search: every capture again.
  await page.keyboard.press("Escape");
  await expect(box).toHaveValue("");
  await expect(chips(page)).toHaveCount(0);
  await expect(rows(page)).toHaveCount(8);
});

test("retention tab: refuses a bad value, saves a good one", async ({ page }) => {
  const { id } = await createEndpointFromHome(page);
  await page.getByTestId("open-settings").click();
  const dialog = page.getByTestId("settings-dialog");
  await dialog.getByRole("tab", { name: "Retention" }).click();
  const keep = dialog.getByLabel("Keep at most (captures)");
  await expect(keep).toHaveValue("10000");
  await expect(dialog.getByLabel("Delete after (days)")).toHaveValue("30");
  await keep.fill("0");
  await dialog.getByRole("button", { name: "Save retention" }).click();
  await expect(dialog.getByTestId("field-error")).toContainText("Keep at least 1 capture");
  await keep.fill("500");
  await dialog.getByLabel("Delete after (days)").fill("7");
  // Fixed: the refusal no longer applies, so the footer no longer says to fix anything.
  await expect(dialog.getByTestId("field-error")).toHaveCount(0);
  await expect(dialog.getByTestId("settings-panel-retention").getByTestId("form-status")).toHaveText("Unsaved changes");
  await screenshot(page, "retention-tab");
  await dialog.getByRole("button", { name: "Save retention" }).click();
  await expect(dialog.getByTestId("settings-panel-retention").getByTestId("form-status")).toHaveText("✓ Saved");
  const saved = await page.evaluate(async (endpointId) => (await fetch(`/api/endpoints/${endpointId}`)).json(), id);
  expect(saved.retention).toEqual({ maxCaptures: 500, maxAgeDays: 7 });
});

test.describe("an instance with CREATE_ENDPOINT_TOKEN", () => {
  const TOKEN = "e2e-create-token-0123456789";
  let other: RunningApp;
  test.beforeAll(async () => {
    other = await startApp({ databaseUrl: process.env.HOOKSCOPE_E2E_DATABASE_URL, env: { ...E2E_APP_ENV, CREATE_ENDPOINT_TOKEN: TOKEN } });
  });
  test.afterAll(async () => {
    await other?.stop();
  });

  test("the home page asks for the token; a wrong one is refused, the right one creates and is remembered", async ({ page }) => {
    await page.goto(other.baseUrl);
    const field = page.getByTestId("create-token");
    await expect(field).toBeVisible();
    const create = page.getByRole("button", { name: "Create endpoint" });
    await expect(create).toBeDisabled();
    await field.fill("not-the-token-at-all");
    await create.click();
    await expect(page.getByRole("alert").filter({ hasText: "token" })).toContainText("That endpoint creation token is not right.");
    await screenshot(page, "create-token");
    await field.fill(TOKEN);
    await create.click();
    await expect(page).toHaveURL(/\/endpoints\/[0-9a-f-]{36}$/);
    await page.goto(other.baseUrl);
    await expect(page.getByTestId("create-token")).toHaveValue(TOKEN);
  });
});
