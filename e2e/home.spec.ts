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
