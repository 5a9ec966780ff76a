// Export from the dashboard (HAR and NDJSON downloads with the browser's key cookie) and the API
// page rendered from the OpenAPI document.
import fs from "node:fs";
import { createEndpointFromHome, expect, rows, screenshot, sendJson, test } from "./fixtures";

test("Export downloads the endpoint's captures as HAR and NDJSON", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  await sendJson(captureUrl, { n: 1 }, { path: "/one" });
  await sendJson(captureUrl, { n: 2, name: "Zoë" }, { path: "/two" });
  await expect(rows(page)).toHaveCount(2);

  await page.getByTestId("open-export").click();
  await expect(page.getByRole("menu", { name: "Export captures" })).toBeVisible();
  await screenshot(page, "export-menu");
  const [har] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-har").click()]);
  expect(har.suggestedFilename()).toMatch(/^hookscope-[a-z0-9]+-\d{8}T\d{6}Z\.har$/);
  const doc = JSON.parse(fs.readFileSync((await har.path())!, "utf8"));
  expect(doc.log.version).toBe("1.2");
  expect(doc.log.entries.map((e: { request: { url: string } }) => e.request.url)).toEqual([`${captureUrl}/one`, `${captureUrl}/two`]);
  expect(doc.log.entries[1].request.postData.text).toBe('{"n":2,"name":"Zoë"}');
  await expect(page.getByRole("menu", { name: "Export captures" })).toBeHidden();

  await page.getByTestId("open-export").click();
  const [nd] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-ndjson").click()]);
  expect(nd.suggestedFilename()).toMatch(/\.ndjson$/);
  const lines = fs
    .readFileSync((await nd.path())!, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines.map((l) => Buffer.from(l.bodyBase64, "base64").toString())).toEqual(['{"n":1}', '{"n":2,"name":"Zoë"}']);

  // With a search, the export holds the matching captures only.
  await page.locator("body").press("/");
  await page.keyboard.type("path:/two");
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId("open-export").click();
  await expect(page.getByTestId("export-scope")).toContainText("path:/two");
  const [filtered] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-ndjson").click()]);
  const only = fs
    .readFileSync((await filtered.path())!, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(only.map((l) => l.path)).toEqual(["/two"]);
});

test("the API page lists every operation from /api/openapi.json", async ({ page, request }) => {
  const doc = await (await request.get("/api/openapi.json")).json();
  const count = Object.values(doc.paths as Record<string, object>).reduce((n, ops) => n + Object.keys(ops).length, 0);
  await page.goto("/");
  await page.getByRole("link", { name: "API", exact: true }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(page.getByRole("heading", { name: "Hookscope API" })).toBeVisible();
  await expect(page.getByTestId("api-operation")).toHaveCount(count);
  const wait = page.locator("#getEndpointsIdCapturesWait");
  await expect(wait).toContainText("/api/endpoints/{id}/captures/wait");
  await expect(wait).toContainText("timeout");
  await expect(wait).toContainText("204");
  await wait.scrollIntoViewIfNeeded();
  await screenshot(page, "api-docs");
});
