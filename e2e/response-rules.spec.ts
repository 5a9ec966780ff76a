// The response rule editor (Settings → Response): errors by the field, add, reorder, delete,
// "try against capture #N", save; the capture URL answers by the rule, failure on purpose
// included, and the capture detail names the rule that answered.
import { expect, test, createEndpointFromHome, row, rows, screenshot, send } from "./fixtures";

test("rule editor: field errors, reorder, try against a capture, save; the detail names the rule", async ({ page }) => {
  const { captureUrl } = await createEndpointFromHome(page);
  await send(captureUrl, { path: "/orders/7", headers: [["webhook-id", "evt_0"]], body: '{"status":"paid"}' });
  await expect(rows(page)).toHaveCount(1);

  await page.getByTestId("open-settings").click();
  const dialog = page.getByTestId("settings-dialog");
  const rules = dialog.getByTestId("response-rules");
  await expect(rules).toContainText("No rules");
  await rules.getByRole("button", { name: "+ Add rule" }).click();
  await rules.getByLabel("Rule 1 name").fill("orders");
  await rules.getByLabel("Rule 1 Methods").fill("POST");
  await rules.getByLabel("Rule 1 Path glob").fill("/orders/[");
  await rules.getByRole("button", { name: "+ Add condition" }).click();
  await rules.getByLabel("Rule 1 condition 1 kind").selectOption("headerRegex");
  await rules.getByLabel("Rule 1 condition 1 name").fill("webhook-id");
  await rules.getByLabel("Rule 1 condition 1 value").fill("^(?!evt_)");
  await rules.getByLabel("Rule 1 Status", { exact: true }).fill("202");
  await rules.getByRole("button", { name: "Save rules" }).click();
  // The API's own messages, by the field.
  await expect(rules.getByLabel("Rule 1 Path glob")).toHaveAttribute("aria-invalid", "true");
  await expect(rules.getByTestId("field-error").first()).toContainText("Invalid path glob");
  await expect(rules.getByTestId("rule-condition").getByTestId("field-error")).toContainText(
    "lookaround and backreferences are not supported",
  );
  await rules.getByLabel("Rule 1 Path glob").fill("/orders/**");
  await rules.getByLabel("Rule 1 condition 1 value").fill("^evt_");
  await rules.getByLabel("Rule 1 Custom body").check();
  await rules.getByLabel("Rule 1 body").fill("rule answered");
  await rules.getByLabel("Rule 1 failure").selectOption("firstN");
  await rules.getByLabel("Rule 1 First N").fill("1");
  await rules.getByLabel("Rule 1 Error status").fill("503");

  // A second rule, moved above the first, then deleted.
  await rules.getByRole("button", { name: "+ Add rule" }).click();
  await rules.getByLabel("Rule 2 name").fill("catch-all");
  await rules.getByRole("button", { name: "Move rule 2 up" }).click();
  await expect(rules.getByLabel("Rule 1 name")).toHaveValue("catch-all");
  await expect(rules.getByLabel("Rule 2 name")).toHaveValue("orders");
  await rules.getByRole("button", { name: "Delete rule 1" }).click();
  await expect(rules.getByTestId("rule-card")).toHaveCount(1);

  // Try the unsaved rules against capture #1.
  await rules.getByLabel("Try against capture #").fill("1");
  await rules.getByRole("button", { name: "Try", exact: true }).click();
  const result = rules.getByTestId("try-result");
  await expect(result).toContainText("Capture #1: rule 1 “orders” answers 202");
  await expect(result).toContainText("Answers 503 to the first delivery of each event (told apart by header webhook-id).");
  await expect(result).toContainText("rule answered");
  // The rules checked out: the errors of the earlier save are gone.
  await expect(rules.getByTestId("field-error")).toHaveCount(0);
  await expect(rules.getByTestId("rules-footer").getByTestId("form-status")).toHaveAttribute("data-status", "dirty");
  await rules.getByTestId("rule-card").scrollIntoViewIfNeeded();
  await screenshot(page, "response-rules-card");
  await result.scrollIntoViewIfNeeded();
  await screenshot(page, "response-rules-editor");
  await rules.getByRole("button", { name: "Save rules" }).click();
  await expect(rules.getByTestId("rules-footer").getByTestId("form-status")).toHaveText("✓ Saved");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  // The capture URL answers by the rule: the first delivery of evt_1 fails, the retry succeeds.
  const first = await send(captureUrl, { path: "/orders/8", headers: [["webhook-id", "evt_1"]], body: "{}" });
  expect(first.status).toBe(503);
  const retry = await send(captureUrl, { path: "/orders/8", headers: [["webhook-id", "evt_1"]], body: "{}" });
  expect(retry.status).toBe(202);
  expect(retry.body).toBe("rule answered");
  await expect(rows(page)).toHaveCount(3);

  const sent = page.getByTestId("capture-detail").getByTestId("sent-response");
  await row(page, 2).click();
  await expect(sent.getByTestId("sent-response-rule")).toHaveText("Rule 1 “orders”");
  await expect(sent.getByTestId("sent-response-failure")).toHaveText("failed on purpose");
  await sent.getByTestId("sent-response-summary").click();
  await expect(sent.getByTestId("sent-response-failure-text")).toHaveText(
    "Delivery 1 of event evt_1: failed on purpose (the rule fails the first delivery of each event).",
  );
  await screenshot(page, "response-rules-sent");
  await row(page, 3).click();
  await expect(sent.getByTestId("sent-response-summary")).toContainText("202");
  await expect(sent.getByTestId("sent-response-failure")).toHaveCount(0);
});

