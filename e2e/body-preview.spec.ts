// Big bodies stay cheap to look at: a 10 MiB capture's detail opens on a 256 KiB preview with a
// bar that says so; "Load all" brings the exact bytes into the same views; copy as cURL and resend
// act on the whole body (the file the command reads, the bytes the server sends), never the preview;
// compare loads two 10 MiB bodies when asked.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { createEndpointFromHome, expect, row, rows, screenshot, send, startTarget, test } from "./fixtures";

const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());
const runBash = (cmd: string, cwd: string) =>
  new Promise<void>((resolve, reject) => execFile("bash", ["-c", cmd], { cwd }, (err) => (err ? reject(err) : resolve())));

const TEN_MIB = 10 * 1024 * 1024;

/** Exactly 10 MiB of JSON whose last item says it is the end (only the whole body has it). */
function bigJson(): Buffer {
  const head = '{"items":[';
  const tail = '{"marker":"THE-VERY-END"}]}';
  const item = '{"id":1,"s":"abcdefghij"},';
  const fill = TEN_MIB - head.length - tail.length;
  const body = head + item.repeat(Math.floor(fill / item.length)) + " ".repeat(fill % item.length) + tail;
  return Buffer.from(body, "utf8");
}

async function bodyOf(page: Page, endpointId: string, index: number): Promise<Buffer> {
  const list = (await (await page.request.get(`/api/endpoints/${endpointId}/captures`)).json()) as { items: { id: string }[] };
  const detail = (await (await page.request.get(`/api/captures/${list.items[index]!.id}`)).json()) as { bodyUrl: string };
  return (await page.request.get(detail.bodyUrl)).body();
}

test("a 10 MiB capture opens on a preview with a bar; Load all shows the whole body; cURL and resend use every byte", async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const { id, captureUrl } = await createEndpointFromHome(page);
  const big = bigJson();
  expect(big.length).toBe(TEN_MIB);
  // Following newest, the dashboard opens the capture as it arrives: its detail answer is small,
  // and the detail paints from it.
  const detailAnswer = page.waitForResponse((r) => /\/api\/captures\/[^/]+$/.test(new URL(r.url()).pathname), { timeout: 60_000 });
  expect((await send(captureUrl, { path: "/big", headers: [["Content-Type", "application/json"]], body: big })).status).toBe(200);
  const stored = Date.now();
  await expect(rows(page)).toHaveCount(1);
  await row(page, 1).click();
  const bar = page.getByTestId("body-preview-bar");
  await expect(bar).toContainText("Showing the first 256 KiB of 10 MiB");
  const firstPaintMs = Date.now() - stored;
  const answerBytes = (await (await detailAnswer).body()).length;
  console.log(
    `10 MiB capture: detail answer ${answerBytes} bytes; from its 2xx to the detail with its body preview shown: ${firstPaintMs} ms`,
  );
  expect(answerBytes).toBeLessThan(400 * 1024);
  await expect(bar.getByTestId("body-load-all")).toHaveText("Load all (10 MiB)");
  await expect(page.getByTestId("body-raw")).not.toContainText("THE-VERY-END");
  await expect(page.getByTestId("copy-body")).toBeDisabled();
  await screenshot(page, "body-preview-bar");

  // Copy as cURL: the command reads the body from the downloaded file, so running it resends all 10 MiB.
  await page.getByTestId("copy-curl").click();
  await expect.poll(() => clipboard(page)).toMatch(/--data-binary '@[^']+\.bin'/);
  const cmd = await clipboard(page);
  const fileName = /--data-binary '@([^']+)'/.exec(cmd)![1]!;
  const [download] = await Promise.all([page.waitForEvent("download"), bar.getByRole("link", { name: "Download" }).click()]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hs-e2e-big-"));
  try {
    await download.saveAs(path.join(dir, fileName));
    await runBash(`${cmd} -s -o /dev/null`, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await expect(rows(page)).toHaveCount(2);
  expect((await bodyOf(page, id, 0)).equals(big), "the cURL command sent the whole body").toBe(true);

  // Load all: the same views, on the exact bytes (the end of the body is there now).
  await row(page, 1).click();
  await page.getByTestId("body-load-all").click();
  await expect(page.getByTestId("body-preview-bar")).toHaveCount(0);
  await expect(page.getByTestId("body-viewer")).toContainText("JSON · 10 MiB");
  await expect(page.getByTestId("body-fallback-notice")).toContainText("over 1 MiB");
  await expect(page.getByTestId("body-raw")).toContainText("THE-VERY-END");
  await expect(page.getByTestId("copy-body")).toBeEnabled();
  await screenshot(page, "body-preview-loaded");

  // Compare the capture with its cURL copy: 10 MiB bodies are compared once asked, byte for byte.
  await row(page, 1).getByTestId("compare-checkbox").click();
  await row(page, 2).getByTestId("compare-checkbox").click();
  await page.getByTestId("compare-marked").click();
  await expect(page.getByTestId("compare-bodies-pending")).toBeVisible();
  await expect(page.getByTestId("compare-summary")).toContainText("body: not compared yet");
  await screenshot(page, "body-preview-compare");
  await page.getByTestId("compare-load-bodies").click();
  await expect(page.getByTestId("body-identical")).toContainText("byte for byte the same");
  await page.getByTestId("compare-close").click();
  await row(page, 1).click();

  // Resend: the editor says the body goes as captured, and the target gets every byte.
  const target = await startTarget();
  try {
    await page.getByTestId("resend-open").click();
    const dialog = page.getByTestId("resend-dialog");
    await expect(dialog.getByTestId("resend-large-note")).toContainText("Large body, 10 MiB");
    await screenshot(page, "body-preview-resend");
    await dialog.getByTestId("resend-url").fill(`${target.url}/in`);
    await dialog.getByTestId("resend-send").click();
    await expect(dialog.getByTestId("resend-result")).toContainText("200");
    await expect.poll(() => target.received.length).toBe(1);
    expect(target.received[0]!.body.equals(big), "the resend sent the whole body").toBe(true);
  } finally {
    await target.close();
  }
});
