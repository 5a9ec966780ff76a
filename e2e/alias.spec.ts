// An alias set in Settings → URL: the preview follows the typing, a rule and a taken alias are
// shown by the field (the API's message), and once saved the header and the empty pane show the
// alias URL, the slug URL as "also answers at", and a request to the alias URL arrives live.
import crypto from "node:crypto";
import { createEndpointFromHome, expect, row, screenshot, sendJson, test } from "./fixtures";

test("set an alias in Settings: live preview, field errors, then the header shows the alias URL and it captures", async ({ page }) => {
  const { captureUrl: slugUrl } = await createEndpointFromHome(page);
  const alias = `e2e-${crypto.randomBytes(4).toString("hex")}`;
  // Another endpoint holds a name already, to see the API's "taken" under the field.
  const taken = await page.evaluate(async (name) => {
    const r = await fetch("/api/endpoints", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ alias: name }),
    });
    return r.status;
  }, `${alias}-taken`);
  expect(taken).toBe(201);

  await page.getByTestId("open-settings").click();
  const settings = page.getByRole("dialog");
  await settings.getByTestId("settings-tab-url").click();
  const input = settings.getByLabel("Alias");
  const preview = settings.getByTestId("alias-preview");
  await expect(preview).toHaveText(slugUrl);

  await input.fill("api");
  await expect(settings.getByTestId("field-error")).toContainText('"api" is reserved');

  await input.fill(`${alias}-taken`);
  await settings.getByRole("button", { name: "Save URL" }).click();
  await expect(settings.getByTestId("field-error")).toContainText("is taken");

  await input.fill(alias.toUpperCase());
  const aliasUrl = slugUrl.replace(/\/h\/[^/]+$/, `/h/${alias}`);
  await expect(preview).toHaveText(aliasUrl);
  await expect(settings.getByTestId("alias-slug-url")).toContainText(slugUrl);
  await expect(settings.getByTestId("field-error")).toHaveCount(0);
  await screenshot(page, "settings-url-alias");
  await settings.getByRole("button", { name: "Save URL" }).click();
  await expect(settings.getByTestId("settings-panel-url").getByTestId("form-status")).toHaveText("✓ Saved");
  await expect(input).toHaveValue(alias);
  await page.keyboard.press("Escape");

  await expect(page.getByTestId("capture-url")).toHaveText(aliasUrl);
  await expect(page.getByTestId("empty-capture-url")).toHaveText(aliasUrl);
  await expect(page.getByTestId("empty-slug-url")).toContainText(slugUrl);
  await screenshot(page, "dashboard-alias-url");

  const sent = await sendJson(aliasUrl, { via: "alias" }, { path: "/orders/1" });
  expect(sent.status).toBe(200);
  await expect(row(page, 1)).toBeVisible();
});