test("rule templates: the form says bodies and headers take templates, try renders one, a broken one is refused by its field", async ({
  page,
}) => {
  const { captureUrl } = await createEndpointFromHome(page);
  await send(captureUrl, { path: "/events", headers: [["X-Source", "billing"]], body: '{"id":"evt_9"}' });
  await expect(rows(page)).toHaveCount(1);
  await page.getByTestId("open-settings").click();
  const rules = page.getByTestId("settings-dialog").getByTestId("response-rules");
  await rules.getByRole("button", { name: "+ Add rule" }).click();
  await expect(rules.getByTestId("rule-1-template-hint")).toContainText("accept Liquid templates");
  await rules.getByLabel("Rule 1 Custom body").check();
  await rules.getByLabel("Rule 1 body").fill('{"received": "{{ body.id }}", "from": "{{ headers.x-source }}", "seq": {{ seq }}}');
  await rules.getByLabel("Rule 1 headers").fill("X-Echo: {{ body.id }}");
  await rules.getByLabel("Try against capture #").fill("1");
  await rules.getByRole("button", { name: "Try", exact: true }).click();
  const result = rules.getByTestId("try-result");
  await expect(result).toContainText('{"received": "evt_9", "from": "billing", "seq": 1}');
  await expect(result.getByTestId("try-headers")).toContainText("X-Echo: evt_9");
  await result.evaluate((el) => el.scrollIntoView({ block: "center" })); // above the sticky footer
  await screenshot(page, "response-rules-template-try");

  await rules.getByLabel("Rule 1 body").fill('{"received": "{{ body.id "}');
  await rules.getByRole("button", { name: "Save rules" }).click();
  await expect(rules.getByLabel("Rule 1 body")).toHaveAttribute("aria-invalid", "true");
  await expect(rules.getByTestId("field-error").first()).toContainText("Body template does not parse");
  await rules.getByLabel("Rule 1 body").scrollIntoViewIfNeeded();
  await screenshot(page, "response-rules-template-error");
});

test("a rule that closes the connection: the detail says no answer was sent, not the status that never went", async ({ page }) => {
  const { id, captureUrl } = await createEndpointFromHome(page);
  const rule = {
    name: "hang up",
    match: { methods: ["POST"], path: null, query: [], headers: [], body: null },
    answer: { status: 200, headers: [], body: null, contentType: null, delayMs: 0 },
    failure: { mode: "close" },
  };
  const saved = await page.request.put(`/api/endpoints/${id}/response-rules`, { data: { rules: [rule] } });
  expect(saved.status(), await saved.text()).toBe(200);
  // The capture URL drops the connection without a status line.
  await expect(send(captureUrl, { method: "POST", path: "/drop", body: "bye" })).rejects.toThrow();
  await expect(rows(page)).toHaveCount(1);
  await row(page, 1).click();
  const detail = page.getByTestId("capture-detail");
  await expect(detail.getByTestId("detail-response")).toContainText("closed, no answer");
  await expect(detail.getByTestId("sent-response").getByTestId("sent-response-failure")).toHaveText("connection closed");
});
