import { createEndpointFromHome, expect, screenshot, sendJson, test } from "./fixtures";

test("home: empty state, one-click endpoint creation, then the endpoint is listed with its activity", async ({ page, baseURL }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("endpoints-empty")).toContainText("No endpoints in this browser yet");
  await screenshot(page, "home-empty");

  const { id, captureUrl } = await createEndpointFromHome(page);
  // The capture URL is ready at once and uses PUBLIC_BASE_URL.
  expect(captureUrl).toMatch(new RegExp(`^${baseURL}/h/[A-Za-z0-9]+$`));
  await expect(page.getByTestId("sample-json")).toContainText(`'${captureUrl}'`);

  await sendJson(captureUrl, { hello: "world" });
  await expect(page.getByTestId("capture-row")).toHaveCount(1);

  await page.goto("/");
  const item = page.getByTestId("endpoint-item");
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("1 capture");
  await expect(item).toContainText(captureUrl);
  await expect(item).toContainText(/last (just now|\d+ (sec|min)\.? ago)/);
  await screenshot(page, "home");
  await item.click();
  await expect(page).toHaveURL(new RegExp(`/endpoints/${id}$`));
});

test("an endpoint this browser holds no key for is explained in words", async ({ browser, page, baseURL }) => {
  const { id } = await createEndpointFromHome(page);
  const stranger = await browser.newContext({ baseURL });
  const other = await stranger.newPage();
  await other.goto(`/endpoints/${id}`);
  await expect(other.getByTestId("dashboard-error")).toContainText("doesn't exist or your browser doesn't hold its key");
  await other.goto("/endpoints/00000000-0000-7000-8000-000000000000");
  await expect(other.getByTestId("dashboard-error")).toContainText("doesn't exist or your browser doesn't hold its key");
  await stranger.close();
});

test("Remove makes this browser forget an endpoint after a confirmation; the endpoint stays and its key opens it again", async ({
  page,
}) => {
  const { captureUrl } = await createEndpointFromHome(page);
  const key = await page.getByTestId("management-key").inputValue();
  await page.goto("/");
  const row = page.getByTestId("endpoint-row").filter({ hasText: captureUrl });
  await row.getByRole("button", { name: /^Remove .* from this browser$/ }).click();
  await expect(row.getByRole("group", { name: "Remove from this browser" })).toContainText("you need its management key or dashboard link");
  await screenshot(page, "home-remove-confirm");
  // Cancel changes nothing.
  await row.getByRole("button", { name: "Cancel" }).click();
  await expect(row.getByRole("group")).toHaveCount(0);
  await row.getByRole("button", { name: /^Remove .* from this browser$/ }).click();
  await row.getByRole("button", { name: "Remove from this browser" }).click();
  await expect(page.getByTestId("endpoints-empty")).toBeVisible();
  // Gone for this browser after a reload too (the cookie is cleared), while its URL still captures.
  await page.reload();
  await expect(page.getByTestId("endpoints-empty")).toBeVisible();
  expect((await fetch(captureUrl, { method: "POST", body: "still here" })).status).toBe(200);
  // The key brings it back, with what arrived meanwhile.
  await page.getByTestId("add-endpoint-input").fill(key);
  await page.getByTestId("add-endpoint").getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("endpoint-item")).toContainText("1 capture");
});
