// The live stream under failure: a server restart mid-stream, a stream that is always refused,
// and a browser without EventSource. In every case the list must end up with every capture.
import { startApp } from "../test/support/app";
import { createEndpointFromHome, expect, flood, row, rows, sendJson, test } from "./fixtures";
import { E2E_APP_ENV } from "./support/state";

test("the dashboard's own server restarts while captures keep arriving: it reconnects and no capture is missing", async ({ page }) => {
  const databaseUrl = process.env.HOOKSCOPE_E2E_DATABASE_URL!;
  // A second replica on the same database serves this page; captures go to the main server, so
  // they keep arriving (through Postgres NOTIFY) while this one is down.
  let replica = await startApp({ databaseUrl, env: E2E_APP_ENV });
  const port = replica.port;
  try {
    const { id, captureUrl } = await createEndpointFromHome(page);
    // Key cookies belong to the host, not the port, so the replica accepts this browser too.
    await page.goto(`${replica.baseUrl}/endpoints/${id}`);
    const indicator = page.getByTestId("live-indicator");
    await expect(indicator).toHaveAttribute("data-status", "live");

    let sent = 0;
    const sendSome = async (n: number) => {
      for (let i = 0; i < n; i++) await sendJson(captureUrl, { n: ++sent });
    };
    await sendSome(5);
    await expect(row(page, 5)).toBeVisible();

    await replica.kill();
    await expect(indicator).not.toHaveAttribute("data-status", "live");
    await sendSome(6); // missed while the stream is down
    replica = await startApp({ databaseUrl, port, env: E2E_APP_ENV });
    await sendSome(4);

    await expect(indicator).toHaveAttribute("data-status", "live", { timeout: 60_000 });
    await expect(rows(page)).toHaveCount(15);
    const seqs = (await rows(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  } finally {
    await replica.stop();
  }
});

test("a stream that keeps failing (a proxy refusing event streams) falls back to polling every 2 s", async ({ page }) => {
  await page.route(/\/api\/endpoints\/[^/]+\/events/, (route) => route.fulfill({ status: 502, body: "Bad gateway" }));
  await page.goto("/");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page).toHaveURL(/\/endpoints\/[0-9a-f-]{36}$/);
  const captureUrl = (await page.getByTestId("capture-url").textContent())!.trim();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "polling", { timeout: 60_000 });

  await sendJson(captureUrl, { polled: 1 });
  await sendJson(captureUrl, { polled: 2 });
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toHaveAttribute("data-seq", "2");
});

test("without EventSource the list is polled and still fills", async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as unknown as { EventSource?: unknown }).EventSource;
  });
  await page.goto("/");
  await page.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-status", "polling");
  const captureUrl = (await page.getByTestId("capture-url").textContent())!.trim();
  await sendJson(captureUrl, { polled: true });
  await expect(row(page, 1)).toBeVisible();
});

test("more missed than the stream replays (over 1,000): the list reloads from the newest and stays live", async ({ page }) => {
  const databaseUrl = process.env.HOOKSCOPE_E2E_DATABASE_URL!;
  let replica = await startApp({ databaseUrl, env: E2E_APP_ENV });
  const port = replica.port;
  try {
    const { id, captureUrl } = await createEndpointFromHome(page);
    await page.goto(`${replica.baseUrl}/endpoints/${id}`);
    const indicator = page.getByTestId("live-indicator");
    await expect(indicator).toHaveAttribute("data-status", "live");
    await sendJson(captureUrl, { before: true });
    await expect(row(page, 1)).toBeVisible();

    await replica.kill();
    await flood(captureUrl, 1100);
    replica = await startApp({ databaseUrl, port, env: E2E_APP_ENV });

    await expect(indicator).toHaveAttribute("data-status", "live", { timeout: 60_000 });
    await expect(rows(page).first()).toHaveAttribute("data-seq", "1101");
    await sendJson(captureUrl, { after: true });
    await expect(rows(page).first()).toHaveAttribute("data-seq", "1102");
    // The reloaded page is contiguous under the newest.
    const seqs = await rows(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));
    expect(seqs).toEqual(seqs.map((_, i) => 1102 - i));
  } finally {
    await replica.stop();
  }
});
