// Replay runs from the dashboard against a local target started here (the e2e server allows
// private targets, see global-setup.ts): start a run from the toolbar, watch its progress while the
// target holds its answers, see the failures first, run again after the handler "changed", and
// compare the two runs with the regression on top and its body diff.
import http from "node:http";
import { createEndpointFromHome, expect, rows, screenshot, sendJson, test } from "./fixtures";

/** A JSON handler: 500 for the ids in `failing`, else 200; while `hold` is set, answers after the third wait for it. */
async function startHandler() {
  const state = { failing: new Set<string>(), hold: null as Promise<void> | null, received: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      state.received++;
      const id = (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id;
      const answer = () => {
        const bad = state.failing.has(id);
        res.writeHead(bad ? 500 : 200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(bad ? { error: "invoice not found", id } : { received: true, id }));
      };
      if (state.hold && state.received > 3) void state.hold.then(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/webhooks`, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test("start a replay run, watch it, then compare a second run: the regression stands out", async ({ page }) => {
  const handler = await startHandler();
  try {
    const { captureUrl } = await createEndpointFromHome(page);
    for (let i = 1; i <= 8; i++) await sendJson(captureUrl, { id: `evt_${i}`, type: i <= 6 ? "invoice.paid" : "customer.created" });
    await expect(rows(page)).toHaveCount(8);

    // Search for the invoices: the new run starts from that search.
    await page.getByTestId("capture-filter").fill("type:invoice.paid");
    await expect(rows(page)).toHaveCount(6);

    handler.state.failing = new Set(["evt_2", "evt_5"]);
    let release: () => void = () => {};
    handler.state.hold = new Promise<void>((r) => (release = r));

    await page.getByTestId("open-replay").click();
    const dialog = page.getByTestId("replay-dialog");
    await expect(dialog.getByTestId("replay-query")).toHaveValue("type:invoice.paid");
    // The server's own message for a bad target.
    await dialog.getByTestId("replay-target").fill("ftp://nope");
    await dialog.getByTestId("replay-start").click();
    await expect(dialog.getByTestId("replay-error")).toContainText("http");
    await dialog.getByTestId("replay-target").fill(handler.url);
    await screenshot(page, "replay-new-run");
    await expect(dialog.getByTestId("replay-cli")).toContainText(
      `/cli/hookscope.tgz replay --endpoint ${captureUrl} --query 'type:invoice.paid' --to '${handler.url}' --expect 2xx`,
    );
    await dialog.getByTestId("replay-start").click();

    // Running: the fourth send is held by the target; the bar and counts say so, the failure on top.
    const view = dialog.getByTestId("run-view");
    await expect(view).toHaveAttribute("data-state", "running");
    await expect(view.getByTestId("run-verdict")).toHaveAttribute("data-verdict", "running");
    await expect(view.getByTestId("run-counts")).toContainText("3 of 6 sent");
    await expect(view.getByTestId("run-counts")).toContainText("1 failed");
    await expect(view.getByTestId("run-progress")).toHaveAttribute("aria-valuenow", "3");
    await expect(view.getByTestId("send-row").first()).toHaveAttribute("data-state", "failed");
    await expect(view.getByTestId("run-progress")).toHaveAttribute("aria-valuemax", "6");
    await expect(view.getByTestId("run-cancel")).toBeVisible();
    await screenshot(page, "replay-run-in-progress");
    release();
    handler.state.hold = null;

    await expect(view).toHaveAttribute("data-state", "finished");
    await expect(view.getByTestId("run-verdict")).toHaveAttribute("data-verdict", "failed");
    await expect(view.getByTestId("run-counts")).toContainText("6 of 6 sent");
    await expect(view.getByTestId("run-progress")).toHaveAttribute("aria-valuenow", "6");
    // Failures first, with what failed.
    const sends = view.getByTestId("send-row");
    await expect(sends.nth(0)).toHaveAttribute("data-state", "failed");
    await expect(sends.nth(1)).toHaveAttribute("data-state", "failed");
    await expect(sends.nth(2)).toHaveAttribute("data-state", "passed");
    await expect(sends.nth(0)).toContainText("expected 2xx, got 500");
    await sends.nth(0).getByRole("button").click();
    await expect(sends.nth(0)).toContainText('"error":"invoice not found"');
    await expect(view.getByTestId("run-retry-failed")).toHaveText("Retry 2 failed");
    await screenshot(page, "replay-run-failed");

    // The handler changed: evt_2 is fixed, evt_4 now fails. Run the same set again.
    handler.state.failing = new Set(["evt_4", "evt_5"]);
    await dialog.getByTestId("replay-back").click();
    await dialog.getByTestId("new-run").click();
    await expect(dialog.getByTestId("replay-query")).toHaveValue("type:invoice.paid");
    await dialog.getByTestId("replay-target").fill(handler.url);
    await dialog.getByTestId("replay-start").click();
    await expect(view).toHaveAttribute("data-state", "finished");
    await expect(view.getByTestId("run-counts")).toContainText("2 failed");

    await dialog.getByTestId("replay-back").click();
    const runRows = dialog.getByTestId("run-row");
    await expect(runRows).toHaveCount(2);
    await runRows.nth(0).getByRole("checkbox").check();
    await runRows.nth(1).getByRole("checkbox").check();
    await screenshot(page, "replay-runs");
    await dialog.getByTestId("compare-runs").click();
    const cmp = dialog.getByTestId("run-comparison");
    await expect(cmp.getByTestId("regression-count")).toHaveText("1 regression");
    await expect(cmp.getByTestId("comparison-counts")).toContainText("1 fixed");
    const diffs = cmp.getByTestId("difference-row");
    await expect(diffs).toHaveCount(2);
    await expect(diffs.nth(0)).toHaveAttribute("data-regression", "true");
    await expect(diffs.nth(0)).toContainText("#4");
    await expect(diffs.nth(0)).toContainText("200 → 500");
    await diffs.nth(0).getByRole("button").click();
    const diff = cmp.getByTestId("send-diff");
    await expect(diff.getByTestId("send-diff-status")).toContainText("500");
    await expect(diff.getByTestId("send-diff-body")).toContainText("error");
    // A Date that moved between the runs is not a difference here either.
    await expect(diff.locator('[data-testid="send-diff-headers-table-row"][data-kind="changed"]')).toHaveCount(0);
    await screenshot(page, "replay-compare");
  } finally {
    await handler.close();
  }
});
